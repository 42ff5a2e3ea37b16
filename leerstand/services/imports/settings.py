"""The choices a user makes for one import (column mapping, value mapping, CRS, owners) and
the check of those choices against the file before any row is looked at."""

from __future__ import annotations

from dataclasses import dataclass, field

from leerstand.messages import Text
from leerstand.services.imports.fields import (
    CRS_CHOICES,
    FIELDS,
    REQUIRED,
    VALUE_FIELDS,
    field_label,
)
from leerstand.services.imports.table import Table


@dataclass
class Settings:
    columns: dict[str, str]  # field -> header
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> {word: code}
    crs: str = "EPSG:25832"  # a key of CRS_CHOICES
    create_owners: bool = False

    def to_json(self) -> dict:
        return {
            "columns": dict(self.columns),
            "values": {f: dict(words) for f, words in self.values.items()},
            "crs": self.crs,
            "create_owners": self.create_owners,
        }

    @classmethod
    def from_json(cls, data: dict) -> Settings:
        return cls(
            columns={str(k): str(v) for k, v in (data.get("columns") or {}).items() if v},
            values={
                str(f): {str(w): c for w, c in (words or {}).items()}
                for f, words in (data.get("values") or {}).items()
            },
            crs=str(data.get("crs") or ""),
            create_owners=bool(data.get("create_owners")),
        )


def check_settings(table: Table, settings: Settings) -> list[str]:
    """German problems with the mapping itself; empty when the rows can be looked at. A file
    with a register id column (updates, e.g. an exported list) needs no street or coordinate
    columns; its rows without an id then get those problems one by one."""
    problems: list[str] = []
    updates = bool(settings.columns.get("unit_id") or settings.columns.get("building_id"))
    for code in sorted(REQUIRED, key=list(FIELDS).index):
        if not settings.columns.get(code) and not updates:
            problems.append(
                Text(
                    "Bitte ordnen Sie dem Feld „%(field)s“ eine Spalte zu.", field=field_label(code)
                )
            )
    for code, header in settings.columns.items():
        if code not in FIELDS:
            problems.append(Text("Unbekanntes Zielfeld „%(field)s“.", field=code))
        elif header not in table.headers:
            problems.append(
                Text(
                    "Die Spalte „%(header)s“ (für „%(field)s“) gibt es in der Datei nicht.",
                    header=header,
                    field=field_label(code),
                )
            )
    problems.extend(_coordinate_problems(table, settings, updates))
    problems.extend(_value_problems(settings))
    return problems


def _coordinate_problems(table: Table, settings: Settings, updates: bool) -> list[str]:
    problems: list[str] = []
    if settings.crs not in CRS_CHOICES:
        problems.append(Text("Bitte wählen Sie das Koordinatensystem der Datei."))
    elif settings.crs == "file" and not table.file_crs:
        problems.append(
            Text(
                "Die Datei nennt kein Koordinatensystem. Bitte wählen Sie eines aus "
                "(WGS 84, UTM 32N oder Gauß-Krüger)."
            )
        )
    has_x, has_y = bool(settings.columns.get("x")), bool(settings.columns.get("y"))
    if has_x != has_y:
        problems.append(
            Text("Bitte ordnen Sie beide Koordinatenspalten zu (Rechtswert und Hochwert).")
        )
    elif not has_x and table.geometries is None and not updates:
        problems.append(
            Text(
                "Die Datei hat keine Geometrie. Bitte ordnen Sie die Koordinatenspalten zu "
                "(Rechtswert/Hochwert oder Länge/Breite)."
            )
        )
    return problems


def _value_problems(settings: Settings) -> list[str]:
    problems: list[str] = []
    for code, words in settings.values.items():
        vocabulary = VALUE_FIELDS.get(code)
        if vocabulary is None:
            problems.append(Text("Unbekanntes Zielfeld „%(field)s“.", field=code))
            continue
        for word, value in words.items():
            if value and value not in vocabulary:
                problems.append(
                    Text(
                        "„%(value)s“ ist kein Wert für „%(field)s“ (Wort „%(word)s“).",
                        value=value,
                        field=field_label(code),
                        word=word,
                    )
                )
    return problems
