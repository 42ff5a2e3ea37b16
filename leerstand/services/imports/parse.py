"""Cell texts of an import turned into values: German numbers ("1.234,5"), dates
("31.01.2024", "01.2024" = first of the month, "2024" = 1 January), texts within a column's
length. A bad cell raises ``CellProblem`` with a German reason that names the column."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from leerstand.messages import Text
from leerstand.services.errors import ServiceError
from leerstand.services.forms import check_length, parse_decimal

DAY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
MONTH = re.compile(r"^(\d{1,2})[./](\d{4})$")
YEAR = re.compile(r"^(\d{4})$")
ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
YEAR_MIN = 1800


class CellProblem(ValueError):
    """One cell cannot be used; ``exc.args[0]`` is the reason (a ``Text``, German as str)."""


def cell_text(raw: str | None, what: str, max_len: int) -> str:
    value = (raw or "").strip()
    try:
        check_length(value, max_len, what)
    except ServiceError as exc:
        raise CellProblem(exc.args[0]) from None
    return value


def number(
    raw: str | None, what: str, places: int, low: Decimal, high: Decimal, unit: str = ""
) -> Decimal | None:
    """A German or plain number rounded to ``places``, within ``low``..``high``; empty -> None."""
    try:
        return parse_decimal(raw, what, places, low, high, unit)
    except ServiceError as exc:
        raise CellProblem(exc.args[0]) from None


def coordinate(raw: str | None, what: str) -> float | None:
    """A coordinate with decimal comma or point ("651234,56", "11.2336"); empty -> None."""
    try:
        value = parse_decimal(raw, what)
    except ServiceError as exc:
        raise CellProblem(exc.args[0]) from None
    return None if value is None else float(value)


def _impossible(raw: str, what: str) -> CellProblem:
    return CellProblem(
        Text("%(what)s: „%(raw)s“ ist kein mögliches Datum.", what=what, raw=raw[:30])
    )


def parse_date(raw: str | None, what: str) -> date | None:
    """dd.mm.yyyy, mm.yyyy (first of the month), yyyy (1 January) or yyyy-mm-dd; empty -> None."""
    s = (raw or "").strip()
    if not s:
        return None
    if m := DAY.match(s):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    elif m := ISO.match(s):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := MONTH.match(s):
        day, month, year = 1, int(m[1]), int(m[2])
    elif m := YEAR.match(s):
        day, month, year = 1, 1, int(m[1])
    else:
        raise CellProblem(
            Text(
                "%(what)s: „%(raw)s“ ist kein Datum. Erwartet wird TT.MM.JJJJ, MM.JJJJ oder JJJJ.",
                what=what,
                raw=s[:30],
            )
        )
    if year < YEAR_MIN:
        raise _impossible(s, what)
    try:
        return date(year, month, day)
    except ValueError:
        raise _impossible(s, what) from None


def not_in_future(value: date | None, today: date, what: str) -> date | None:
    if value is not None and value > today:
        raise CellProblem(
            Text(
                "%(what)s: %(day)s liegt in der Zukunft.",
                what=what,
                day=value.strftime("%d.%m.%Y"),
            )
        )
    return value


def year(raw: str | None, what: str, today: date) -> int | None:
    s = (raw or "").strip()
    if not s:
        return None
    if not (s.isascii() and s.isdigit()) or not 800 <= int(s) <= today.year + 5:
        raise CellProblem(
            Text(
                "%(what)s: „%(raw)s“ ist nicht möglich (erlaubt: 800 bis %(max)s).",
                what=what,
                raw=s[:30],
                max=today.year + 5,
            )
        )
    return int(s)
