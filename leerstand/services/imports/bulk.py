"""Set-based inserts for the import: many rows of one table in ONE ``INSERT … SELECT FROM
unnest(…)`` with an array per column (a short statement whatever the number of rows; ORM
objects or multi-row VALUES cost 20× more for 10,000 rows). The ids are taken from the table's
sequence first, so that each row's id is known in order. Missing columns get the model's
scalar defaults; geometries (shapely, WGS 84) go in as hex EWKB."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import shapely
from geoalchemy2 import Geometry
from sqlalchemy import Table, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from leerstand.spatial import crs

SERVER_SET = ("id", "created_at", "updated_at")  # filled by the database
IDS_SQL = text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)")


def complete(table: Table, values: dict) -> dict:
    """``values`` plus the model's scalar default (else None) for every other column."""
    row = {}
    for column in table.columns:
        if column.name in SERVER_SET:
            continue
        if column.name in values:
            row[column.name] = values[column.name]
        elif column.default is not None and column.default.is_scalar:
            row[column.name] = column.default.arg
        elif column.server_default is not None:
            continue  # the database fills it (e.g. a time stamp)
        elif isinstance(column.type, ARRAY):
            row[column.name] = []
        else:
            row[column.name] = None
    return row


def _hex(geom) -> str | None:
    if geom is None:
        return None
    return shapely.to_wkb(shapely.set_srid(geom, crs.WGS84), hex=True, include_srid=True)


def insert_rows(session, table: Table, rows: list[dict]) -> list[int]:
    """Insert ``rows`` (``complete``d dicts with the same keys); returns their ids in order."""
    if not rows:
        return []
    ids = list(session.scalars(IDS_SQL, {"table": table.name, "n": len(rows)}))
    dialect = session.get_bind().dialect
    names, casts, selects, params = ["id"], ["CAST(:p0 AS integer[])"], ["c0"], {"p0": ids}
    for i, name in enumerate(rows[0], start=1):
        column = table.c[name]
        values = [row[name] for row in rows]
        names.append(name)
        if isinstance(column.type, ARRAY):
            if any(values):
                raise ValueError(f"{table.name}.{name}: only empty arrays")
            selects.append(f"CAST('{{}}' AS {column.type.compile(dialect=dialect)})")
            continue
        if isinstance(column.type, Geometry):
            values, sql_type, select = [_hex(v) for v in values], "text", f"c{i}::geometry"
        elif isinstance(column.type, JSONB):
            values, sql_type, select = [json.dumps(v) for v in values], "text", f"c{i}::jsonb"
        else:
            sql_type, select = column.type.compile(dialect=dialect), f"c{i}"
        params[f"p{i}"] = values
        casts.append(f"CAST(:p{i} AS {sql_type}[])")
        selects.append(select)
    aliases = ", ".join(f"c{i}" for i in range(len(names)) if f"p{i}" in params)
    statement = (
        f"INSERT INTO {table.name} ({', '.join(names)}) "
        f"SELECT {', '.join(selects)} FROM unnest({', '.join(casts)}) AS u({aliases})"
    )
    session.execute(text(statement), params)
    return ids


def plain(value):
    """A value as the audit log stores it (see ``services.audit.log``): dates ISO, numbers as
    floats, geometries by their type name like the register's events."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, shapely.Geometry):
        return "WKBElement"
    return value


def create_changes(row: dict) -> dict:
    """The changes of a "create" event: every given value as [None, value]."""
    skip = (None, "", [], False)
    return {k: [None, plain(v)] for k, v in row.items() if k != "version" and v not in skip}
