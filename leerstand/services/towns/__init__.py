"""Towns (municipalities) without SQL: ``files`` reads a boundary, Ortsteile or focus areas
from a GeoJSON or GeoPackage in any CRS (pyogrio), ``setup`` creates a municipality with its
Ortsteile and focus areas in one transaction, ``settings`` reads and changes a town's own
settings (letterhead, contact, map start view, tile server, who may import)."""
