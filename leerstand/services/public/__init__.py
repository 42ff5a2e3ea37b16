"""What the public sees: the public rule, GeoJSON of units and proposals built by
PostGIS, the API's parameters and the public pages' data."""
