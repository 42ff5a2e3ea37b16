"""The register (Register): buildings and units, their search and filters, the staff
buildings layer and the read-only record pages."""
