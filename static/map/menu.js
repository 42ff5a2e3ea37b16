// Staff header on phones: the navigation and the user row fold behind a "Menü" button
// (without JavaScript everything stays open, as on wide screens).
(function () {
  "use strict";
  const bar = document.querySelector(".topbar[data-menu]");
  const button = bar && bar.querySelector(".menu-toggle");
  if (!button) return;
  const narrow = window.matchMedia("(max-width: 480px)");

  function show(open) {
    bar.classList.toggle("menu-closed", !open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }
  function fit() {
    button.hidden = !narrow.matches;
    show(!narrow.matches);
  }
  button.addEventListener("click", function () {
    show(bar.classList.contains("menu-closed"));
  });
  narrow.addEventListener("change", fit);
  fit();
})();
