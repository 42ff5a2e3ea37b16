// A Leaflet layer of the units from vector tiles (/tiles/<layer>/{z}/{x}/{y}.mvt, read with
// mvt.js): a GridLayer whose tiles are empty boxes; each loaded tile's features become Leaflet
// layers of their own – ``makeUnit(properties, latlng)`` for a unit, ``makeCluster(count,
// latlng)`` for a cell of several (the server clusters below zoom 17) – kept in one group on
// the map and removed with their tile. So only the tiles of the view are loaded (bbox-driven),
// a tile holds at most 16 clusters or its units, and markers stay focusable DOM elements.
// ``setQuery(params)`` swaps the filters and reloads; "tilesload" fires when the view's tiles
// are in, with ``drawn`` (features on the map).

import { decode } from "./mvt.js";

const L = window.L;
const DETAIL_ZOOM = 17;  // tiles above it hold the same features (the server's rule)

export const UnitTiles = L.GridLayer.extend({
  options: { maxNativeZoom: DETAIL_ZOOM, keepBuffer: 1, updateWhenZooming: false, layer: "units" },

  initialize(url, options) {
    L.GridLayer.prototype.initialize.call(this, options);
    this._url = url;  // with {z}/{x}/{y}; may carry ?ags=…
    this._query = new URLSearchParams();
    this._groups = new Map();
    this._markers = L.featureGroup();
    this.on("tileunload", (event) => this._drop(this._tileCoordsToKey(event.coords)));
    this.on("load", () => this.fire("tilesload", { drawn: this.drawnCount() }));
  },

  onAdd(map) {
    L.GridLayer.prototype.onAdd.call(this, map);
    this._markers.addTo(map);
  },

  onRemove(map) {
    L.GridLayer.prototype.onRemove.call(this, map);
    this._markers.remove();
    for (const key of [...this._groups.keys()]) this._drop(key);
  },

  setQuery(params) {
    this._query = new URLSearchParams(params);
    if (this._map) this.redraw();
    return this;
  },

  drawnCount() {
    return this._markers.getLayers().reduce((n, group) => n + group.getLayers().length, 0);
  },

  tileUrl(coords) {
    const url = new URL(this._url.replace("{z}", coords.z).replace("{x}", coords.x)
      .replace("{y}", coords.y), location.href);
    for (const [key, value] of this._query) url.searchParams.set(key, value);
    return `${url.pathname}${url.search}`;
  },

  createTile(coords, done) {
    const tile = document.createElement("div");
    const key = this._tileCoordsToKey(coords);
    fetch(this.tileUrl(coords), { credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) throw new Error(`${response.status}`);
        return response.arrayBuffer();
      })
      .then((buffer) => {
        // a tile of an older query or zoom may arrive after its box left: draw nothing then
        if (this._tiles[key]?.el === tile) this._draw(key, coords, decode(buffer));
        done(null, tile);
      })
      .catch((error) => done(error, tile));
    return tile;
  },

  _draw(key, coords, layers) {
    const layer = layers[this.options.layer];
    if (!layer) return;
    const group = L.featureGroup();
    const size = this.getTileSize();
    for (const f of layer.features) {
      const point = L.point((coords.x + f.x / layer.extent) * size.x,
        (coords.y + f.y / layer.extent) * size.y);
      const latlng = this._map.unproject(point, coords.z);
      const { count } = f.properties;
      group.addLayer(count > 1 ? this.options.makeCluster(count, latlng)
        : this.options.makeUnit(f.properties, latlng));
    }
    this._drop(key);
    this._groups.set(key, group);
    this._markers.addLayer(group);
  },

  _drop(key) {
    const group = this._groups.get(key);
    if (!group) return;
    this._markers.removeLayer(group);
    this._groups.delete(key);
  },
});
