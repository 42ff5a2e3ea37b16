// The public map (/): published units clustered and coloured by kind, a legend, layers for the
// Ortsteile, the focus area and published proposals, filters, and a list beside the map built from
// the same GeoJSON response. The URL keeps view and filters (history.replaceState), so a link
// can be shared. All text is inserted with textContent.
// Bad filter values are checked by the server only: a field it marked aria-invalid is left out
// until it is edited, and a value the API refuses reloads the page, which names the field by its
// label and keeps what was typed. On a phone (CSS, <= 600 px) the filters and the legend fold
// away behind the button "Filter und Legende".

import { byId, createMap, el, fetchJson, nameLayersToggle, withQuery } from "./map.js";
import { districtsLayer, focusLayer, legend, proposalsLayer, unitMarker } from "./layers.js";
import { listItem, pageTexts, unitPopup } from "./popups.js";

const L = window.L;
const FILTERS = ["district", "kind", "area_min", "area_max", "available_from", "street_level", "step_free"];

const state = { seq: 0, features: new Map(), fitted: false, loaded: false };

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
  if (!ok || !Number.isFinite(lat) || !Number.isFinite(lon)) return false;
  map.setView([lat, lon], Number.isInteger(z) && z >= 1 && z <= 19 ? z : map.getZoom());
  return true;
}

function fetchUnits(url, params) {
  const query = new URLSearchParams(params);
  query.set("limit", "10000");
  return fetchJson(withQuery(url, query), "application/geo+json");
}

// Free spaces never count a unit in interim use, running or planned (in_interim_use); those
// are named after them, as the server renders it.
function countText(node, features) {
  const interim = features.filter((f) => f.properties.in_interim_use).length;
  const free = features.length - interim;
  let text = free === 1
    ? node.dataset.textCountOne
    : node.dataset.textCountMany.replace("{n}", String(free));
  if (interim) text += `, ${node.dataset.textCountInterim.replace("{n}", String(interim))}`;
  return text;
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
// button) closes it and the focus returns to the button that opened it.
function showOnMap(ctx, feature, opener) {
  const [lon, lat] = feature.geometry.coordinates;
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
    const active = document.activeElement;
    if (!active || active === document.body || box.contains(active)) opener?.focus();
  });
}

// Clusters carry a name ("4 Räume – vergrößern") on the focusable element Leaflet makes of
// them (role=button); the number itself is hidden from screen readers. Enter on a focused
// cluster zooms in and puts the focus on the map (leaflet.markercluster does both).
const ClusterIcon = L.DivIcon.extend({
  createIcon(oldIcon) {
    const div = L.DivIcon.prototype.createIcon.call(this, oldIcon);
    div.setAttribute("aria-label", this.options.label);
    return div;
  },
});

function clusterIcon(text) {
  return (cluster) => {
    const n = cluster.getChildCount();
    const size = n < 10 ? "small" : n < 100 ? "medium" : "large";
    const inner = el("div");
    const count = el("span", n);
    count.setAttribute("aria-hidden", "true");
    inner.append(count);
    return new ClusterIcon({
      html: inner, className: `marker-cluster marker-cluster-${size}`,
      iconSize: L.point(40, 40), label: text.replace("{n}", String(n)),
    });
  };
}

function render(ctx, geojson) {
  const { node, cluster, list, texts } = ctx;
  cluster.clearLayers();
  state.features.clear();
  list.replaceChildren();
  const show = (id, opener) => {
    const feature = state.features.get(id);
    if (feature) showOnMap(ctx, feature, opener);
  };
  for (const feature of geojson.features) {
    const [lon, lat] = feature.geometry.coordinates;
    const marker = unitMarker(feature, L.latLng(lat, lon), ctx.colours);
    marker.bindPopup(() => unitPopup(feature.properties, texts));
    state.features.set(feature.properties.id, feature);
    cluster.addLayer(marker);
    list.append(listItem(feature.properties, texts.show, show));
  }
  const n = geojson.features.length;
  byId("public-count").textContent = countText(node, geojson.features);
  byId("public-empty").classList.toggle("hidden", n > 0);
  node.dataset.markerCount = String(n);
}

async function update(ctx) {
  const seq = ++state.seq;
  const params = filterParams(ctx.form);
  ctx.node.dataset.loading = "1";
  try {
    const geojson = await fetchUnits(ctx.node.dataset.unitsUrl, params);
    if (seq !== state.seq) return;
    showMessage("");
    render(ctx, geojson);
    if (!state.fitted && geojson.features.length) {
      ctx.map.fitBounds(ctx.cluster.getBounds(), { padding: [24, 24], maxZoom: 16 });
    }
    state.fitted = true;
  } catch (error) {
    console.warn(error);
    if (seq !== state.seq) return;
    if (state.loaded) {
      location.assign(`${location.pathname}?${params}`);  // the server explains, by label
      return;
    }
    showMessage(ctx.texts.error);
  } finally {
    if (seq === state.seq) delete ctx.node.dataset.loading;
    syncUrl(ctx.map, ctx.form);
  }
}

async function addOverlays(ctx, control) {
  const d = ctx.node.dataset;
  const loaders = [
    [d.textDistricts, districtsLayer(d.districtsUrl), true],
    [d.textFocus, focusLayer(d.focusUrl), true],
    [d.textProposals, proposalsLayer(d.proposalsUrl, d.textProposalOpen), true],
  ];
  for (const [name, promise, visible] of loaders) {
    try {
      const layer = await promise;
      if (visible) layer.addTo(ctx.map);
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

function initInvalid(form) {
  for (const input of form.querySelectorAll("[aria-invalid=true]")) {
    input.addEventListener("input", () => input.removeAttribute("aria-invalid"), { once: true });
  }
}

async function init() {
  const node = byId("public-map");
  const form = byId("public-filters");
  if (!node || !form) return;
  initFold(form);
  initInvalid(form);
  const map = createMap(node, { maxZoom: 19 });
  // a start view in the URL or the town's own (its settings) is kept; else fit the markers
  state.fitted = initialView(map) || Boolean(node.dataset.townCenter);
  const cluster = L.markerClusterGroup({
    showCoverageOnHover: false, maxClusterRadius: 40, disableClusteringAtZoom: 17,
    iconCreateFunction: clusterIcon(node.dataset.textCluster || "{n}"),
  }).addTo(map);
  const control = L.control.layers(null, { [node.dataset.textUnits]: cluster }, {
    collapsed: window.innerWidth < 800,
  }).addTo(map);
  nameLayersToggle(control, node);
  const colours = JSON.parse(node.dataset.kindColours || "{}");
  legend(map, JSON.parse(node.dataset.kinds || "{}"), colours, node.dataset.textLegend, {
    interim: node.dataset.textInterim, planned: node.dataset.textPlanned,
  });
  const ctx = {
    node, form, map, cluster, colours, list: byId("public-list"), texts: pageTexts(node),
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    update(ctx);
  });
  form.addEventListener("change", () => update(ctx));
  byId("public-reset")?.addEventListener("click", (event) => {
    event.preventDefault();
    form.reset();
    for (const input of form.querySelectorAll("input, select")) {
      input.removeAttribute("aria-invalid");
      if (input.type === "checkbox") input.checked = false;
      else input.value = "";
    }
    update(ctx);
  });
  map.on("moveend", () => syncUrl(map, form));
  await update(ctx);
  state.loaded = true;
  await addOverlays(ctx, control);
}

init().catch((error) => {
  const node = byId("public-map");
  if (node) node.dataset.markerCount = "error";
  console.error(error);
});
