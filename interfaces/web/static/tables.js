// Shows "Scroll sideways" over a table only while it is wider than its region (the phone's
// screen, or a narrow window); without the script the region's name still says it scrolls.
function markScrolling() {
  for (const region of document.querySelectorAll(".table-scroll")) {
    const hint = region.querySelector(".scroll-hint");
    if (hint) hint.hidden = region.scrollWidth <= region.clientWidth + 1;
  }
}
document.addEventListener("DOMContentLoaded", markScrolling);
window.addEventListener("resize", markScrolling);
