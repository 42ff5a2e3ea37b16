// Building map. data-mode="edit": click or drag sets the location (fills coord_x / coord_y as
// WGS84 lon / lat), typed coordinates move the marker, the footprint is drawn with
// leaflet-draw and kept as GeoJSON in the textarea footprint_geojson (pasting works too).
// data-mode="view": marker and footprint only.

import { createMap } from "./map.js";

const L = window.L;
const FOOTPRINT_STYLE = { color: "#c8763a", weight: 2, fillOpacity: 0.25 };
const drawState = { busy: false }; // while leaflet-draw is active, a click is not a location

function byId(id) {
  return document.getElementById(id);
}

function readFootprint(text) {
  if (!text || !text.trim()) return null;
  try {
    return L.geoJSON(JSON.parse(text), { style: FOOTPRINT_STYLE });
  } catch (error) {
    return null; // invalid text: the server explains what is wrong on save
  }
}

function initView(node, map) {
  const location = JSON.parse(node.dataset.location);
  L.marker(location).addTo(map);
  const footprint = readFootprint(node.dataset.footprint);
  if (footprint) footprint.addTo(map);
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
  const lon = Number(byId("coord_x").value.replace(",", "."));
  const lat = Number(byId("coord_y").value.replace(",", "."));
  const ok = byId("coord_x").value.trim() && byId("coord_y").value.trim();
  if (!ok || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
    return null;
  }
  return L.latLng(lat, lon);
}

function initLocation(map) {
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
    if (drawState.busy) return;
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
}

function initFootprint(map) {
  const area = byId("footprint_geojson");
  const drawn = new L.FeatureGroup().addTo(map);
  const show = () => {
    drawn.clearLayers();
    const layer = readFootprint(area.value);
    if (layer) layer.eachLayer((part) => drawn.addLayer(part));
  };
  show();
  area.addEventListener("change", show);
  if (!L.Control.Draw) return;
  map.addControl(
    new L.Control.Draw({
      draw: { polygon: { allowIntersection: false, showArea: false }, polyline: false, rectangle: false,
        circle: false, marker: false, circlemarker: false },
      edit: { featureGroup: drawn },
    }),
  );
  const save = () => {
    const layers = drawn.getLayers();
    area.value = layers.length ? JSON.stringify(layers[layers.length - 1].toGeoJSON().geometry) : "";
  };
  const busy = (value) => () => {
    drawState.busy = value;
  };
  map.on("draw:drawstart draw:editstart draw:deletestart", busy(true));
  // leaflet-draw fires the stop event before the last click reaches the map
  map.on("draw:drawstop draw:editstop draw:deletestop", () => setTimeout(busy(false), 0));
  map.on(L.Draw.Event.CREATED, (event) => {
    drawn.clearLayers();
    drawn.addLayer(event.layer);
    save();
  });
  map.on(L.Draw.Event.EDITED, save);
  map.on(L.Draw.Event.DELETED, save);
}

function init() {
  const node = byId("building-map");
  if (!node) return;
  const map = createMap(node);
  if (node.dataset.mode === "view") {
    initView(node, map);
    return;
  }
  initLocation(map);
  initFootprint(map);
}

init();
