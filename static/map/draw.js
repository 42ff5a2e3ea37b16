// Map for a proposal's place (Nutzungsidee). data-mode="edit" on #proposal-map: the radio buttons
// location_kind choose between a point with a radius (click into the map; fills point_lon /
// point_lat), an area drawn with leaflet-draw (GeoJSON kept in the textarea area_geojson),
// Ortsteile (checkboxes) and one published unit (select). Only the chosen kind's inputs are
// shown. data-mode="view": shows data-geometry (point with data-radius, or polygon). The edit
// map also shows the context layers (context.js) and a place search (places.js; a chosen hit
// only moves the map).

import { contextLayers } from "./context.js";
import { PROPOSAL_COLOUR, byId, createMap, parseGeoJson, parseLatLng, polygonField } from "./map.js";
import { placeSearch } from "./places.js";

const L = window.L;
const AREA_STYLE = { color: PROPOSAL_COLOUR, weight: 2, fillOpacity: 0.2 };
const CIRCLE_STYLE = { color: PROPOSAL_COLOUR, weight: 1 };

function chosenKind(form) {
  const checked = form.querySelector("input[name=location_kind]:checked");
  return checked ? checked.value : "point";
}

function showKind(form, map) {
  const kind = chosenKind(form);
  for (const part of form.querySelectorAll("[data-location-kind]")) {
    part.classList.toggle("hidden", part.dataset.locationKind !== kind);
  }
  const mapless = kind === "districts" || kind === "unit";
  map.getContainer().classList.toggle("hidden", mapless);
  const search = document.querySelector(".place-search[data-map=proposal-map]");
  if (search) search.classList.toggle("hidden", mapless);
  map.invalidateSize();
  return kind;
}

function initPoint(map, form, area) {
  let marker = null;
  let circle = null;
  const radius = () => {
    const value = Number(byId("radius_m").value);
    return Number.isFinite(value) && value > 0 ? value : 500;
  };
  const place = (latlng) => {
    if (!marker) {
      marker = L.marker(latlng).addTo(map);
      circle = L.circle(latlng, { ...CIRCLE_STYLE, radius: radius() }).addTo(map);
    }
    marker.setLatLng(latlng);
    circle.setLatLng(latlng).setRadius(radius());
  };
  const typed = () => parseLatLng(byId("point_lon").value, byId("point_lat").value);
  map.on("click", (event) => {
    if (area.isDrawing() || chosenKind(form) !== "point") return;
    byId("point_lon").value = event.latlng.lng.toFixed(6);
    byId("point_lat").value = event.latlng.lat.toFixed(6);
    place(event.latlng);
  });
  const fromInputs = () => {
    const latlng = typed();
    if (latlng) place(latlng);
    return latlng;
  };
  for (const id of ["point_lon", "point_lat", "radius_m"]) byId(id).addEventListener("change", fromInputs);
  return fromInputs();
}

function initEdit(node) {
  const form = node.closest("form");
  const map = createMap(node);
  const area = polygonField(map, byId("area_geojson"), AREA_STYLE);
  const start = initPoint(map, form, area);
  const drawn = area.drawn;
  for (const radio of form.querySelectorAll("input[name=location_kind]")) {
    radio.addEventListener("change", () => showKind(form, map));
  }
  const search = document.querySelector(".place-search[data-map=proposal-map]");
  if (search) placeSearch(map, search);
  contextLayers(map, node);
  const kind = showKind(form, map);
  if (kind === "area" && drawn.getLayers().length) map.fitBounds(drawn.getBounds(), { maxZoom: 16 });
  else if (kind === "point" && start) map.setView(start, map.getZoom());
}

function initView(node) {
  const geojson = parseGeoJson(node.dataset.geometry);
  const map = createMap(node);
  if (!geojson) return;
  if (geojson.type === "Point") {
    const [lon, lat] = geojson.coordinates;
    const radius = Number(node.dataset.radius);
    L.marker([lat, lon]).addTo(map);
    if (radius > 0) {
      const circle = L.circle([lat, lon], { ...CIRCLE_STYLE, radius }).addTo(map);
      map.fitBounds(circle.getBounds(), { maxZoom: 16 });
    } else {
      map.setView([lat, lon], 16);
    }
    return;
  }
  const layer = L.geoJSON(geojson, { style: AREA_STYLE }).addTo(map);
  map.fitBounds(layer.getBounds(), { maxZoom: 16 });
}

function init() {
  const node = byId("proposal-map");
  if (!node) return;
  if (node.dataset.mode === "edit") initEdit(node);
  else initView(node);
}

init();
