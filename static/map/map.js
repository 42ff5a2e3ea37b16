// Shared map set-up for every Leaflet map in Leerstand (ES module; Leaflet is loaded as the
// classic script node_modules/leaflet/dist/leaflet.js before it and is read from window.L).
// Configuration comes from data attributes on the map element, never from inline scripts.

const L = window.L;

// The start view: the page's own (data-center, data-zoom), else the town's (data-town-center,
// data-town-zoom from its settings), else the town's extent (data-town-bounds).
export function readConfig(el) {
  const d = el.dataset;
  const own = Boolean(d.center);
  return {
    tileUrl: d.tileUrl || "",
    tileAttribution: d.tileAttribution || "",
    boundaryUrl: d.boundaryUrl || "",
    center: own ? JSON.parse(d.center) : (d.townCenter ? JSON.parse(d.townCenter) : null),
    zoom: Number((own ? d.zoom : d.townZoom || d.zoom) || 14),
    bounds: d.townBounds ? JSON.parse(d.townBounds) : null,
  };
}

// `url` with the query parameters `params` added (a URL may already carry ?ags=…).
export function withQuery(url, params) {
  const out = new URL(url, location.href);
  for (const [key, value] of new URLSearchParams(params)) out.searchParams.set(key, value);
  return out.origin === location.origin ? `${out.pathname}${out.search}` : out.href;
}

// Create a map with the configured tiles (none when TILE_URL is empty: offline still shows
// the boundary and markers) and the municipality boundary as an outline.
export function createMap(el, options = {}) {
  const cfg = readConfig(el);
  const map = L.map(el, { ...options, zoomControl: false });
  nameControls(map, el, options.zoomControl !== false);
  // the current view as data-view="lat,lon,zoom" (tests and debugging read it)
  map.on("moveend", () => {
    const c = map.getCenter();
    el.dataset.view = `${c.lat.toFixed(6)},${c.lng.toFixed(6)},${map.getZoom()}`;
  });
  if (cfg.center) map.setView(cfg.center, cfg.zoom);
  else if (cfg.bounds) map.fitBounds(cfg.bounds);
  else map.setView([51.719, 11.232], cfg.zoom);
  if (cfg.tileUrl) {
    L.tileLayer(cfg.tileUrl, { maxZoom: 19, attribution: cfg.tileAttribution }).addTo(map);
  }
  // map.boundaryLayer: a promise of the outline layer (null when none), for layer controls
  map.boundaryLayer = !cfg.boundaryUrl ? Promise.resolve(null) : fetchJson(cfg.boundaryUrl).then(
    (geojson) => L.geoJSON(geojson, {
      style: { color: "#2f6f5e", weight: 2, fill: false, dashArray: "6 4", className: "map-boundary" },
      interactive: false,
    }).addTo(map),
  ).catch((error) => {
    console.warn("Gemeindegrenze nicht geladen:", error);  // e.g. page left
    return null;
  });
  return map;
}

// Leaflet's own controls in the page's language (data-text-* from _map_attrs.html): the zoom
// buttons and every popup's close button; the map itself is a named region.
function nameControls(map, el, zoom) {
  const d = el.dataset;
  if (!el.getAttribute("role") && el.getAttribute("aria-label")) el.setAttribute("role", "region");
  if (zoom) {
    L.control.zoom({
      zoomInTitle: d.textZoomIn || "Zoom in", zoomOutTitle: d.textZoomOut || "Zoom out",
    }).addTo(map);
  }
  map.on("popupopen", (event) => {
    const close = event.popup.getElement()?.querySelector(".leaflet-popup-close-button");
    if (close && d.textClose) close.setAttribute("aria-label", d.textClose);
  });
}

// The toggle of a collapsed layers control, named in the page's language.
export function nameLayersToggle(control, el) {
  const toggle = control.getContainer().querySelector(".leaflet-control-layers-toggle");
  if (!toggle || !el.dataset.textLayers) return;
  toggle.title = el.dataset.textLayers;
  toggle.setAttribute("aria-label", el.dataset.textLayers);
}

// Colour of proposals (Nutzungsideen) on every map: drawn areas, radius circles, the public layer.
export const PROPOSAL_COLOUR = "#7a3fa0";

// The only fetch helper: JSON with the session cookie; on an error status the JSON `error` of
// the response (the API's German message) becomes the Error's message when there is one.
export async function fetchJson(url, accept = "application/json") {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: accept } });
  if (!response.ok) {
    let message = `${url}: ${response.status}`;
    try {
      const body = await response.json();
      if (body && body.error) message = body.error;
    } catch (error) {
      // not JSON: keep the status
    }
    throw new Error(message);
  }
  return response.json();
}

export function byId(id) {
  return document.getElementById(id);
}

// Build an element with text content only (never innerHTML with user text).
export function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

export function link(text, href) {
  const a = el("a", text);
  a.href = href;
  return a;
}

function coordinate(text) {
  const trimmed = String(text ?? "").trim().replace(",", ".");
  return trimmed === "" ? NaN : Number(trimmed);
}

// Typed WGS84 coordinates (a decimal comma is fine): a LatLng only when both values are finite
// numbers in range, else null (an empty field is not 0).
export function parseLatLng(lonText, latText) {
  const lon = coordinate(lonText);
  const lat = coordinate(latText);
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return null;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return L.latLng(lat, lon);
}

// Parse GeoJSON text; null for empty or invalid text (the server explains what is wrong on save).
export function parseGeoJson(text) {
  if (!text || !text.trim()) return null;
  try {
    return JSON.parse(text);
  } catch (error) {
    return null;
  }
}

// One polygon drawn with leaflet-draw and kept as GeoJSON in `textarea` (typing or pasting there
// redraws it). Returns { drawn, isDrawing }: isDrawing() is true while leaflet-draw handles
// clicks, so that a map's own click handler (setting a location) can stay out of the way.
export function polygonField(map, textarea, style) {
  const drawn = new L.FeatureGroup().addTo(map);
  let drawing = false;
  const field = { drawn, isDrawing: () => drawing };
  const show = () => {
    drawn.clearLayers();
    const geojson = parseGeoJson(textarea.value);
    if (geojson) L.geoJSON(geojson, { style }).eachLayer((part) => drawn.addLayer(part));
  };
  show();
  textarea.addEventListener("change", show);
  if (!L.Control.Draw) return field;
  map.addControl(
    new L.Control.Draw({
      draw: { polygon: { allowIntersection: false, showArea: false, shapeOptions: style },
        polyline: false, rectangle: false, circle: false, marker: false, circlemarker: false },
      edit: { featureGroup: drawn },
    }),
  );
  const save = () => {
    const layers = drawn.getLayers();
    textarea.value = layers.length ? JSON.stringify(layers[layers.length - 1].toGeoJSON().geometry) : "";
  };
  map.on("draw:drawstart draw:editstart draw:deletestart", () => {
    drawing = true;
  });
  // leaflet-draw fires the stop event before the last click reaches the map
  map.on("draw:drawstop draw:editstop draw:deletestop", () => setTimeout(() => {
    drawing = false;
  }, 0));
  map.on(L.Draw.Event.CREATED, (event) => {
    drawn.clearLayers();
    drawn.addLayer(event.layer);
    save();
  });
  map.on(L.Draw.Event.EDITED, save);
  map.on(L.Draw.Event.DELETED, save);
  return field;
}
