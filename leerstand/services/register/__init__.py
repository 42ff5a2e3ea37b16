"""The register (Register): buildings and units, their search and filters, counting and paging
at any size (``paging``), the register map's layer (``map_view``: bbox, zoom and grid;
``map_layer``: the units in view, clustered below a street's zoom), the staff buildings layer
and the read-only record pages."""
