"""OGC API – Features (read-only) in SQL: the collections (``collections``), the query
parameters of ``/items`` (``query``), the public collections' FeatureCollections built by
PostGIS from the public allowlist of ``services.public.geojson`` (``items``) and the staff
collections with internal fields, never owner data (``staff``)."""
