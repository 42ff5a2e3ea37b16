// Shared map set-up for every Leaflet map in Leerstand (ES module; Leaflet is loaded as the
// classic script node_modules/leaflet/dist/leaflet.js before it and is read from window.L).
// Configuration comes from data attributes on the map element, never from inline scripts.

const L = window.L;

export function readConfig(el) {
  return {
    tileUrl: el.dataset.tileUrl || "",
    tileAttribution: el.dataset.tileAttribution || "",
    boundaryUrl: el.dataset.boundaryUrl || "",
    center: el.dataset.center ? JSON.parse(el.dataset.center) : [51.719, 11.232],
    zoom: Number(el.dataset.zoom || 14),
  };
}

// Create a map with the configured tiles (none when TILE_URL is empty: offline still shows
// the boundary and markers) and the municipality boundary as an outline.
export function createMap(el, options = {}) {
  const cfg = readConfig(el);
  const map = L.map(el, { zoomControl: true, ...options }).setView(cfg.center, cfg.zoom);
  if (cfg.tileUrl) {
    L.tileLayer(cfg.tileUrl, { maxZoom: 19, attribution: cfg.tileAttribution }).addTo(map);
  }
  if (cfg.boundaryUrl) {
    fetchJson(cfg.boundaryUrl).then((geojson) => {
      L.geoJSON(geojson, {
        style: { color: "#2f6f5e", weight: 2, fill: false, dashArray: "6 4" },
        interactive: false,
      }).addTo(map);
    });
  }
  return map;
}

export async function fetchJson(url) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

// Build an element with text content only (never innerHTML with user text).
export function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}
