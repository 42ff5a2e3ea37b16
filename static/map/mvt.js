// Reads the point features of a Mapbox Vector Tile (spec 2.1) with pbf's PbfReader (npm "pbf",
// its browser build node_modules/pbf/dist/pbf.js loaded as a classic script: window.Pbf).
// @mapbox/vector-tile does the same in full, but it is an ES module importing a bare package
// name, which a browser loads only through an import map (an inline script, refused by our
// Content-Security-Policy) or a bundler; the tiles of Leerstand hold points only.
// decode(buffer) → {layerName: {extent, features: [{id, x, y, properties}]}} (x, y in tile
// units, y down; a feature without id has id undefined).

const { PbfReader } = window.Pbf;

function readValue(pbf) {
  const end = pbf.readVarint() + pbf.pos;
  let value = null;
  while (pbf.pos < end) {
    const tag = pbf.readVarint() >> 3;
    if (tag === 1) value = pbf.readString();
    else if (tag === 2) value = pbf.readFloat();
    else if (tag === 3) value = pbf.readDouble();
    else if (tag === 4) value = pbf.readVarint(true);
    else if (tag === 5) value = pbf.readVarint();
    else if (tag === 6) value = pbf.readSVarint();
    else if (tag === 7) value = pbf.readBoolean();
    else value = null;
  }
  return value;
}

function readFeatureField(tag, feature, pbf) {
  if (tag === 1) feature.id = pbf.readVarint();
  else if (tag === 2) pbf.readPackedVarint(feature.tags);
  else if (tag === 3) feature.type = pbf.readVarint();
  else if (tag === 4) pbf.readPackedVarint(feature.geometry);
}

function readLayerField(tag, layer, pbf) {
  if (tag === 1) layer.name = pbf.readString();
  else if (tag === 2) {
    const end = pbf.readVarint() + pbf.pos;
    layer.raw.push(pbf.readFields(readFeatureField, { tags: [], geometry: [] }, end));
  } else if (tag === 3) layer.keys.push(pbf.readString());
  else if (tag === 4) layer.values.push(readValue(pbf));
  else if (tag === 5) layer.extent = pbf.readVarint();
}

const zigzag = (n) => (n >>> 1) ^ -(n & 1);

// The first point of a feature's geometry (a MoveTo with its zigzag-encoded x and y).
function point(feature) {
  const g = feature.geometry;
  return g.length >= 3 && (g[0] & 7) === 1 ? { x: zigzag(g[1]), y: zigzag(g[2]) } : null;
}

function finish(layer) {
  const features = [];
  for (const raw of layer.raw) {
    const at = raw.type === 1 ? point(raw) : null;
    if (!at) continue;
    const properties = {};
    for (let i = 0; i + 1 < raw.tags.length; i += 2) {
      properties[layer.keys[raw.tags[i]]] = layer.values[raw.tags[i + 1]];
    }
    features.push({ id: raw.id, x: at.x, y: at.y, properties });
  }
  return { extent: layer.extent, features };
}

export function decode(buffer) {
  const layers = {};
  new PbfReader(new Uint8Array(buffer)).readFields((tag, result, pbf) => {
    if (tag !== 3) return;
    const end = pbf.readVarint() + pbf.pos;
    const layer = pbf.readFields(readLayerField, {
      name: "", extent: 4096, keys: [], values: [], raw: [],
    }, end);
    result[layer.name] = finish(layer);
  }, layers);
  return layers;
}
