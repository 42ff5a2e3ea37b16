"""One row of the file turned into a ``Record``: the building, unit and owner values it gives,
where it is (WGS 84), the register ids it names, and every problem of its own cells. Problems
that need the other rows or the database are added by ``checks``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from leerstand.messages import Text
from leerstand.services.errors import ServiceError
from leerstand.services.forms import email
from leerstand.services.imports import coords, parse
from leerstand.services.imports.fields import BOOLEAN_FIELDS, VALUE_FIELDS, field_label, normalise
from leerstand.services.imports.parse import CellProblem
from leerstand.services.imports.settings import Settings
from leerstand.services.imports.table import Table
from leerstand.services.imports.values import resolve
from leerstand.services.register.buildings import AREA_MAX_M2, AREA_MIN_M2, MONEY_MAX_EUR
from leerstand.vocab import german

TEXTS = {  # field -> (model attribute, maximum length)
    "street": ("street", 120),
    "house_number": ("house_number", 20),
    "postcode": ("postcode", 10),
    "place": ("place", 120),
    "parcel_id": ("parcel_id", 40),
    "alkis_id": ("alkis_id", 40),
    "building_notes": ("notes", 10_000),
}
UNIT_TEXTS = {
    "unit_name": ("name", 120),
    "floor": ("floor", 40),
    "public_description": ("public_description", 5_000),
    "internal_notes": ("internal_notes", 10_000),
}
UNIT_DEFAULTS = {"kind": "other", "vacancy_state": "vacant", "owner_expectation": "unknown"}
OWNER_LIMITS = {"name": 200, "street": 200, "city": 120, "phone": 60}
OWNER_WHAT = {
    "name": Text("Eigentümer:in (Name)"),
    "street": Text("Anschrift der Eigentümer:in"),
    "city": Text("Ort der Eigentümer:in"),
    "phone": Text("Telefon der Eigentümer:in"),
}
STREET_NUMBER = re.compile(
    r"^(?P<street>.*?\D)\s+(?P<number>\d+\s?[a-zA-Z]?(\s?[-/]\s?\d+\s?[a-zA-Z]?)?)$"
)
POSTCODE_CITY = re.compile(r"^(?P<street>.*?)[,;]?\s*(?P<postcode>\d{5})\s+(?P<city>.+)$")


@dataclass
class Record:
    index: int
    line: int
    building: dict = field(default_factory=dict)
    unit: dict = field(default_factory=dict)
    owner: dict | None = None
    district: str = ""
    location: object = None  # shapely Point in WGS 84
    footprint: object = None  # shapely Polygon in WGS 84
    building_id: int | None = None
    unit_id: int | None = None
    problems: list[Text] = field(default_factory=list)

    @property
    def address_key(self) -> str:
        return (
            normalise(self.building.get("street", ""))
            + "|"
            + normalise(self.building.get("house_number", ""))
        )

    @property
    def label(self) -> str:
        """The row's name, "Allee 12, EG Laden"; without an address "Einheit Nr. 5" (a ``Text``)."""
        address = f"{self.building.get('street', '')} {self.building.get('house_number', '')}"
        name = self.unit.get("name", "")
        if address.strip() or not (self.unit_id or self.building_id):
            return f"{address.strip()}, {name}".strip(", ")
        if self.unit_id:
            number = Text("Einheit Nr. %(id)s", id=self.unit_id)
        else:
            number = Text("Gebäude Nr. %(id)s", id=self.building_id)
        return Text("%(first)s, %(rest)s", first=number, rest=name) if name.strip() else number


class RowReader:
    """Reads the rows of one table with one settings object (column indexes looked up once)."""

    def __init__(self, table: Table, settings: Settings, today: date):
        self.table, self.settings, self.today = table, settings, today
        self.index = {f: table.column(h) for f, h in settings.columns.items() if h in table.headers}
        self.epsg = coords.epsg(settings.crs, table.file_crs)

    def cell(self, row: list, code: str) -> str:
        i = self.index.get(code)
        return (row[i] or "").strip() if i is not None and i < len(row) else ""

    def read(self, i: int) -> Record:
        row = self.table.rows[i]
        record = Record(index=i, line=self.table.lines[i])
        steps = (self._address, self._position, self._building, self._unit, self._owner)
        for step in steps:
            step(record, row)
        return record

    def _try(self, record: Record, fn, *args):
        try:
            return fn(*args)
        except CellProblem as exc:
            record.problems.append(exc.args[0])
            return None

    def _texts(self, record: Record, row: list, texts: dict, target: dict) -> None:
        for code, (attr, limit) in texts.items():
            if code in self.index:
                value = self._try(
                    record, parse.cell_text, self.cell(row, code), field_label(code), limit
                )
                target[attr] = value or ""

    def _address(self, record: Record, row: list) -> None:
        record.building_id = self._try(record, _register_id, self.cell(row, "building_id"))
        record.unit_id = self._try(record, _register_id, self.cell(row, "unit_id"))
        self._texts(record, row, TEXTS, record.building)
        if "house_number" not in self.index and (street := record.building.get("street")):
            match = STREET_NUMBER.match(street)  # "Allee 12a" in one column
            if match:
                record.building["street"] = match["street"]
                record.building["house_number"] = match["number"]
        if not record.building.get("street") and not (record.unit_id or record.building_id):
            record.problems.append(Text("Die Straße fehlt."))
        record.district = self.cell(row, "district")

    def _position(self, record: Record, row: list) -> None:
        before = len(record.problems)
        if "x" in self.index:
            x = self._try(record, parse.coordinate, self.cell(row, "x"), field_label("x"))
            y = self._try(record, parse.coordinate, self.cell(row, "y"), field_label("y"))
            if x is not None and y is not None:
                record.location = self._try(record, coords.point_from_columns, x, y, self.epsg)
                return
        geometries = self.table.geometries
        geom = geometries[record.index] if geometries is not None else None
        if geom is not None:
            located = self._try(record, coords.from_geometry, geom, self.epsg)
            if located is not None:
                record.location, record.footprint = located
        elif len(record.problems) == before and not (record.unit_id or record.building_id):
            record.problems.append(Text("Keine Koordinaten und keine Geometrie."))

    def _word(self, record: Record, row: list, code: str) -> str | None:
        word = self.cell(row, code)
        if code not in self.index or not word:
            return None
        value = resolve(code, word, self.settings.values.get(code))
        if value is None:
            record.problems.append(
                Text(
                    "„%(word)s“ in „%(field)s“ ist keinem Wert zugeordnet. Bitte zuordnen.",
                    word=word[:40],
                    field=field_label(code),
                )
            )
        return value

    def _building(self, record: Record, row: list) -> None:
        b = record.building
        if (value := self._word(record, row, "listed")) is not None:
            b["listed"] = value == "yes"
        if (value := self._word(record, row, "condition")) is not None:
            b["condition"] = value
        if "year_built" in self.index:
            b["year_built"] = self._try(
                record,
                parse.year,
                self.cell(row, "year_built"),
                field_label("year_built"),
                self.today,
            )
        for attr in ("parcel_id", "alkis_id"):
            if attr in b and not b[attr]:
                b[attr] = None

    def _unit(self, record: Record, row: list) -> None:
        u = record.unit
        self._texts(record, row, UNIT_TEXTS, u)
        for code in ("kind", "vacancy_state", "owner_expectation"):
            if (value := self._word(record, row, code)) is not None:
                u[code] = value
        for code in BOOLEAN_FIELDS[1:]:
            if (value := self._word(record, row, code)) is not None:
                u[code] = value == "yes"
        self._unit_numbers(record, row)
        if record.unit_id is not None:  # an update keeps what an empty cell does not give
            record.unit = {k: v for k, v in u.items() if v is not None and v != ""}
        else:
            for code, default in UNIT_DEFAULTS.items():
                u.setdefault(code, default)
            if not u.get("name"):
                kind = german(VALUE_FIELDS["kind"], u["kind"])
                u["name"] = f"{kind} {u.get('floor', '')}".strip()

    def _unit_numbers(self, record: Record, row: list) -> None:
        u, today = record.unit, self.today
        if "area_m2" in self.index:
            u["area_m2"] = self._try(
                record, parse.number, self.cell(row, "area_m2"), field_label("area_m2"), 1,
                AREA_MIN_M2, AREA_MAX_M2, "m²",
            )  # fmt: skip
        if "rent_eur_month" in self.index:
            u["rent_eur_month"] = self._try(
                record, parse.number, self.cell(row, "rent_eur_month"),
                field_label("rent_eur_month"), 2, Decimal(0), MONEY_MAX_EUR, "€",
            )  # fmt: skip
        if "vacant_since" in self.index:
            what = field_label("vacant_since")
            since = self._try(record, parse.parse_date, self.cell(row, "vacant_since"), what)
            u["vacant_since"] = self._try(record, parse.not_in_future, since, today, what)
        if "available_from" in self.index:
            what = field_label("available_from")
            u["available_from"] = self._try(
                record, parse.parse_date, self.cell(row, "available_from"), what
            )

    def _owner(self, record: Record, row: list) -> None:
        if not self.settings.create_owners or not self.cell(row, "owner_name"):
            return
        owner = {"name": self.cell(row, "owner_name"), "phone": self.cell(row, "owner_phone")}
        owner.update(_owner_address(self.cell(row, "owner_address")))
        for key, limit in OWNER_LIMITS.items():
            owner[key] = self._try(record, parse.cell_text, owner[key], OWNER_WHAT[key], limit)
        owner["email"] = self._try(record, _email, self.cell(row, "owner_email"))
        record.owner = {k: v or "" for k, v in owner.items()}


def _register_id(raw: str) -> int | None:
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        raise CellProblem(Text("„%(raw)s“ ist keine Nummer im Register.", raw=raw[:30]))
    return int(raw)


def _owner_address(raw: str) -> dict:
    """ "Markt 3, 06493 Ballenstedt" -> street, postcode, city; else all of it as street."""
    match = POSTCODE_CITY.match(raw)
    if match is None:
        return {"street": raw, "postcode": "", "city": ""}
    return {
        "street": match["street"].strip(" ,;"),
        "postcode": match["postcode"],
        "city": match["city"].strip(),
    }


def _email(raw: str) -> str:
    try:
        return email(raw)
    except ServiceError as exc:
        raise CellProblem(Text("E-Mail der Eigentümer:in: %(msg)s", msg=exc.args[0])) from None
