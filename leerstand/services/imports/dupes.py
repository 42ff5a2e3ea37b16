"""Duplicates within the file. Rows for new buildings with the same normalised address are
units of one building (the first such row gives the building); the same address and the same
unit name twice is a duplicate, and so is a row less than 15 m from another building of the
file (distances in UTM 32N metres, through an STRtree: no comparison of every pair)."""

from __future__ import annotations

import numpy
import shapely
from shapely import STRtree

from leerstand.messages import Text
from leerstand.services.imports.checks import NEAR_M
from leerstand.services.imports.fields import normalise
from leerstand.services.imports.rows import Record
from leerstand.spatial import crs


def group(records: list[Record]) -> dict[int, Record]:
    """Add duplicate problems to the valid new rows; returns row index -> the row that gives
    its building (itself for the first row of an address)."""
    new = [r for r in records if not r.problems and not r.building_id and not r.unit_id]
    near = _neighbours(new)
    leaders: dict[str, Record] = {}
    units: dict[tuple[str, str], Record] = {}
    building_of: dict[int, Record] = {}
    for record in new:
        key = record.address_key
        leader = leaders.get(key)
        unit_key = (key, normalise(record.unit.get("name", "")))
        if leader is not None and unit_key in units:
            record.problems.append(
                Text(
                    "Doppelt in der Datei: gleiche Adresse und Einheit wie Zeile %(line)s.",
                    line=units[unit_key].line,
                )
            )
        elif leader is not None:
            units[unit_key] = record
            building_of[record.index] = leader
        elif (other := _near_leader(record, near, building_of)) is not None:
            record.problems.append(
                Text(
                    "Doppelt in der Datei: weniger als 15 m von Zeile %(line)s (%(address)s).",
                    line=other.line,
                    address=other.label,
                )
            )
        else:
            leaders[key] = record
            units[unit_key] = record
            building_of[record.index] = record
    return building_of


def _near_leader(record: Record, near: dict[int, list[Record]], building_of) -> Record | None:
    for other in near.get(record.index, ()):
        if other.index < record.index and building_of.get(other.index) is other:
            return other
    return None


def _neighbours(records: list[Record]) -> dict[int, list[Record]]:
    """row index -> the other rows within ``NEAR_M`` metres."""
    if len(records) < 2:
        return {}
    lon = numpy.array([r.location.x for r in records])
    lat = numpy.array([r.location.y for r in records])
    x, y = crs.from_wgs84(lon, lat, crs.UTM32)
    points = shapely.points(numpy.asarray(x), numpy.asarray(y))
    tree = STRtree(points)
    left, right = tree.query(points, predicate="dwithin", distance=NEAR_M)
    near: dict[int, list[Record]] = {}
    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        if a != b:
            near.setdefault(records[a].index, []).append(records[b])
    return near
