// Place search above a map (templates/_map_search.html): the text goes to /api/places (the
// town's streets, addresses, Ortsteile, focus areas; optionally a geocoder, asked by the
// server), the hits become a list of buttons. Enter searches at once (and never submits the
// surrounding form), arrow keys move between the hits, Escape closes the list. Picking a hit
// zooms the map there and calls onPick(latlng, place).

import { el, fetchJson } from "./map.js";

const ZOOM = { address: 18, landmark: 17, geocoder: 17, street: 17, focus_area: 16, district: 15 };
const DELAY_MS = 300;

function buttons(list) {
  return [...list.querySelectorAll("button")];
}

function moveFocus(list, from, step) {
  const all = buttons(list);
  const next = all[all.indexOf(from) + step];
  if (next) next.focus();
  return next;
}

export function placeSearch(map, box, onPick = () => {}) {
  const input = box.querySelector("input[type=search]");
  const list = box.querySelector(".place-search-results");
  const status = box.querySelector(".place-search-status");
  const kinds = box.dataset.kindLabels ? JSON.parse(box.dataset.kindLabels) : {};
  let timer = null;
  let asked = "";

  // the hits are buttons announced by the status line, not a listbox: no combobox ARIA
  const close = () => list.replaceChildren();
  const pick = (place) => {
    const latlng = window.L.latLng(place.lat, place.lon);
    map.setView(latlng, ZOOM[place.kind] || 16);
    close();
    status.textContent = `${box.dataset.pickedText || "Karte zeigt"}: ${place.label}`;
    input.value = place.label;
    onPick(latlng, place);
  };
  const show = (places) => {
    list.replaceChildren();
    for (const place of places) {
      const item = el("li");
      const button = el("button", null, "place-hit");
      button.type = "button";
      button.dataset.kind = place.kind;
      button.append(el("span", place.label), el("span", kinds[place.kind] || place.kind, "muted"));
      button.addEventListener("click", () => pick(place));
      item.append(button);
      list.append(item);
    }
    status.textContent = places.length
      ? (box.dataset.countText || "Treffer: {n}").replace("{n}", String(places.length))
      : box.dataset.noneText || "Keine Treffer.";
  };
  const search = async () => {
    clearTimeout(timer);
    const query = input.value.trim();
    if (!query) {
      close();
      status.textContent = "";
      return;
    }
    asked = query;
    const url = `${box.dataset.placesUrl}?q=${encodeURIComponent(query)}`;
    try {
      const places = await fetchJson(url);
      if (asked === query) show(places);
    } catch (error) {
      close();
      status.textContent = error.message;
    }
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, DELAY_MS);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();  // inside a form: search, do not submit
      search();
    } else if (event.key === "ArrowDown") {
      const first = buttons(list)[0];
      if (first) {
        event.preventDefault();
        first.focus();
      }
    } else if (event.key === "Escape") {
      close();
    }
  });
  box.querySelector(".place-search-go")?.addEventListener("click", search);
  list.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const moved = moveFocus(list, event.target, event.key === "ArrowDown" ? 1 : -1);
      if (!moved && event.key === "ArrowUp") input.focus();
    } else if (event.key === "Escape") {
      close();
      input.focus();
    }
  });
}
