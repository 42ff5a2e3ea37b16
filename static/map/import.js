// Import wizard (no inline script under the CSP): while a dry run or a commit runs, the
// <progress> bar with data-status-url is updated from that JSON endpoint; when the job has
// ended the bar is filled and the page moves on to data-next-url (the result, or the error).
// While the job waits for the background worker, the note data-waiting shows.
// Without JavaScript the page's "Aktualisieren" button and "Weiter" link do the same by hand.
const bar = document.querySelector("progress[data-status-url]");
const text = document.querySelector("[data-progress-text]");
const waiting = document.querySelector("[data-waiting]");
const INTERVAL_MS = 600;
const SHOW_FULL_MS = 400;

function show(status) {
  const total = Number(status.total) || 0;
  const done = Number(status.done) || 0;
  if (total > 0) {
    bar.max = total;
    bar.value = Math.min(done, total);
  }
  if (text) {
    // the sentence in the page's language, with {done} and {total} (data-progress-text)
    const locale = document.documentElement.lang || "de";
    text.textContent = text.dataset.progressText
      .replace("{done}", done.toLocaleString(locale))
      .replace("{total}", total.toLocaleString(locale));
  }
}

function moveOn() {
  window.setTimeout(() => window.location.assign(bar.dataset.nextUrl), SHOW_FULL_MS);
}

async function poll() {
  try {
    const response = await fetch(bar.dataset.statusUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
    });
    if (!response.ok) {
      window.location.reload();
      return;
    }
    const status = await response.json();
    show(status);
    if (waiting) waiting.hidden = !status.waiting;
    if (status.state !== "running") {
      bar.dataset.state = status.state || "";
      moveOn();
      return;
    }
  } catch {
    // a network hiccup: try again on the next tick
  }
  window.setTimeout(poll, INTERVAL_MS);
}

if (bar) window.setTimeout(poll, INTERVAL_MS / 2);
