// Building map. data-mode="edit": click or drag sets the location (fills coord_x / coord_y as
// WGS84 lon / lat), typed coordinates move the marker, the footprint is drawn with
// leaflet-draw and kept as GeoJSON in the textarea footprint_geojson (pasting works too).
// data-mode="view": marker and footprint only. The edit map also shows the context layers
// (context.js) and a place search (places.js) whose chosen hit moves the marker there.

import { contextLayers } from "./context.js";
import { byId, createMap, parseGeoJson, parseLatLng, polygonField } from "./map.js";
import { placeSearch } from "./places.js";

const L = window.L;
const FOOTPRINT_STYLE = { color: "#c8763a", weight: 2, fillOpacity: 0.25 };

function initView(node, map) {
  const location = JSON.parse(node.dataset.location);
  L.marker(location).addTo(map);
  const footprint = parseGeoJson(node.dataset.footprint);
  if (footprint) L.geoJSON(footprint, { style: FOOTPRINT_STYLE }).addTo(map);
}

function setLabels(crs) {
  for (const id of ["coord_x_label", "coord_y_label"]) {
    const span = byId(id);
    const text = span && span.dataset[`label${crs}`];
    if (text) span.textContent = text;
  }
}

function typedLatLng() {
  if (byId("coord_crs").value !== "4326") return null;
  return parseLatLng(byId("coord_x").value, byId("coord_y").value);
}

function initLocation(map, footprint) {
  let marker = null;
  const fill = (latlng) => {
    byId("coord_crs").value = "4326";
    setLabels("4326");
    byId("coord_x").value = latlng.lng.toFixed(6);
    byId("coord_y").value = latlng.lat.toFixed(6);
  };
  const place = (latlng) => {
    if (!marker) {
      marker = L.marker(latlng, { draggable: true, autoPan: true }).addTo(map);
      marker.on("dragend", () => fill(marker.getLatLng()));
    } else {
      marker.setLatLng(latlng);
    }
  };
  map.on("click", (event) => {
    if (footprint.isDrawing()) return;
    place(event.latlng);
    fill(event.latlng);
  });
  const fromInputs = () => {
    const latlng = typedLatLng();
    if (latlng) place(latlng);
    return latlng;
  };
  for (const id of ["coord_x", "coord_y"]) byId(id).addEventListener("change", fromInputs);
  byId("coord_crs").addEventListener("change", (event) => setLabels(event.target.value));
  const start = fromInputs();
  if (start) map.setView(start, map.getZoom());
  return (latlng) => {
    place(latlng);
    fill(latlng);
  };
}

function init() {
  const node = byId("building-map");
  if (!node) return;
  const map = createMap(node);
  if (node.dataset.mode === "view") {
    initView(node, map);
    return;
  }
  // while leaflet-draw is active, a click on the map is not a location
  const footprint = polygonField(map, byId("footprint_geojson"), FOOTPRINT_STYLE);
  const setLocation = initLocation(map, footprint);
  const search = document.querySelector(".place-search[data-map=building-map]");
  if (search) placeSearch(map, search, setLocation);
  contextLayers(map, node);
}

init();
