// The public map (/): the published units from vector tiles (unit-tiles.js: clusters per cell
// below zoom 17, coloured dots above), a legend, layers for the Ortsteile, the focus area and
// published proposals, filters, and beside the map the list of the units in the map's view,
// PAGE at a time (/tiles/units/list.json: bbox, offset), with their count (summary.json,
// capped). The URL keeps view and filters (history.replaceState), so a link can be shared.
// All text goes in with textContent. Bad filter values are checked by the server only: a field it marked
// aria-invalid is left out until it is edited, and a value the API refuses reloads the page,
// which names the field by its label and keeps what was typed. On a phone (CSS, <= 600 px) the
// filters and the legend fold away behind the button "Filter und Legende".

import { byId, createMap, el, fetchJson, nameLayersToggle, withQuery } from "./map.js";
import { clusterMarker, districtsLayer, focusLayer, legend, proposalsLayer, unitDot } from "./layers.js";
import { countText, listItem, pageTexts, pager, unitPopup } from "./popups.js";
import { UnitTiles } from "./unit-tiles.js";

const L = window.L;
const FILTERS = ["district", "kind", "area_min", "area_max", "available_from", "street_level", "step_free"];
const PAGE = 50;
const MOVE_DELAY = 200;  // ms after the map stopped before the list follows

const state = { seq: 0, offset: 0, features: new Map(), loaded: false, hold: false, timer: 0 };

function filterParams(form) {
  const params = new URLSearchParams();
  for (const name of FILTERS) {
    const input = form.elements[name];
    if (!input || input.getAttribute("aria-invalid") === "true") continue;
    if (input.type === "checkbox") {
      if (input.checked) params.set(name, "1");
    } else if (input.value.trim() !== "") {
      params.set(name, input.value.trim());
    }
  }
  return params;
}

function syncUrl(map, form) {
  const params = filterParams(form);
  const c = map.getCenter();
  params.set("lat", c.lat.toFixed(5));
  params.set("lon", c.lng.toFixed(5));
  params.set("z", String(map.getZoom()));
  history.replaceState(null, "", `${location.pathname}?${params}`);
}

function initialView(map) {
  const q = new URLSearchParams(location.search);
  const lat = Number(q.get("lat"));
  const lon = Number(q.get("lon"));
  const z = Number(q.get("z"));
  const ok = q.has("lat") && q.has("lon") && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
  if (!ok || !Number.isFinite(lat) || !Number.isFinite(lon)) return;
  const zoom = Number.isInteger(z) && z >= 1 && z <= 19 ? z : map.getZoom();
  map.setView([lat, lon], zoom, { animate: false });  // the list asks for this view at once
}

// The map's view as the API's bbox (clamped to the world: a wide phone view may cross it).
function viewBbox(map) {
  const b = map.getBounds();
  const clamp = (v, limit) => Math.max(-limit, Math.min(limit, v)).toFixed(6);
  return [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180),
    clamp(b.getNorth(), 90)].join(",");
}

function showMessage(text) {
  let box = byId("public-message");
  if (!box) {
    box = el("div", null, "errors");
    box.id = "public-message";
    box.setAttribute("role", "alert");
    byId("public-filters").after(box);
  }
  box.textContent = text || "";
  box.classList.toggle("hidden", !text);
}

// "auf der Karte zeigen": the unit's popup opens and takes the focus; Escape (or the close
// button) closes it and the focus returns to the button that opened it. The list stays as it
// is while that popup is open (the map moved for it, not the visitor).
function showOnMap(ctx, feature, opener) {
  const [lon, lat] = feature.geometry.coordinates;
  state.hold = true;
  ctx.map.setView([lat, lon], Math.max(ctx.map.getZoom(), 17), { animate: false });
  const popup = L.popup().setLatLng([lat, lon])
    .setContent(unitPopup(feature.properties, ctx.texts)).openOn(ctx.map);
  const box = popup.getElement();
  const content = box.querySelector(".unit-popup");
  content.tabIndex = -1;
  // no scrolling inside the map (it would shift the panes); the page brings the map into view
  content.focus({ preventScroll: true });
  ctx.node.scrollIntoView({ block: "nearest" });
  box.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    ctx.map.closePopup(popup);
  });
  popup.on("remove", () => {
    state.hold = false;
    const active = document.activeElement;
    if (!active || active === document.body || box.contains(active)) opener?.focus();
  });
}

function setBusy(ctx, part, busy) {
  ctx.busy[part] = busy;
  if (ctx.busy.list || ctx.busy.tiles) ctx.node.dataset.loading = "1";
  else delete ctx.node.dataset.loading;
}

function renderPager(ctx, page, summary) {
  const at = { offset: state.offset, size: PAGE, returned: page.features.length, more: page.more };
  pager(byId("public-pager"), ctx.node.dataset, at, summary, (offset) => {
    state.offset = offset;
    loadList(ctx).then(() => byId("public-results").focus({ preventScroll: false }));
  });
}

function renderList(ctx, page, summary) {
  const { node, list, texts } = ctx;
  state.features.clear();
  const show = (id, opener) => {
    const feature = state.features.get(id);
    if (feature) showOnMap(ctx, feature, opener);
  };
  list.replaceChildren(...page.features.map((feature) => {
    state.features.set(feature.properties.id, feature);
    return listItem(feature.properties, texts.show, show);
  }));
  renderPager(ctx, page, summary);
  byId("public-count").textContent = countText(node.dataset, summary);
  byId("public-empty").classList.toggle("hidden", summary.matched > 0);
  node.dataset.markerCount = String(summary.matched);
}

async function loadList(ctx) {
  const seq = ++state.seq;
  const params = filterParams(ctx.form);
  params.set("bbox", viewBbox(ctx.map));
  const query = new URLSearchParams(params);
  query.set("offset", String(state.offset));
  setBusy(ctx, "list", true);
  try {
    const [page, summary] = await Promise.all([
      fetchJson(withQuery(ctx.node.dataset.listUrl, query)),
      fetchJson(withQuery(ctx.node.dataset.summaryUrl, params)),
    ]);
    if (seq !== state.seq) return;
    showMessage("");
    renderList(ctx, page, summary);
  } catch (error) {
    console.warn(error);
    if (seq !== state.seq) return;
    if (state.loaded) {
      location.assign(`${location.pathname}?${filterParams(ctx.form)}`);  // the server explains
      return;
    }
    showMessage(ctx.texts.error);
  } finally {
    if (seq === state.seq) setBusy(ctx, "list", false);
    syncUrl(ctx.map, ctx.form);
  }
}

function refilter(ctx) {
  state.offset = 0;
  ctx.tiles.setQuery(filterParams(ctx.form));
  return loadList(ctx);
}

async function addOverlays(ctx, control) {
  const d = ctx.node.dataset;
  const loaders = [
    [d.textDistricts, districtsLayer(d.districtsUrl)],
    [d.textFocus, focusLayer(d.focusUrl)],
    [d.textProposals, proposalsLayer(d.proposalsUrl, d.textProposalOpen)],
  ];
  for (const [name, promise] of loaders) {
    try {
      const layer = await promise;
      layer.addTo(ctx.map);
      control.addOverlay(layer, name);
    } catch (error) {
      console.warn(name, error);
    }
  }
}

// The fold works only where CSS says so (<= 600 px); it starts folded unless a filter is wrong.
function initFold(form) {
  const board = byId("public-board");
  const button = byId("public-fold");
  if (!board || !button) return;
  const set = (folded) => {
    board.classList.toggle("folded", folded);
    button.setAttribute("aria-expanded", String(!folded));
  };
  board.classList.add("fold-ready");
  set(!form.querySelector("[aria-invalid=true]"));
  button.addEventListener("click", () => set(!board.classList.contains("folded")));
}

function initForm(ctx) {
  const { form } = ctx;
  for (const input of form.querySelectorAll("[aria-invalid=true]")) {
    input.addEventListener("input", () => input.removeAttribute("aria-invalid"), { once: true });
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    refilter(ctx);
  });
  form.addEventListener("change", () => refilter(ctx));
  byId("public-reset")?.addEventListener("click", (event) => {
    event.preventDefault();
    form.reset();
    for (const input of form.querySelectorAll("input, select")) {
      input.removeAttribute("aria-invalid");
      if (input.type === "checkbox") input.checked = false;
      else input.value = "";
    }
    refilter(ctx);
  });
}

function unitTiles(ctx) {
  const tiles = new UnitTiles(ctx.node.dataset.tilesUrl, {
    makeUnit: (properties, latlng) => unitDot(properties, latlng, ctx.colours)
      .bindPopup(() => unitPopup(properties, ctx.texts)),
    makeCluster: (count, latlng) => clusterMarker(ctx.map, count, latlng,
      ctx.node.dataset.textCluster || "{n}"),
  });
  tiles.on("loading", () => setBusy(ctx, "tiles", true));
  tiles.on("tilesload", (event) => {
    ctx.node.dataset.drawn = String(event.drawn);
    setBusy(ctx, "tiles", false);
  });
  tiles.on("remove", () => setBusy(ctx, "tiles", false));
  return tiles.setQuery(filterParams(ctx.form));
}

async function init() {
  const node = byId("public-map");
  const form = byId("public-filters");
  if (!node || !form) return;
  initFold(form);
  const map = createMap(node, { maxZoom: 19 });
  initialView(map);  // a start view in the URL; else the town's (settings) or its extent
  const colours = JSON.parse(node.dataset.kindColours || "{}");
  const ctx = {
    node, form, map, colours, list: byId("public-list"), texts: pageTexts(node),
    busy: { list: false, tiles: false },
  };
  ctx.tiles = unitTiles(ctx).addTo(map);
  const control = L.control.layers(null, { [node.dataset.textUnits]: ctx.tiles }, {
    collapsed: window.innerWidth < 800,
  }).addTo(map);
  nameLayersToggle(control, node);
  legend(map, JSON.parse(node.dataset.kinds || "{}"), colours, node.dataset.textLegend, {
    interim: node.dataset.textInterim, planned: node.dataset.textPlanned,
  });
  initForm(ctx);
  map.on("moveend", () => {
    syncUrl(map, form);
    if (state.hold || !state.loaded) return;
    clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.offset = 0;
      loadList(ctx);
    }, MOVE_DELAY);
  });
  await loadList(ctx);
  state.loaded = true;
  await addOverlays(ctx, control);
}

init().catch((error) => {
  const node = byId("public-map");
  if (node) node.dataset.markerCount = "error";
  console.error(error);
});
