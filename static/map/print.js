// "Drucken" buttons (data-print): open the browser's print dialogue (no inline scripts: CSP).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
