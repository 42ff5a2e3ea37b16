// Boxes that scroll (tables sideways on a narrow screen, app.css: overflow-x: auto) can be
// scrolled by keyboard: each one that overflows becomes a tab stop (tabindex="0"; WCAG 2.1.1,
// axe's scrollable-region-focusable); one that fits again loses it. Classic script, all pages.
(function () {
  "use strict";
  const SCROLLS = new Set(["auto", "scroll"]);
  const FOCUSABLE = "a[href], button, input, select, textarea, [contenteditable]";

  function overflows(box) {
    const style = getComputedStyle(box);
    return (SCROLLS.has(style.overflowX) && box.scrollWidth > box.clientWidth + 1)
      || (SCROLLS.has(style.overflowY) && box.scrollHeight > box.clientHeight + 1);
  }

  function mark() {
    for (const box of document.querySelectorAll("main *")) {
      const own = box.dataset.scrollRegion === "1";
      if (!own && (box.hasAttribute("tabindex") || box.matches(FOCUSABLE))) continue;
      const scrolls = overflows(box);
      if (scrolls && !own) {
        box.setAttribute("tabindex", "0");
        box.dataset.scrollRegion = "1";
      } else if (!scrolls && own) {
        box.removeAttribute("tabindex");
        delete box.dataset.scrollRegion;
      }
    }
  }
  let timer = null;
  window.addEventListener("resize", () => {
    clearTimeout(timer);
    timer = setTimeout(mark, 150);
  });
  mark();
})();
