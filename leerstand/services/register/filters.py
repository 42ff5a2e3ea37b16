"""The register's filters from a query string: a bad value is dropped with a German message
(a ``Text``, collected in ``RegisterFilter.errors``; the page translates it), never an
exception."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from leerstand.messages import Text
from leerstand.services.errors import ServiceError
from leerstand.services.forms import flag, parse_int
from leerstand.vocab import CONTACT_STATES, UNIT_KINDS, VACANCY_STATES

SORTS = ("address", "area", "vacant_since", "district")
MAX_MONTHS = 1200
MAX_Q = 100


@dataclass
class RegisterFilter:
    district_id: int | None = None
    focus_area_id: int | None = None
    kind: str | None = None
    vacancy_state: str | None = None
    vacant_months: int | None = None
    contact_state: str | None = None
    follow_up_due: bool = False
    q: str = ""
    sort: str = "address"
    desc: bool = False
    page: int = 1  # negative: from the end (-1 the last page)
    errors: list[Text] = field(default_factory=list)


def _int(
    args: Mapping, key: str, label: Text, errors: list[Text], low: int, high: int | None = None
) -> int | None:
    try:
        return parse_int(args.get(key), Text("Filter „%(label)s“", label=label), low, high)
    except ServiceError as exc:
        errors.append(Text("%(problem)s Der Filter wird ignoriert.", problem=exc.args[0]))
        return None


def _code(args: Mapping, key: str, label: Text, allowed: Mapping, errors: list[Text]) -> str | None:
    raw = (args.get(key) or "").strip()
    if not raw:
        return None
    if raw not in allowed:
        errors.append(
            Text(
                "Filter „%(label)s“: unbekannter Wert „%(raw)s“ wird ignoriert.",
                label=label,
                raw=raw[:30],
            )
        )
        return None
    return raw


def _page(args: Mapping, errors: list[Text]) -> int:
    """1, 2, … from the start; -1 (the last page), -2, … from the end; else 1 with a message."""
    raw = (args.get("page") or "").strip()
    if raw.startswith("-"):
        from_end = _int({"page": raw[1:]}, "page", Text("Seite"), errors, 1)
        return -from_end if from_end else 1
    return _int(args, "page", Text("Seite"), errors, 1) or 1


def parse_filters(args: Mapping) -> RegisterFilter:
    errors: list[Text] = []
    months = _int(
        args, "vacant_months", Text("leer seit mehr als … Monaten"), errors, 0, MAX_MONTHS
    )
    sort = (args.get("sort") or "address").strip()
    if sort not in SORTS:
        errors.append(
            Text("Unbekannte Sortierung „%(sort)s“; sortiert wird nach Adresse.", sort=sort[:30])
        )
        sort = "address"
    page = _page(args, errors)
    return RegisterFilter(
        district_id=_int(args, "district_id", Text("Ortsteil"), errors, 1),
        focus_area_id=_int(args, "focus_area_id", Text("Fokusgebiet"), errors, 1),
        kind=_code(args, "kind", Text("Art"), UNIT_KINDS, errors),
        vacancy_state=_code(args, "vacancy_state", Text("Leerstand"), VACANCY_STATES, errors),
        vacant_months=months,
        contact_state=_code(args, "contact_state", Text("Ansprache"), CONTACT_STATES, errors),
        follow_up_due=flag(args, "follow_up_due"),
        q=(args.get("q") or "").strip()[:MAX_Q],
        sort=sort,
        desc=(args.get("dir") or "").strip() == "desc",
        page=page,
        errors=errors,
    )


def months_ago(today: date, months: int) -> date:
    total = today.year * 12 + today.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))
