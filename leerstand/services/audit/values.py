"""The values of the audit log's changes as typed values for display: a stored JSON value of
a change key becomes bool, date, datetime, ``Quantity`` (a number with its unit), a label or a
record's name by the key's kind (``audit.fields``). The sentences around them are
``services.history``; formatting for the page is the template filter ``audit_value``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from leerstand import vocab

LONG_TEXT = 80
ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
UNITS = {"area": ("m²", 1), "money": ("€", 2), "share": ("%", 0)}


@dataclass(frozen=True)
class Quantity:
    """A number with its unit for display: ``digits`` decimal places."""

    value: Decimal
    unit: str
    digits: int


def _parse_moment(raw):
    try:
        return datetime.fromisoformat(raw)
    except (TypeError, ValueError):
        return raw


def _number(raw) -> Decimal | None:
    try:
        return Decimal(str(raw))
    except (InvalidOperation, ValueError):
        return None


def value(kind, raw, records: dict, name):
    """A stored change value as a typed value for display (None stays None); ``name(records,
    entity, id)`` names a referenced record."""
    if raw is None or raw == "":
        return None
    if isinstance(kind, dict):
        return vocab.label(kind, raw)
    if isinstance(kind, tuple):
        if kind[0] == "list":
            return ", ".join(vocab.label(kind[1], v) for v in raw) if raw else None
        return name(records, kind[1], raw)
    if kind == "bool":
        return bool(raw)
    if kind == "date" and isinstance(raw, str) and ISO_DAY.match(raw):
        return date.fromisoformat(raw)
    if kind in UNITS:
        number = _number(raw)
        if number is None:
            return str(raw)
        unit, digits = UNITS[kind]
        return Quantity(number * 100 if kind == "share" else number, unit, digits)
    if kind == "long":
        text = ", ".join(str(v) for v in raw) if isinstance(raw, list) else str(raw)
        return text if len(text) <= LONG_TEXT else text[: LONG_TEXT - 1].rstrip() + "…"
    if isinstance(raw, str) and (kind == "moment" or ISO_MOMENT.match(raw)):
        return _parse_moment(raw)  # also an unknown key's timestamp: never ISO on the page
    if isinstance(raw, str) and ISO_DAY.match(raw):
        return date.fromisoformat(raw)
    if isinstance(raw, list):
        return ", ".join(str(v) for v in raw)
    return raw
