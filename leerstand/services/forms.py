"""Form input as typed, turned into values: German numbers ("1.234,5"), dates (dd.mm.yyyy or
ISO from <input type=date>), choices from a vocabulary, and the version a form was loaded with.

Every problem raises ``ServiceError`` (``Conflict`` for a stale version) with a German message."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from leerstand.services.errors import Conflict, ServiceError

CONFLICT_MESSAGE = (
    "Der Datensatz wurde inzwischen von jemand anderem geändert. Bitte laden Sie die Seite neu; "
    "Ihre Eingaben wurden nicht gespeichert."
)
GERMAN_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
# One address, no lists: no spaces, commas, semicolons, quotes or angle brackets; a dotted domain.
EMAIL_RE = re.compile(r"^[^@\s,;<>\"']+@[^@\s,;<>\"'.]+(\.[^@\s,;<>\"'.]+)*\.[^\W\d_]{2,}$")
EMAIL_MESSAGE = "Bitte eine gültige E-Mail-Adresse angeben (z. B. name@example.org)."
INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # a database integer
TRUE_WORDS = frozenset({"1", "on", "true", "ja", "yes"})


def text(values: Mapping, key: str, max_len: int = 200) -> str:
    return str(values.get(key) or "").strip()[:max_len]


def flag(values: Mapping, key: str) -> bool:
    """A checkbox or yes/no value: 1, on, true, ja, yes (any case) are true, anything else false."""
    return str(values.get(key) or "").strip().lower() in TRUE_WORDS


def email(raw: str | None, required: bool = False, message: str = EMAIL_MESSAGE) -> str:
    """One e-mail address, trimmed (case kept); "" when empty and not ``required``."""
    value = str(raw or "").strip()
    if not value and not required:
        return ""
    if len(value) > 254 or not EMAIL_RE.match(value):
        raise ServiceError(message)
    return value


def choice(values: Mapping, key: str, allowed: Mapping, what: str, default: str = "") -> str:
    code = text(values, key, 30) or default
    if code not in allowed:
        raise ServiceError(f"Bitte bei „{what}“ einen Wert aus der Liste wählen.")
    return code


def parse_decimal(raw: str | None, what: str) -> Decimal | None:
    """German ("1.234,5", "85,5") or plain ("85.5") number; empty -> None."""
    s = str(raw or "").strip().replace(" ", "").replace("\u00a0", "")
    if not s:
        return None
    if "," in s:
        s = s.replace(".", "").replace(",", ".")
    elif GERMAN_THOUSANDS.match(s):
        s = s.replace(".", "")
    try:
        value = Decimal(s)
    except InvalidOperation:
        raise ServiceError(f"{what}: „{raw}“ ist keine Zahl.") from None
    if not value.is_finite():
        raise ServiceError(f"{what} muss eine endliche Zahl sein.")
    return value


def parse_date(raw: str | None, what: str) -> date | None:
    s = str(raw or "").strip()
    if not s:
        return None
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise ServiceError(f"{what}: „{s}“ ist kein Datum. Bitte TT.MM.JJJJ eingeben.")


def parse_int(
    raw: str | None, what: str, low: int | None = None, high: int | None = None
) -> int | None:
    """A whole number from ``low`` to ``high`` (default: what a database integer holds);
    empty -> None."""
    s = str(raw or "").strip()
    if not s:
        return None
    try:
        value = int(s)
    except ValueError:
        raise ServiceError(f"{what}: „{s[:30]}“ ist keine ganze Zahl.") from None
    low = INT_MIN if low is None else low
    high = INT_MAX if high is None else high
    if not low <= value <= high:
        raise ServiceError(
            f"{what}: {s[:30]} ist nicht erlaubt (erwartet eine ganze Zahl von {low} bis {high})."
        )
    return value


def check_version(obj, expected: str | int | None) -> None:
    """Refuse when the form was loaded with another version than the stored one."""
    try:
        loaded = int(str(expected).strip())
    except ValueError:
        raise Conflict(CONFLICT_MESSAGE) from None
    if loaded != obj.version:
        raise Conflict(CONFLICT_MESSAGE)


def contains_pattern(query: str) -> str:
    """An ILIKE pattern matching ``query`` anywhere, with % _ and \\ taken literally."""
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
