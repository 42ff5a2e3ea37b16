// Popups and list items of the public map, built from DOM text nodes only (textContent):
// titles and descriptions typed by staff or initiatives can never become HTML.

import { el } from "./map.js";

export const FEATURE_TEXT = {
  street_level: "ebenerdig",
  step_free: "barrierefrei",
  shop_window: "Schaufenster",
  power: "Strom",
  water: "Wasser",
  wc: "WC",
  heating: "Heizung",
};

const areaFormat = new Intl.NumberFormat("de-DE", { maximumFractionDigits: 0 });

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

function availability(p) {
  if (!p.available_from) return "verfügbar nach Absprache";
  let text = `verfügbar ab ${formatDate(p.available_from)}`;
  if (p.available_to) text += ` bis ${formatDate(p.available_to)}`;
  return text;
}

function featureList(p) {
  return Object.keys(FEATURE_TEXT).filter((key) => p[key]).map((key) => FEATURE_TEXT[key]);
}

function link(text, href) {
  const a = el("a", text);
  a.href = href;
  return a;
}

export function unitPopup(p, linkText) {
  const box = el("div", null, "unit-popup");
  box.dataset.unitId = String(p.id);
  box.append(el("strong", address(p)), el("span", meta(p)));
  box.append(el("span", `${p.vacancy_label} · ${availability(p)}`));
  const features = featureList(p);
  if (features.length) box.append(el("span", features.join(", "), "muted"));
  if (p.public_description) box.append(el("p", p.public_description, "popup-text"));
  box.append(link(linkText, p.url));
  return box;
}

export function ideaPopup(p, linkText) {
  const box = el("div", null, "idea-popup");
  box.append(el("strong", p.title), el("span", `${p.use_kind_label} · ${p.organisation}`));
  if (p.districts && p.districts.length) box.append(el("span", p.districts.join(", ")));
  box.append(link(linkText, p.url));
  return box;
}

export function listItem(p, showText, onShow) {
  const item = el("li", null, "public-item");
  item.dataset.unitId = String(p.id);
  item.append(link(address(p), p.url));
  item.lastChild.className = "public-item-title";
  item.append(el("span", meta(p), "public-item-meta"));
  item.append(el("span", p.vacancy_label, `badge state-${p.vacancy_state}`));
  if (p.public_description) item.append(el("p", p.public_description, "public-item-text"));
  const button = el("button", showText, "link public-show");
  button.type = "button";
  button.addEventListener("click", () => onShow(p.id));
  item.append(button);
  return item;
}
