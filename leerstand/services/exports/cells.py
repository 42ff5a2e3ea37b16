"""One export cell: a column (German heading, kind, decimal places) and how a typed value is
written as text for German Excel (decimal comma, dd.mm.yyyy, ja/nein).

``neutral`` defuses formula injection: a text that starts with ``= + - @``, a tab or a carriage
return gets a leading apostrophe, so that no spreadsheet reads it as a formula. Numbers are
never text, so a negative number stays a number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from leerstand.dates import local_date

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
KINDS = ("text", "int", "number", "date", "bool")


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # one of KINDS
    digits: int = 0  # decimal places of a "number"


def neutral(text: str) -> str:
    """``text`` with a leading apostrophe when a spreadsheet could read it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def german_decimal(value, digits: int) -> str:
    """12345.5, 1 -> "12345,5" (no thousands separator: Excel reads it as a number)."""
    return f"{Decimal(str(value)):.{digits}f}".replace(".", ",")


def as_day(value: date | datetime) -> date:
    return local_date(value) if isinstance(value, datetime) else value


def csv_text(column: Column, value) -> str:
    """A typed value as the text of a German Excel CSV cell ("" for nothing)."""
    if value is None or value == "":
        return ""
    if column.kind == "bool":
        return "ja" if value else "nein"
    if column.kind == "date":
        return as_day(value).strftime("%d.%m.%Y")
    if column.kind == "int":
        return str(int(value))
    if column.kind == "number":
        return german_decimal(value, column.digits)
    return neutral(str(value))
