// Layers of the maps: unit markers coloured by kind, clusters of the vector tiles, the legend,
// the Ortsteile, the focus areas, published proposals and (staff only) the register's
// buildings. Text goes in as DOM text only.

import { PROPOSAL_COLOUR, el, fetchJson, link, withQuery } from "./map.js";
import { proposalPopup } from "./popups.js";

const L = window.L;
const SVG = "http://www.w3.org/2000/svg";

// The colours of the kinds of unit come from the page (vocab.UNIT_KIND_COLOURS as a JSON
// data-kind-colours attribute): {code: "#rrggbb"}; an unknown kind takes the colour of "other".
function kindColour(colours, kind) {
  return colours[kind] || colours.other;
}

// Units in interim use keep their kind colour inside a dark green ring; a planned interim use
// (interim_planned: it starts later) has the ring dashed.
export const INTERIM_RING = "#14532d";
export const PLANNED_DASH = "3 3";

export function unitMarker(feature, latlng, colours) {
  return unitDot(feature.properties, latlng, colours);
}

// A unit's dot from its properties (kind, vacancy_state, interim_planned).
export function unitDot(properties, latlng, colours) {
  const { kind, vacancy_state: state, interim_planned: planned } = properties;
  const interim = state === "interim_use";
  return L.circleMarker(latlng, {
    radius: 9, color: interim ? INTERIM_RING : "#ffffff", weight: interim ? 4 : 2,
    dashArray: planned ? PLANNED_DASH : null,
    fillOpacity: 0.9, fillColor: kindColour(colours, kind),
    className: `unit-marker kind-${kind} state-${state}${planned ? " interim-planned" : ""}`,
  });
}

// Clusters carry a name ("4 Räume – vergrößern", ``label``) on the focusable element Leaflet
// makes of a marker (role=button, tabindex 0); the number itself is hidden from screen readers.
const ClusterIcon = L.DivIcon.extend({
  createIcon(oldIcon) {
    const div = L.DivIcon.prototype.createIcon.call(this, oldIcon);
    div.setAttribute("aria-label", this.options.label);
    return div;
  },
});

// A cluster of ``count`` units of the vector tiles on ``map``: a click or Enter zooms in by two
// levels (at most to ``maxZoom``, where the units stand alone) around it and puts the focus on
// the map.
export function clusterMarker(map, count, latlng, label, maxZoom = 17) {
  const size = count < 10 ? "small" : count < 100 ? "medium" : "large";
  const inner = el("div");
  const number = el("span", count);
  number.setAttribute("aria-hidden", "true");
  inner.append(number);
  const icon = new ClusterIcon({
    html: inner, className: `marker-cluster marker-cluster-${size}`,
    iconSize: L.point(40, 40), label: label.replace("{n}", String(count)),
  });
  const marker = L.marker(latlng, { icon, keyboard: true, title: "" });
  const zoomIn = () => {
    map.getContainer().focus({ preventScroll: true });
    map.setView(latlng, Math.min(map.getZoom() + 2, maxZoom));
  };
  marker.on("click", zoomIn);
  marker.on("keypress", (event) => {
    if (event.originalEvent.key === "Enter") zoomIn();
  });
  return marker;
}

function swatch(colour, ring = "#fff", dash = null) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("width", "14");
  svg.setAttribute("height", "14");
  svg.setAttribute("aria-hidden", "true");
  const dot = document.createElementNS(SVG, "circle");
  const attrs = { cx: 7, cy: 7, r: 5, fill: colour, stroke: ring, "stroke-width": 2 };
  if (dash) attrs["stroke-dasharray"] = "2 2";
  for (const [k, v] of Object.entries(attrs)) dot.setAttribute(k, String(v));
  svg.append(dot);
  return svg;
}

function legendRow(box, state, icon, text) {
  const row = el("div", null, "legend-row");
  row.dataset.state = state;
  row.append(icon, el("span", text));
  box.append(row);
}

// ``kinds``: {code: label} and ``colours``: {code: colour} of the kinds of unit (from the page);
// ``states``: {interim, planned} texts for the two rings (running, planned interim use).
export function legend(map, kinds, colours, title, states = {}) {
  const control = L.control({ position: "bottomright" });
  control.onAdd = () => {
    const box = el("div", null, "map-legend");
    box.append(el("strong", title));
    for (const [code, text] of Object.entries(kinds)) {
      const row = el("div", null, "legend-row");
      row.dataset.kind = code;
      row.append(swatch(kindColour(colours, code)), el("span", text));
      box.append(row);
    }
    if (states.interim) legendRow(box, "interim_use", swatch("#ffffff", INTERIM_RING), states.interim);
    if (states.planned) {
      legendRow(box, "interim_planned", swatch("#ffffff", INTERIM_RING, true), states.planned);
    }
    return box;
  };
  return control.addTo(map);
}

// A shape with a name tooltip: Leaflet's tooltip listens for focus, which makes Chromium put
// the SVG path in the tab order without a name; the name is in the filters already, so the
// shape is taken out of the tab order (tabindex -1) and keeps its tooltip for the mouse.
function nameTooltip(layer, name) {
  layer.bindTooltip(el("span", name), { direction: "top", className: "district-label" });
  layer.on("add", () => layer.getElement?.()?.setAttribute("tabindex", "-1"));
}

export async function districtsLayer(url) {
  const geojson = await fetchJson(url);
  return L.geoJSON(geojson, {
    style: { color: "#4d6b63", weight: 1, fillOpacity: 0.04, className: "district-shape" },
    pointToLayer: (f, latlng) => L.circleMarker(latlng, {
      radius: 4, color: "#4d6b63", weight: 1, fillOpacity: 0.6, className: "district-shape",
    }),
    onEachFeature: (f, layer) => nameTooltip(layer, f.properties.name),
  });
}

export async function focusLayer(url) {
  const geojson = await fetchJson(url);
  return L.geoJSON(geojson, {
    style: { color: "#b5651d", weight: 2, fillOpacity: 0.08, dashArray: "4 4", className: "focus-shape" },
    onEachFeature: (f, layer) => nameTooltip(layer, f.properties.name),
  });
}

export async function proposalsLayer(url, linkText) {
  const geojson = await fetchJson(withQuery(url, { limit: "10000" }));
  const style = { color: PROPOSAL_COLOUR, weight: 2, fillOpacity: 0.12, className: "idea-shape" };
  return L.geoJSON(geojson, {
    style,
    pointToLayer: (f, latlng) =>
      f.properties.radius_m
        ? L.circle(latlng, { ...style, radius: f.properties.radius_m })
        : L.circleMarker(latlng, { ...style, radius: 6, fillOpacity: 0.7 }),
    onEachFeature: (f, layer) => layer.bindPopup(() => proposalPopup(f.properties, linkText)),
  });
}

function buildingPopup(props, texts) {
  const box = el("div", null, "building-popup");
  box.append(el("strong", props.address));
  if (props.district) box.append(el("span", props.district, "muted"));
  box.append(el("span", `${texts.units || "Nutzungseinheiten"}: ${props.units}`, "muted"));
  box.append(link(texts.link || "Gebäude öffnen", props.url));
  return box;
}

// The register's buildings (staff only) as light dots; a click opens a small popup and does not
// reach the map (it would set a location on the building form).
export async function buildingsLayer(url, texts) {
  const geojson = await fetchJson(url, "application/geo+json");
  return L.geoJSON(geojson, {
    pointToLayer: (f, latlng) => L.circleMarker(latlng, {
      radius: 4, color: "#5f6b73", weight: 1, fillColor: "#aab4bb", fillOpacity: 0.7,
      className: "building-dot", bubblingMouseEvents: false,
    }),
    onEachFeature: (f, layer) => layer.bindPopup(() => buildingPopup(f.properties, texts)),
  });
}
