"""The register export from a request's query string to a file: ``prepare`` checks the filter
(the register page's German messages; a bad value refuses the export instead of silently
widening it), the owner tick and the coordinate system, and writes the audit event when owner
data will leave; the writers stream CSV and GeoJSON, build XLSX in memory and the GeoPackage
in a temporary file."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlalchemy.orm import Session

from leerstand import vocab
from leerstand.messages import Text
from leerstand.models import Building, User
from leerstand.services.errors import ServiceError
from leerstand.services.exports import audit, columns, geo, register, tables
from leerstand.services.forms import flag
from leerstand.services.register.filters import RegisterFilter, parse_filters

FORMATS = ("csv", "xlsx", "geojson", "gpkg")
OWNER_PARAM = "eigentuemer"
OWNERS_FORBIDDEN = Text(
    "Ihre Rolle darf keine Eigentümerdaten exportieren. Bitte ohne Häkchen exportieren."
)


class ExportRefused(ServiceError):
    """The export's parameters are wrong; ``messages`` (``Text``) says what to change."""

    def __init__(self, messages: list[Text]):
        super().__init__(_joined(messages))
        self.messages = messages


def _joined(messages: list[Text]) -> Text | str:
    """The messages as one (``str(exc)``), each still translatable."""
    if len(messages) <= 1:
        return messages[0] if messages else ""
    return Text("%(first)s %(rest)s", first=messages[0], rest=_joined(messages[1:]))


@dataclass
class RegisterExport:
    f: RegisterFilter
    municipality_id: int
    today: date
    with_owners: bool
    epsg: int = geo.GPKG_CRS[0]
    with_notes: bool = True  # free-text notes may name people: not for roles without personal data


def _epsg(args: Mapping) -> int:
    raw = (args.get("crs") or "").strip().upper().removeprefix("EPSG:")
    if not raw:
        return geo.GPKG_CRS[0]
    if not raw.isdigit() or int(raw) not in geo.GPKG_CRS:
        raise ExportRefused(
            [
                Text(
                    "Koordinatensystem „%(crs)s“ wird nicht angeboten; bitte EPSG:4326 oder "
                    "EPSG:25832 wählen.",
                    crs=raw[:20],
                )
            ]
        )
    return int(raw)


def prepare(session: Session, user: User, args: Mapping, fmt: str, today: date) -> RegisterExport:
    """Check the parameters; with owner data, record the audit event (the view commits it)."""
    f = parse_filters(args)
    if f.errors:
        raise ExportRefused(f.errors)
    with_owners = flag(args, OWNER_PARAM)
    if with_owners and not vocab.may_see_owner_data(user.role):
        raise ExportRefused([OWNERS_FORBIDDEN])
    epsg = _epsg(args) if fmt == "gpkg" else geo.GPKG_CRS[0]
    notes = vocab.may_see_owner_data(user.role)
    export = RegisterExport(f, user.municipality_id, today, with_owners, epsg, notes)
    if with_owners:
        rows = register.count(session, f, export.municipality_id, today)
        owners = register.owner_ids(session, f, export.municipality_id, today)
        what = f"Register {fmt.upper()}" + (f" (EPSG:{epsg})" if fmt == "gpkg" else "")
        audit.record_export(session, user, what, audit.describe(session, f), rows, owners)
    return export


def _query(export: RegisterExport, *extra):
    return register.query(
        export.f, export.municipality_id, export.today, export.with_owners, *extra
    )


def _values(session: Session, export: RegisterExport) -> Iterator[list]:
    for row in register.rows(session, _query(export)):
        yield columns.values(row, export.with_owners, export.with_notes)


def csv_chunks(session: Session, export: RegisterExport) -> Iterator[bytes]:
    return tables.csv_chunks(columns.columns(export.with_owners), _values(session, export))


def xlsx_bytes(session: Session, export: RegisterExport) -> bytes:
    heads = columns.columns(export.with_owners)
    return tables.xlsx_bytes("Register", heads, _values(session, export))


def geojson_chunks(session: Session, export: RegisterExport) -> Iterator[bytes]:
    geometry = func.ST_AsGeoJSON(Building.location, 7).label("geometry")
    rows = (
        (row.geometry, columns.values(row, export.with_owners, export.with_notes))
        for row in register.rows(session, _query(export, geometry))
    )
    return geo.geojson_chunks(columns.columns(export.with_owners), rows)


def gpkg_path(session: Session, export: RegisterExport) -> str:
    point = func.ST_Transform(Building.location, export.epsg)
    wkb = func.ST_AsBinary(point).label("wkb")
    rows = (
        (row.wkb, columns.values(row, export.with_owners, export.with_notes))
        for row in register.rows(session, _query(export, wkb))
    )
    return geo.write_gpkg(columns.columns(export.with_owners), rows, export.epsg)
