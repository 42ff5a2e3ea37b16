// Register map: the filtered units of the current view, from register.geojson (built by PostGIS).
// The first answer covers every filtered unit (the map then fits their extent); after that
// every move asks for the view (bbox and zoom, debounced). Below a street's zoom the server
// clusters the units on a grid: a cluster shows its count and zooms to its units on a click.
// Popups are built from DOM text nodes. When a view is drawn the element carries
// data-marker-count (single units), data-cluster-count, data-total (units in the view) and
// data-drawn-view (map.js's data-view when they were asked for); data-loading is set while an
// answer is awaited.

import { byId, createMap, el, fetchJson, link, withQuery } from "./map.js";

const L = window.L;
const DEBOUNCE_MS = 250;
const MAX_FIT_ZOOM = 17;
const CLUSTER_MAX_ZOOM = 18;

function popup(props, linkText) {
  const box = el("div", null, "unit-popup");
  box.append(el("strong", props.address), el("span", props.name, "muted"));
  box.append(el("span", `${props.kind_label} · ${props.vacancy_label}`, "muted"));
  box.append(link(linkText, props.url));
  return box;
}

function highlight(unitId, on) {
  const row = document.querySelector(`tr[data-unit-id="${unitId}"]`);
  if (row) row.classList.toggle("is-highlighted", on);
}

function clusterSize(count) {
  if (count < 10) return 30;
  if (count < 100) return 36;
  if (count < 1000) return 42;
  return 50;
}

// [[south, west], [north, east]] of a cluster's or an answer's [minLon, minLat, maxLon, maxLat]
function bounds(box) {
  return L.latLngBounds([box[1], box[0]], [box[3], box[2]]);
}

function clusterMarker(map, latlng, props, text) {
  const count = Number(props.count).toLocaleString(document.documentElement.lang || "de");
  const size = clusterSize(props.count);
  const icon = L.divIcon({
    html: el("span", count), className: "register-cluster", iconSize: [size, size],
  });
  const label = text.replace("{count}", count);
  const marker = L.marker(latlng, { icon, title: label, alt: label, keyboard: true });
  marker.on("click", () => {
    const area = bounds(props.bbox);
    const zoom = Math.min(CLUSTER_MAX_ZOOM, Math.max(map.getBoundsZoom(area.pad(0.2)), map.getZoom() + 1));
    map.setView(area.getCenter(), zoom);
  });
  return marker;
}

function unitMarker(latlng, props, linkText) {
  const marker = L.circleMarker(latlng, {
    radius: 8, color: "#22544a", weight: 2, fillColor: "#c8763a", fillOpacity: 0.85,
    className: "unit-marker",
  });
  marker.bindPopup(() => popup(props, linkText));
  marker.on("mouseover", () => highlight(props.unit_id, true));
  marker.on("mouseout", () => highlight(props.unit_id, false));
  return marker;
}

// The view as query parameters: bbox clamped to valid degrees (Leaflet's may pass ±180 at low
// zooms), the zoom as a whole number.
function viewParams(map) {
  const b = map.getBounds();
  const lon = (x) => Math.max(-180, Math.min(180, x)).toFixed(6);
  const lat = (y) => Math.max(-90, Math.min(90, y)).toFixed(6);
  const bbox = [lon(b.getWest()), lat(b.getSouth()), lon(b.getEast()), lat(b.getNorth())];
  return { bbox: bbox.join(","), zoom: String(Math.round(map.getZoom())) };
}

function publish(node, data) {
  const clusters = data.features.filter((f) => f.properties.cluster).length;
  node.dataset.markerCount = String(data.features.length - clusters);
  node.dataset.clusterCount = String(clusters);
  node.dataset.total = String(data.total);
  node.dataset.drawnView = node.dataset.view || ""; // the view these markers were asked for
  delete node.dataset.loading;
  performance.mark("register-map-drawn"); // scripts/bench_register_map.py reads it
}

// load(params, quiet): fetch and draw the view; quiet leaves the data attributes to the caller
function createLoader(node, layer) {
  let asked = 0;
  return async function load(params, quiet = false) {
    const own = ++asked;
    node.dataset.loading = "1";
    const data = await fetchJson(withQuery(node.dataset.geojsonUrl, params), "application/geo+json");
    if (own !== asked) return null; // a newer view was asked for meanwhile
    layer.clearLayers();
    layer.addData(data);
    if (!quiet) publish(node, data);
    return data;
  };
}

// Fit the filtered units' extent when the start view does not show them all or when they take
// up a small part of it (two zoom levels or more); a start view that already frames them stays,
// so that its answer is final and no second request is needed.
function needsFit(map, extent) {
  const fitZoom = Math.min(MAX_FIT_ZOOM, map.getBoundsZoom(extent, false, L.point(48, 48)));
  return !map.getBounds().contains(extent) || fitZoom - map.getZoom() >= 2;
}

async function init() {
  const node = byId("register-map");
  if (!node) return;
  const map = createMap(node);
  const linkText = node.dataset.linkText || "Gebäude öffnen";
  const clusterText = node.dataset.clusterText || "{count}";
  const layer = L.geoJSON(null, {
    pointToLayer: (feature, latlng) => (feature.properties.cluster
      ? clusterMarker(map, latlng, feature.properties, clusterText)
      : unitMarker(latlng, feature.properties, linkText)),
  }).addTo(map);
  const load = createLoader(node, layer);
  const asked = Math.round(map.getZoom());
  const all = await load({ zoom: String(asked) }, true);
  // No animation: when data-marker-count appears, the view is final (a marker clicked during a
  // zoom animation may open a popup that the end of the animation moves away).
  if (all && all.extent && needsFit(map, bounds(all.extent))) {
    map.fitBounds(bounds(all.extent), { padding: [24, 24], maxZoom: MAX_FIT_ZOOM, animate: false });
  }
  let timer = null;
  map.on("moveend", () => {
    clearTimeout(timer);
    timer = setTimeout(() => load(viewParams(map)).catch(failed), DEBOUNCE_MS);
  });
  // the first answer holds every unit on the grid of its zoom: only another zoom needs more
  if (Math.round(map.getZoom()) !== asked) await load(viewParams(map));
  else if (all) publish(node, all);
}

function failed(error) {
  const node = byId("register-map");
  if (node) {
    node.dataset.markerCount = "error";
    delete node.dataset.loading;
  }
  console.error(error);
}

init().catch(failed);
