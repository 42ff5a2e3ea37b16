"""Exports: the register (the filtered view as staff see it, all pages, same order) as CSV for
German Excel, XLSX, GeoJSON and GeoPackage; matches, use requests and interim uses as CSV for
reports.

Modules: ``cells`` (a column's kind, German CSV text, formula neutralising), ``tables`` (CSV and
XLSX writers over typed rows), ``register`` (the register's query and its columns),
``geo`` (GeoJSON and GeoPackage), ``reports`` (matches, use requests, interim uses),
``audit`` (the audit event of an export with owner data). Owner columns appear only when
asked for and ``vocab.may_see_owner_data`` allows it; such an export is audited."""
