// The pages work without this script. It only moves keyboard focus to the summary of a
// refused form, so a screen reader announces it and Tab continues from there.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
});
