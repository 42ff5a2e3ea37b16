"""The citizen's report form as typed, turned into values (``ReportValues``): the point (lon/lat
from the map, optional), the address, the kind of space, since when, the comment, the photo's
consent, the e-mail address and the "this is the same place" choice.

Every problem raises ``ServiceError``/``GeometryError`` with a German ``Text`` (the view
translates it); nothing is stored here, no photo is read here (``reports``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from shapely.geometry import Point

from leerstand.messages import Text
from leerstand.models.vacancy_report import REPORT_SINCE
from leerstand.services import forms
from leerstand.services.errors import ServiceError
from leerstand.spatial.geometry import point_from_input
from leerstand.vocab import UNIT_KINDS

MAX_COMMENT = 2000
EARLIEST_YEAR = 1950
_MONTH = re.compile(r"^\s*(?:(\d{4})-(\d{1,2})|(\d{1,2})\s*[./]\s*(\d{4}))\s*$")
_SAME_AS = re.compile(r"^(unit|report):(\d{1,9})$")


@dataclass(frozen=True)
class ReportValues:
    point: Point | None
    street: str
    house_number: str
    kind: str
    since: str
    since_month: date | None
    comment: str
    photo_consent: bool
    email: str
    same_as: tuple[str, int] | None  # ("unit" | "report", id) or None: a new report


def _point(values: Mapping) -> Point | None:
    lon, lat = str(values.get("lon") or "").strip(), str(values.get("lat") or "").strip()
    if not lon and not lat:
        return None
    return point_from_input(lon, lat)


def parse_month(raw: str | None, today: date) -> date | None:
    """ "2025-03" (``<input type=month>``), "03/2025" or "3.2025" → 1 March 2025; empty → None.
    A month after ``today`` or before 1950 is refused."""
    typed = str(raw or "").strip()
    if not typed:
        return None
    found = _MONTH.match(typed)
    if not found:
        raise ServiceError(
            Text("Bitte den Monat als MM/JJJJ angeben, z. B. 03/2025 (eingegeben: %(raw)s).",
                 raw=typed[:20])
        )  # fmt: skip
    year, month = (found.group(1), found.group(2)) if found.group(1) else found.group(4, 3)
    if not 1 <= int(month) <= 12:
        raise ServiceError(Text("Den Monat %(month)s gibt es nicht (1 bis 12).", month=int(month)))
    first = date(int(year), int(month), 1)
    if first > today or first.year < EARLIEST_YEAR:
        raise ServiceError(Text("„Leer seit“ muss zwischen 1950 und dem laufenden Monat liegen."))
    return first


def _since(values: Mapping, today: date) -> tuple[str, date | None]:
    month = parse_month(values.get("since_month"), today)
    since = str(values.get("since") or "").strip() or ("date" if month else "unknown")
    if since not in REPORT_SINCE:
        raise ServiceError(Text("Bitte bei „Leer seit“ einen Wert aus der Liste wählen."))
    if since == "date" and month is None:
        raise ServiceError(
            Text("Bitte bei „Leer seit“ den Monat angeben (MM/JJJJ) oder „weiß nicht“ wählen.")
        )
    return since, (month if since == "date" else None)


def _same_as(values: Mapping) -> tuple[str, int] | None:
    raw = str(values.get("same_as") or "").strip()
    if not raw or raw == "new":
        return None
    found = _SAME_AS.match(raw)
    if not found:
        raise ServiceError(Text("Bitte einen der gezeigten Orte wählen oder „Neuer Ort“."))
    return found.group(1), int(found.group(2))


def parse(values: Mapping, today: date) -> ReportValues:
    """The report's values, or a German ServiceError/GeometryError naming what is wrong."""
    point = _point(values)
    street = forms.text(values, "street", 120, Text("Straße"))
    if point is None and not street:
        raise ServiceError(
            Text("Bitte den Ort auf der Karte setzen oder die Straße angeben, damit wir den "
                 "Raum finden.")
        )  # fmt: skip
    kind = forms.choice(values, "kind", UNIT_KINDS, Text("Art des Raums"))
    since, since_month = _since(values, today)
    email = forms.email(
        values.get("email"),
        message=Text("Bitte eine gültige E-Mail-Adresse angeben (z. B. name@example.org) "
                     "oder das Feld leer lassen."),
    )  # fmt: skip
    return ReportValues(
        point=point,
        street=street,
        house_number=forms.text(values, "house_number", 20, Text("Hausnummer")),
        kind=kind,
        since=since,
        since_month=since_month,
        comment=forms.text(values, "comment", MAX_COMMENT, Text("Kommentar")),
        photo_consent=forms.flag(values, "photo_consent"),
        email=email,
        same_as=_same_as(values),
    )
