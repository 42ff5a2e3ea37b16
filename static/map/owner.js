// Owner answer pages (no inline script under the CSP):
// - the error summary gets focus on load (autofocus does it in most browsers; this is the
//   fallback) and its links move focus to the field they name;
// - on the page opened from a mailed link the address (with the secret) is replaced in the
//   history by the request's address without a secret (data-clean-url).
const summary = document.querySelector("[data-error-summary]");
if (summary) {
  if (document.activeElement !== summary) summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    field.focus();
    (field.closest("fieldset, label") || field).scrollIntoView({ block: "start" });
  });
}
const sheet = document.querySelector("[data-clean-url]");
if (sheet && window.location.pathname !== sheet.dataset.cleanUrl) {
  window.history.replaceState(null, "", sheet.dataset.cleanUrl);
}
