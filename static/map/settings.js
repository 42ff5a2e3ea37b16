// The settings page's map (/verwaltung/einstellungen): it starts at the town's stored view and
// shows its boundary; a click sets the map centre fields (WGS84) and the zoom field to the
// map's zoom; typed coordinates move the marker. The server checks that the point lies in
// the town.

import { byId, createMap, parseLatLng } from "./map.js";

const L = window.L;

function init() {
  const node = byId("settings-map");
  const lat = byId("centre_lat");
  const lon = byId("centre_lon");
  const zoom = byId("map_zoom");
  if (!node || !lat || !lon) return;
  const map = createMap(node);
  let marker = null;
  const place = (latlng) => {
    if (!marker) marker = L.marker(latlng, { keyboard: false }).addTo(map);
    else marker.setLatLng(latlng);
  };
  const typed = parseLatLng(lon.value, lat.value);
  if (typed) place(typed);
  map.on("click", (event) => {
    place(event.latlng);
    lat.value = event.latlng.lat.toFixed(6);
    lon.value = event.latlng.lng.toFixed(6);
    if (zoom) zoom.value = String(map.getZoom());
  });
  for (const input of [lat, lon]) {
    input.addEventListener("change", () => {
      const latlng = parseLatLng(lon.value, lat.value);
      if (latlng) {
        place(latlng);
        map.panTo(latlng);
      }
    });
  }
}

init();
