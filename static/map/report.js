// Leerstand melden (templates/public/report_form.html): a click in the map or dragging the marker
// sets the reported point (hidden inputs lon / lat, WGS84); "Meine Position" asks
// navigator.geolocation (a German message when it is denied or fails). After every new point the
// places within 50 m are fetched (data-nearby-url) and offered as radio buttons "Das ist dieser
// Ort" beside "Nein, das ist ein neuer Ort". All texts come from data-text-* attributes and go in
// as text nodes. Without this script the form still works with the address alone.
// The staff page of one report (#report-staff-map) shows the reported point; while the report is
// open and the user may decide, clicking or dragging moves it and fills the accept form's lon/lat.

import { byId, createMap, el, fetchJson, link, parseLatLng, withQuery } from "./map.js";

const L = window.L;
const PLACE_ZOOM = 18;

function radio(value, labelText) {
  const label = el("label", null, "check");
  const input = document.createElement("input");
  input.type = "radio";
  input.name = "same_as";
  input.value = value;
  label.append(input, document.createTextNode(` ${labelText}`));
  return label;
}

function unitItem(unit, d) {
  const item = el("li");
  const text = `${d.textSame}: ${d.textKnown} – ${unit.kind_label}, ${unit.address} (${unit.distance_m} m)`;
  item.append(radio(`unit:${unit.id}`, text), link(d.textShow, unit.url));
  item.dataset.unit = String(unit.id);
  return item;
}

function reportItem(report, d) {
  const item = el("li");
  const where = report.street ? `, ${report.street}` : "";
  const text = `${d.textSame}: ${d.textReported} – ${report.kind_label}${where} (${report.distance_m} m)`;
  item.append(radio(`report:${report.id}`, text));
  item.dataset.report = String(report.id);
  return item;
}

function nearbyBox(node) {
  const d = node.dataset;
  const box = byId("report-nearby");
  const list = byId("report-nearby-list");
  const legend = byId("report-nearby-text");
  let asked = 0;
  return async (latlng) => {
    asked += 1;
    const mine = asked;
    const url = withQuery(d.nearbyUrl, { lon: latlng.lng.toFixed(6), lat: latlng.lat.toFixed(6) });
    let found;
    try {
      found = await fetchJson(url);
    } catch (error) {
      if (mine !== asked) return;
      list.replaceChildren();
      legend.textContent = d.textError;
      box.hidden = false;
      return;
    }
    if (mine !== asked) return;
    const items = [...found.units.map((u) => unitItem(u, d)), ...found.reports.map((r) => reportItem(r, d))];
    list.replaceChildren(...items);
    legend.textContent = items.length ? d.textNearbySome : d.textNearbyNone;
    box.querySelector("input[value=new]").checked = true;
    box.hidden = false;
    node.dataset.nearbyCount = String(items.length);
  };
}

function locateButton(node, place) {
  const d = node.dataset;
  const button = byId("report-locate");
  const status = byId("report-locate-status");
  if (!("geolocation" in navigator)) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    status.textContent = d.textLocating;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        place(L.latLng(position.coords.latitude, position.coords.longitude), true);
        status.textContent = d.textLocated;
      },
      (error) => {
        status.textContent = error.code === 1 ? d.textDenied : d.textUnavailable;
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  });
}

function init() {
  const node = byId("report-map");
  if (!node) return;
  const map = createMap(node);
  const lon = byId("report-lon");
  const lat = byId("report-lat");
  const showNearby = nearbyBox(node);
  const status = byId("report-locate-status");
  let marker = null;
  const fill = (latlng) => {
    lon.value = latlng.lng.toFixed(6);
    lat.value = latlng.lat.toFixed(6);
    node.dataset.point = `${lon.value},${lat.value}`;
    showNearby(latlng);
  };
  const place = (latlng, zoom = false) => {
    if (!marker) {
      marker = L.marker(latlng, { draggable: true, autoPan: true, title: node.dataset.textMarker,
        alt: node.dataset.textMarker }).addTo(map);
      marker.on("dragend", () => fill(marker.getLatLng()));
    } else {
      marker.setLatLng(latlng);
    }
    if (zoom) map.setView(latlng, PLACE_ZOOM);
    fill(latlng);
  };
  map.on("click", (event) => {
    place(event.latlng, map.getZoom() < 16);  // from the town's view, zoom in to the place
    status.textContent = node.dataset.textPlaced;
  });
  const typed = parseLatLng(lon.value, lat.value);  // the form came back with an error
  if (typed) place(typed, true);
  locateButton(node, place);
}

function initStaff() {
  const node = byId("report-staff-map");
  if (!node) return;
  const map = createMap(node);
  const editable = node.dataset.editable === "yes";
  const lon = byId("accept-lon");
  const lat = byId("accept-lat");
  let marker = null;
  const place = (latlng) => {
    if (!marker) {
      marker = L.marker(latlng, { draggable: editable, autoPan: true }).addTo(map);
      marker.on("dragend", () => place(marker.getLatLng()));
    }
    marker.setLatLng(latlng);
    if (editable && lon && lat) {
      lon.value = latlng.lng.toFixed(6);
      lat.value = latlng.lat.toFixed(6);
    }
  };
  if (node.dataset.point) {
    const [y, x] = JSON.parse(node.dataset.point);
    marker = L.marker([y, x], { draggable: editable, autoPan: true }).addTo(map);
    marker.on("dragend", () => place(marker.getLatLng()));
  }
  if (editable) map.on("click", (event) => place(event.latlng));
}

init();
initStaff();
