// Register map: exactly the filtered units (all pages), fetched as GeoJSON built by PostGIS.
// Popups are built from DOM text nodes; the marker count is exposed as data-marker-count.

import { byId, createMap, el, fetchJson, link } from "./map.js";

const L = window.L;

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

async function init() {
  const node = byId("register-map");
  if (!node) return;
  const map = createMap(node);
  const linkText = node.dataset.linkText || "Gebäude öffnen";
  const geojson = await fetchJson(node.dataset.geojsonUrl);
  const layer = L.geoJSON(geojson, {
    pointToLayer: (feature, latlng) =>
      L.circleMarker(latlng, {
        radius: 8, color: "#22544a", weight: 2, fillColor: "#c8763a", fillOpacity: 0.85,
        className: "unit-marker",
      }),
    onEachFeature: (feature, marker) => {
      const props = feature.properties;
      marker.bindPopup(() => popup(props, linkText));
      marker.on("mouseover", () => highlight(props.unit_id, true));
      marker.on("mouseout", () => highlight(props.unit_id, false));
    },
  }).addTo(map);
  const count = geojson.features.length;
  // No animation: when data-marker-count appears, the view is final (a marker clicked during a
  // zoom animation may open a popup that the end of the animation moves away).
  if (count === 1) {
    map.setView(layer.getLayers()[0].getLatLng(), 17, { animate: false });
  } else if (count > 1) {
    map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 17, animate: false });
  }
  node.dataset.markerCount = String(count);
}

init().catch((error) => {
  const node = byId("register-map");
  if (node) node.dataset.markerCount = "error";
  console.error(error);
});
