"""Vector tiles of the register for staff (``/tiles/register/…``): every unit of the staff
member's municipality, whatever its state or consent, clustered like the public tiles
(``services.public.tiles``, the same statement with another source; below zoom 17 from the
cell counts of all units, ``services.public.tile_cells``). The properties are the
register's facts a map needs – kind, vacancy state and its label, a planned interim use, the
address and the staff page – never an owner, a contact or a note."""

from __future__ import annotations

from sqlalchemy.orm import Session

from leerstand.dates import local_today
from leerstand.services.public import tile_cells
from leerstand.services.public.tiles import (
    IN_TILE,
    MERCATOR,
    PIXEL,
    CachedTile,
    Tile,
    cells_tile_sql,
    run_tile,
    tile_sql,
)

LAYER = "register"
PROPERTIES_SQL = """json_build_object(
        'id', u.id, 'kind', u.kind, 'kind_label', coalesce(%(kinds)s::jsonb ->> u.kind, u.kind),
        'vacancy_state', u.vacancy_state,
        'vacancy_label', coalesce(%(states)s::jsonb ->> u.vacancy_state, u.vacancy_state),
        'interim_planned', pl.planned_from IS NOT NULL,
        'address', trim(b.street || ' ' || b.house_number), 'name', u.name,
        'district', d.name, 'url', replace(%(unit_url)s::text, '{id}', u.id::text))"""


def register_tile_sql(municipality_id: int, t: Tile, from_cells: bool = True) -> tuple[str, dict]:
    """SQL and parameters of the register's tile ``t``; the caller adds ``kinds`` and
    ``states`` (label JSON) and ``unit_url`` (the staff page, ``{id}`` placeholder). A
    clustered tile comes from the cell counts of every unit of the town (``tile_cells``) unless
    ``from_cells`` is False (the benchmark's reference)."""
    params = {**t.params(), "m": municipality_id, "today": local_today()}
    if from_cells and t.z <= tile_cells.MAX_ZOOM:
        return cells_tile_sql(tile_cells.ALL, "%(m)s", PROPERTIES_SQL, LAYER, t), params
    hits = f"""SELECT u.id, {PIXEL}
        FROM env, unit u JOIN building b ON b.id = u.building_id {MERCATOR}
        WHERE u.municipality_id = %(m)s AND {IN_TILE}"""
    return tile_sql(hits, PROPERTIES_SQL, LAYER, t.clustered), params


def register_tile(session: Session, municipality_id: int, t: Tile, extra: dict) -> CachedTile:
    sql, params = register_tile_sql(municipality_id, t)
    return run_tile(session, sql, {**params, **extra})
