// Popups, list items, the list's count and its pages on the public map, built from DOM text
// nodes only (textContent): titles and descriptions typed by staff or initiatives can never
// become HTML.

import { el, link } from "./map.js";

// Numbers in the page's language (<html lang>), like the server's |number filter.
const areaFormat = new Intl.NumberFormat(document.documentElement.lang || "de", {
  maximumFractionDigits: 0,
});

// The texts of the public map page, translated by the server: data-text-* attributes and the
// feature labels (data-features, {code: label}) of the map element.
export function pageTexts(node) {
  const d = node.dataset;
  return {
    open: d.textOpen,
    show: d.textShow,
    error: d.textError,
    byArrangement: d.textByArrangement,
    availableFrom: d.textAvailableFrom,
    until: d.textUntil,
    features: JSON.parse(d.features || "{}"),
  };
}

export function formatDate(iso) {
  if (!iso) return "";
  const [y, m, d] = String(iso).split("-");
  return `${d}.${m}.${y}`;
}

export function address(p) {
  return [p.street, p.house_number].filter(Boolean).join(" ");
}

export function meta(p) {
  const parts = [p.kind_label, `${areaFormat.format(p.area_m2)} m²`];
  if (p.district) parts.push(p.district);
  return parts.join(" · ");
}

function availability(p, texts) {
  if (!p.available_from) return texts.byArrangement;
  let text = `${texts.availableFrom} ${formatDate(p.available_from)}`;
  if (p.available_to) text += ` ${texts.until} ${formatDate(p.available_to)}`;
  return text;
}

function featureList(p, texts) {
  return Object.entries(texts.features).filter(([key]) => p[key]).map(([, text]) => text);
}

// The cover thumbnail (``p.photo``: its URL, or null without a public photo); decorative, as
// the address next to it says what it shows.
function photo(p, className) {
  const img = el("img", null, className);
  img.src = p.photo;
  img.alt = "";
  img.loading = "lazy";
  return img;
}

export function unitPopup(p, texts) {
  const box = el("div", null, "unit-popup");
  box.dataset.unitId = String(p.id);
  if (p.photo) box.append(photo(p, "unit-photo"));
  box.append(el("strong", address(p)), el("span", meta(p)));
  box.append(el("span", `${p.vacancy_label} · ${availability(p, texts)}`));
  const features = featureList(p, texts);
  if (features.length) box.append(el("span", features.join(", "), "muted"));
  if (p.public_description) box.append(el("p", p.public_description, "popup-text"));
  box.append(link(texts.open, p.url));
  return box;
}

export function proposalPopup(p, linkText) {
  const box = el("div", null, "proposal-popup");
  box.append(el("strong", p.title), el("span", `${p.use_kind_label} · ${p.organisation}`));
  if (p.districts && p.districts.length) box.append(el("span", p.districts.join(", ")));
  box.append(link(linkText, p.url));
  return box;
}

export function listItem(p, showText, onShow) {
  const item = el("li", null, "public-item");
  item.dataset.unitId = String(p.id);
  if (p.photo) item.append(photo(p, "unit-item-photo"));
  item.append(link(address(p), p.url));
  item.lastChild.className = "public-item-title";
  item.append(el("span", meta(p), "public-item-meta"));
  item.append(el("span", p.vacancy_label, `badge state-${p.vacancy_state}`));
  if (p.public_description) item.append(el("p", p.public_description, "public-item-text"));
  const button = el("button", showText, "link public-show");
  button.type = "button";
  button.addEventListener("click", () => onShow(p.id, button));
  item.append(button);
  return item;
}

const numberFormat = new Intl.NumberFormat(document.documentElement.lang || "de");

// The count above the list (``d``: the map element's dataset with the page's texts). Free
// spaces never count a unit in interim use, running or planned; those are named after them,
// as the server renders it. Over the summary's cap only "more than …" is said.
export function countText(d, summary) {
  if (summary.capped) return d.textCountCapped.replace("{n}", numberFormat.format(summary.matched - 1));
  const free = summary.matched - summary.interim;
  let text = free === 1 ? d.textCountOne : d.textCountMany.replace("{n}", String(free));
  if (summary.interim) text += `, ${d.textCountInterim.replace("{n}", String(summary.interim))}`;
  return text;
}

// The list's pages in ``nav``: where it stands ("Räume 1–50 von 312 im Kartenausschnitt") and
// buttons to the previous and next page; ``go(offset)`` loads one. ``at``: {offset, size,
// returned, more} of this page and the ``summary`` of the view (its count may be capped).
export function pager(nav, d, at, summary, go) {
  const { offset, size, returned, more } = at;
  const total = summary.capped
    ? d.textMoreThan.replace("{n}", numberFormat.format(summary.matched - 1))
    : numberFormat.format(summary.matched);
  const status = d.textPage.replace("{from}", numberFormat.format(returned ? offset + 1 : 0))
    .replace("{to}", numberFormat.format(offset + returned)).replace("{total}", total);
  const button = (text, target, enabled) => {
    const b = el("button", text, "secondary");
    b.type = "button";
    b.disabled = !enabled;
    b.addEventListener("click", () => go(target));
    return b;
  };
  nav.replaceChildren(el("p", status, "muted"),
    button(d.textPrevious, Math.max(0, offset - size), offset > 0),
    button(d.textNext, offset + size, more));
  nav.hidden = !more && offset === 0;
}
