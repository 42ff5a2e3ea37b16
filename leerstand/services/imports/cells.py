"""A cell of an XLSX or geo file as the text German Excel shows: 1234.5 -> "1234,5",
dates dd.mm.yyyy, booleans ja/nein, empty -> None."""

from __future__ import annotations

from datetime import date, datetime


def cell_text(value) -> str | None:
    """An XLSX or geo cell as German Excel shows it: 1234.5 -> "1234,5", dates dd.mm.yyyy."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, datetime):
        return (
            value.strftime("%d.%m.%Y")
            if value.time() == datetime.min.time()
            else (value.strftime("%d.%m.%Y %H:%M"))
        )
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        return (
            str(int(value))
            if value.is_integer() and abs(value) < 1e15
            else (repr(value).replace(".", ","))
        )
    return str(value)
