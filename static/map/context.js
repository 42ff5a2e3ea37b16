// Context on the maps where someone places or draws (building form, proposal form): the
// municipality boundary, the Ortsteile, the focus areas and, for staff, the register's
// buildings, switchable in a layer control that doubles as the legend. URLs and labels come
// from data attributes (templates/_map_context.html); each loaded layer's feature count is
// exposed as data-layer-<name> on the map element (for tests and debugging).

import { nameLayersToggle } from "./map.js";
import { buildingsLayer, districtsLayer, focusLayer } from "./layers.js";

const L = window.L;

function escapeText(text) {
  const span = document.createElement("span");
  span.textContent = String(text);
  return span.innerHTML;
}

// Leaflet's layer control writes names as HTML: our label is escaped, the swatch is a class.
function entry(name, label) {
  return `<span class="layer-swatch layer-swatch-${name}" aria-hidden="true"></span>${escapeText(label)}`;
}

function count(layer) {
  return layer ? layer.getLayers().length : 0;
}

export async function contextLayers(map, node) {
  const labels = node.dataset.layerLabels ? JSON.parse(node.dataset.layerLabels) : {};
  const data = node.dataset;
  const wanted = [["boundary", map.boundaryLayer]];
  if (data.districtsUrl) wanted.push(["districts", districtsLayer(data.districtsUrl)]);
  if (data.focusUrl) wanted.push(["focus", focusLayer(data.focusUrl)]);
  if (data.buildingsUrl) {
    const texts = { link: labels.buildingLink, units: labels.units };
    wanted.push(["buildings", buildingsLayer(data.buildingsUrl, texts)]);
  }
  const results = await Promise.allSettled(wanted.map(([, promise]) => promise));
  const collapsed = map.getSize().x < 480;  // a narrow map keeps the list folded
  const control = L.control.layers(null, null, { collapsed, position: "topright" });
  control.addTo(map).getContainer().classList.add("context-layers");
  nameLayersToggle(control, node);
  results.forEach((result, i) => {
    const name = wanted[i][0];
    const layer = result.status === "fulfilled" ? result.value : null;
    if (result.status === "rejected") console.warn("Kartenebene nicht geladen:", name, result.reason);
    data[`layer${name[0].toUpperCase()}${name.slice(1)}`] = String(count(layer));
    if (!layer) return;
    layer.addTo(map);
    control.addOverlay(layer, entry(name, labels[name] || name));
  });
  data.contextReady = "1";
  return control;
}
