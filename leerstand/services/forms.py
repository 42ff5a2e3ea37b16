"""Form input as typed, turned into values: text up to a field's limit, German numbers
("1.234,5") rounded to a column's precision, dates (dd.mm.yyyy or ISO from <input type=date>),
and choices from a vocabulary (the version a form was loaded with: ``services/locking.py``).

Every problem raises ``ServiceError`` with a German ``Text`` (translated by the view); nothing
is cut or rounded into range silently. A field's name (``what``) should be a ``Text`` too, so
that it is translated with the message; a plain German name is taken as a msgid."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from leerstand.messages import Fixed, Text
from leerstand.services.errors import ServiceError

GERMAN_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
# One address, no lists: no spaces, commas, semicolons, quotes or angle brackets; a dotted domain.
EMAIL_RE = re.compile(r"^[^@\s,;<>\"']+@[^@\s,;<>\"'.]+(\.[^@\s,;<>\"'.]+)*\.[^\W\d_]{2,}$")
EMAIL_MESSAGE = Text("Bitte eine gültige E-Mail-Adresse angeben (z. B. name@example.org).")
INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # a database integer
TRUE_WORDS = frozenset({"1", "on", "true", "ja", "yes"})
DECIMAL_MAX_DIGITS = 15  # beyond every numeric column; quantize needs <= 28 digits


def german_number(value: int | Decimal, places: int = 0) -> str:
    """1048576 -> "1.048.576", Decimal("9999999.99"), 2 -> "9.999.999,99"."""
    plain = f"{value:,.{places}f}"
    return plain.replace(",", " ").replace(".", ",").replace(" ", ".")


def field_name(what: str) -> Text:
    """A field's name as a ``Text`` (a plain German name becomes its own msgid)."""
    return what if isinstance(what, Text) else Text(str(what))


def fixed(value: int | Decimal, places: int = 0) -> Fixed:
    """``value`` written with exactly ``places`` decimals in any language ("0,00" / "0.00")."""
    return Fixed(Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def text(values: Mapping, key: str, max_len: int = 200, what: str | None = None) -> str:
    """The trimmed text of field ``key``; longer than ``max_len`` characters is refused with a
    message naming the field (``what``, its label), never cut."""
    value = str(values.get(key) or "").strip()
    check_length(value, max_len, what or key)
    return value


def check_length(value: str, max_len: int, what: str) -> None:
    if len(value) > max_len:
        raise ServiceError(
            Text(
                "„%(what)s“ ist zu lang: höchstens %(limit)s Zeichen (eingegeben: %(length)s).",
                what=field_name(what),
                limit=fixed(max_len),
                length=fixed(len(value)),
            )
        )


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
    code = str(values.get(key) or "").strip() or default
    if code not in allowed:
        raise ServiceError(
            Text("Bitte bei „%(what)s“ einen Wert aus der Liste wählen.", what=field_name(what))
        )
    return code


def parse_decimal(
    raw: str | None,
    what: str,
    places: int | None = None,
    low: Decimal | None = None,
    high: Decimal | None = None,
    unit: str = "",
) -> Decimal | None:
    """German ("1.234,5", "85,5") or plain ("85.5") number; empty -> None. With ``places``
    (the column's scale) it is rounded half up and then checked against ``low``..``high``
    (see ``in_range``)."""
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
        raise ServiceError(
            Text("%(what)s: „%(raw)s“ ist keine Zahl.", what=field_name(what), raw=str(raw))
        ) from None
    if not value.is_finite():
        raise ServiceError(Text("%(what)s muss eine endliche Zahl sein.", what=field_name(what)))
    if places is None:
        return value
    return in_range(value, what, places, low, high, unit, raw=str(raw).strip())


def in_range(
    value: Decimal,
    what: str,
    places: int,
    low: Decimal,
    high: Decimal,
    unit: str = "",
    raw: str | None = None,
) -> Decimal:
    """``value`` rounded half up to ``places`` decimals; refused unless the ROUNDED value lies
    in ``low``..``high`` (what the column stores is what is checked: 0,04 m² rounds to 0,0)."""
    params = {
        "what": field_name(what),
        "low": fixed(low, places),
        "high": fixed(high, places),
        "unit": f" {unit}" if unit else "",
        "raw": raw[:30] if raw is not None else _typed(value, places),
    }
    outside = Text(
        "„%(what)s“ muss zwischen %(low)s und %(high)s%(unit)s liegen (eingegeben: %(raw)s).",
        **params,
    )
    if not value.is_finite() or (value != 0 and value.adjusted() >= DECIMAL_MAX_DIGITS):
        raise ServiceError(outside)  # no arithmetic on 1e999999999
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    rounded = abs(rounded) if rounded == 0 else rounded  # "-0,004" is stored as 0,00
    if low <= rounded <= high:
        return rounded
    if rounded == value:
        raise ServiceError(outside)
    raise ServiceError(
        Text(
            "„%(what)s“ muss zwischen %(low)s und %(high)s%(unit)s liegen; "
            "%(raw)s ergibt gerundet %(value)s%(unit)s.",
            value=fixed(rounded, places),
            **params,
        )
    )


def _typed(value: Decimal, places: int) -> Fixed | str:
    """A value given as a number (no text typed) as the message shows it."""
    if value.is_finite() and (value == 0 or value.adjusted() < DECIMAL_MAX_DIGITS):
        return fixed(value, places)
    return str(value)[:30]


def parse_date(raw: str | None, what: str) -> date | None:
    s = str(raw or "").strip()
    if not s:
        return None
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise ServiceError(
        Text(
            "%(what)s: „%(value)s“ ist kein Datum. Bitte TT.MM.JJJJ eingeben.",
            what=field_name(what),
            value=s,
        )
    )


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
        raise ServiceError(
            Text("%(what)s: „%(raw)s“ ist keine ganze Zahl.", what=field_name(what), raw=s[:30])
        ) from None
    low = INT_MIN if low is None else low
    high = INT_MAX if high is None else high
    if not low <= value <= high:
        raise ServiceError(
            Text(
                "%(what)s: %(raw)s ist nicht erlaubt (erwartet eine ganze Zahl von %(low)s bis "
                "%(high)s).",
                what=field_name(what),
                raw=s[:30],
                low=low,
                high=high,
            )
        )
    return value


def contains_pattern(query: str) -> str:
    """An ILIKE pattern matching ``query`` anywhere, with % _ and \\ taken literally."""
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
