"""Locale selection and the German number/date filters used by the templates.

German is the source language of the UI (msgids are German); ``translations/en`` holds the
English catalogue. ``?lang=en`` switches for the session."""

from datetime import date, datetime
from decimal import Decimal

from flask import Flask, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale, gettext
from flask_babel import lazy_gettext as _l

from leerstand import vocab, wording
from leerstand.messages import Text, param_text
from leerstand.services.matching.reasons import reason_text

SUPPORTED = ("de", "en")
LOGIN_MESSAGE = _l("Bitte melden Sie sich an, um diese Seite zu sehen.")


def select_locale() -> str:
    """``?lang=`` (kept in the session), else the session's choice, else German; outside a
    request (CLI, jobs, mails built in a thread) German."""
    if not has_request_context():
        return "de"
    wanted = request.args.get("lang")
    if wanted in SUPPORTED:
        session["lang"] = wanted
    return session.get("lang", "de")


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        return format_datetime(value, "dd.MM.yyyy HH:mm")
    return format_date(value, "dd.MM.yyyy")


def fmt_number(value: float | Decimal | int | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    pattern = "#,##0" if digits == 0 else "#,##0." + "0" * digits
    return format_decimal(value, format=pattern)


def fmt_area(value: float | Decimal | None) -> str:
    return "–" if value is None else f"{fmt_number(value, 1)} m²"


def translate(message: object) -> str:
    """A service message in the visitor's language when it is a ``Text`` (else as it is).

    Parameters that are ``Text`` are translated too; floats and Decimals are written in the
    visitor's number format (see ``leerstand.messages``)."""
    if not isinstance(message, Text):
        return str(message)
    if not message.params:
        return gettext(message.msgid)
    return gettext(message.msgid, **{k: _param(v) for k, v in message.params.items()})


def _param(value: object) -> object:
    return param_text(value, str(get_locale() or "de"), translate)


def error_message(exc: BaseException) -> str:
    """What an exception raised with a (German) message says, in the visitor's language."""
    return translate(exc.args[0]) if exc.args else str(exc)


def _period(start: date | None, end: date | None) -> str:
    """``wording.period`` in the visitor's language ("nach Absprache" instead of dashes)."""
    return translate(wording.period(start, end))


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        date=fmt_date,
        number=fmt_number,
        area=fmt_area,
    )
    app.jinja_env.globals.update(vocab=vocab, label=vocab.label, period=_period)
    app.jinja_env.filters.update(translate=translate)  # a service's Text in the visitor's language
    app.jinja_env.filters.update(match_reason=match_reason)


def match_reason(reason: dict) -> str:
    """A stored match reason as a sentence in the visitor's language and number format."""
    return translate(reason_text(reason))
