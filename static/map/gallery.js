// The public unit page's gallery: a thumbnail shows its photo in the large frame (instead of
// opening the file), with its caption as text (textContent, never HTML).

const frame = document.getElementById("gallery-image");
const caption = document.getElementById("gallery-caption");

function show(link) {
  frame.src = link.getAttribute("href");
  frame.alt = link.querySelector("img")?.alt || "";
  if (link.dataset.width) {
    frame.width = Number(link.dataset.width);
    frame.height = Number(link.dataset.height);
  }
  caption.textContent = link.dataset.caption || "";
  if (link.dataset.date) {
    const date = document.createElement("span");
    date.className = "muted";
    date.textContent = ` (${link.dataset.date})`;
    caption.append(date);
  }
  for (const other of document.querySelectorAll(".gallery-thumbs a")) {
    other.removeAttribute("aria-current");
  }
  link.setAttribute("aria-current", "true");
}

if (frame && caption) {
  for (const link of document.querySelectorAll(".gallery-thumbs a")) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      show(link);
    });
  }
}
