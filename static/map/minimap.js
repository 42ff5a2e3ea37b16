// Small read-only maps on the public unit and proposal pages (.mini-map): data-place holds a GeoJSON
// FeatureCollection whose features carry properties.role: "point" (with radius_m: a circle
// around it), "area", "district" (polygon or centre, with its name) or "unit". The map fits
// them; data-layer-count tells how many shapes were drawn (tests read it). Names go in as text.

import { PROPOSAL_COLOUR, createMap, el, parseGeoJson } from "./map.js";

const L = window.L;
const SHAPE = { color: PROPOSAL_COLOUR, weight: 2, fillOpacity: 0.15, className: "mini-shape" };
const DOT = { ...SHAPE, radius: 7, fillOpacity: 0.8, className: "mini-dot" };
const UNIT_DOT = { radius: 9, color: "#ffffff", weight: 2, fillColor: "#c8473a", fillOpacity: 0.9,
  className: "mini-dot mini-unit" };

function pointLayer(feature, latlng) {
  const { role, radius_m: radius } = feature.properties || {};
  if (role === "unit") return L.circleMarker(latlng, UNIT_DOT);
  if (role === "point" && radius) {
    return L.featureGroup([L.circle(latlng, { ...SHAPE, radius }), L.circleMarker(latlng, DOT)]);
  }
  return L.circleMarker(latlng, DOT);
}

function draw(node) {
  const place = parseGeoJson(node.dataset.place);
  const map = createMap(node, { scrollWheelZoom: false });
  if (!place || !place.features.length) {
    node.dataset.layerCount = "0";
    return;
  }
  let count = 0;
  const layer = L.geoJSON(place, {
    // points keep the style pointToLayer gave them (L.geoJSON would overwrite it)
    style: (feature) => (feature.geometry.type.endsWith("Point") ? {} : SHAPE),
    pointToLayer: pointLayer,
    onEachFeature: (feature, part) => {
      count += 1;
      const name = feature.properties && feature.properties.name;
      if (name) part.bindTooltip(el("span", name), { permanent: true, direction: "center",
        className: "district-label" });
    },
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 16 });
  node.dataset.layerCount = String(count);
}

for (const node of document.querySelectorAll(".mini-map[data-place]")) {
  try {
    draw(node);
  } catch (error) {
    node.dataset.layerCount = "error";
    console.error(error);
  }
}
