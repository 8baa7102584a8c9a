// The pages work without this script. It moves keyboard focus to the summary of a
// refused form, so a screen reader announces it and Tab continues from there; and it
// counts the characters in a field with a limit (without it, maxlength alone keeps to the
// limit and the counter says what the limit is).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();

  const number = (n) => n.toLocaleString("en-GB");
  const plural = (n, word) => `${number(n)} ${word}${n === 1 ? "" : "s"}`;
  for (const counter of document.querySelectorAll(".counter[data-counts]")) {
    const field = document.getElementById(counter.dataset.counts);
    const limit = field ? field.maxLength : -1;
    if (limit <= 0) continue;
    const count = () => {
      const used = field.value.length;
      const left = limit - used;
      if (used === 0) counter.textContent = `Up to ${plural(limit, "character")}`;
      else if (left < 0) counter.textContent = `${plural(-left, "character")} too many`;
      else if (left <= limit / 10) counter.textContent = `${plural(left, "character")} left`;
      else counter.textContent = `${number(used)} of ${plural(limit, "character")}`;
      counter.classList.toggle("counter-near", left <= limit / 10);
    };
    // Spoken once typing pauses, not at every key.
    let pause;
    field.addEventListener("input", () => {
      clearTimeout(pause);
      pause = setTimeout(count, 300);
    });
    count();
  }
});
