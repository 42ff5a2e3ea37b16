"""German messages that views can still translate (a primitive: services, ``wording`` and
``config_check`` build them, ``leerstand.i18n.translate`` shows them).

A ``Text`` is the German string (services and their tests use it as it is) and keeps its msgid
and parameters, so that a view can show it in the visitor's language with
``leerstand.i18n.translate``. ``scripts/i18n`` extracts ``Text("…")`` like ``_("…")``.

Parameters are kept as values: a parameter that is itself a ``Text`` (a field name, a label) is
translated with the message, and a ``float`` or ``Decimal`` is written in the reader's number
format ("92,5" in German, "92.5" in English). Integers stay as they are (years, line numbers).
Pass numbers as numbers, never pre-formatted, or they stay German in English."""

from __future__ import annotations

from decimal import Decimal

from babel.lists import format_list
from babel.numbers import format_decimal

NUMBER_PATTERN = "#,##0.##"
AMOUNT_PATTERN = "#,##0.00"


class Amount(float):
    """Money: "1.250,50" (two decimals), or "300" when whole."""


class Fixed(Decimal):
    """A Decimal written with all its own decimals, zeros too: a column's limits ("0,00")."""


def number_text(value: float | Decimal, locale: str = "de_DE") -> str:
    """A float or Decimal in ``locale``'s format, up to two decimals: 1234.5 → "1.234,5"."""
    fractional = isinstance(value, Amount) and not float(value).is_integer()
    pattern = AMOUNT_PATTERN if fractional else NUMBER_PATTERN
    if isinstance(value, Fixed):
        places = max(0, -int(value.as_tuple().exponent))
        pattern = "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(value, format=pattern, locale=locale)


def param_text(value: object, locale: str, words) -> object:
    """One parameter ready for ``%``: numbers in ``locale``, lists joined, ``words`` for texts."""
    if isinstance(value, (float, Decimal)):
        return number_text(value, locale)
    if isinstance(value, (list, tuple)):
        return format_list([str(param_text(item, locale, words)) for item in value], locale=locale)
    if isinstance(value, Text):
        return words(value)
    return value


def german_params(params: dict) -> dict:
    return {key: param_text(value, "de_DE", str) for key, value in params.items()}


class Text(str):
    msgid: str
    params: dict

    def __new__(cls, msgid: str, **params) -> Text:
        obj = super().__new__(cls, msgid % german_params(params) if params else msgid)
        obj.msgid, obj.params = msgid, params
        return obj
