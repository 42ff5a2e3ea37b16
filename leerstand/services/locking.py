"""Optimistic locking in one place: the version a form was loaded with, SQLAlchemy's stale-data
error and the "changed meanwhile" message.

Versioned records carry ``version`` (``models/mixins.py``, SQLAlchemy's ``version_id_col``), and
their forms send the version they were loaded with. Two ways to notice a concurrent save, one
outcome: ``check_version`` compares the form's version before anything is written, and
``conflict_on_stale`` turns the ``StaleDataError`` of an UPDATE that found another version into
the same ``Conflict``. Views catch ``CONCURRENT_ERRORS`` (a ``StaleDataError`` can also come from
the commit) and show ``conflict_message`` in the visitor's language with HTTP 409."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm.exc import StaleDataError

from leerstand.messages import Text
from leerstand.services.errors import Conflict

CONFLICT_MESSAGE = Text(
    "Der Datensatz wurde inzwischen von jemand anderem geändert. Bitte laden Sie die Seite neu; "
    "Ihre Eingaben wurden nicht gespeichert."
)
# Everything that means "someone else saved this record in between".
CONCURRENT_ERRORS = (Conflict, StaleDataError)


def check_version(obj, expected: str | int | None) -> None:
    """Refuse when the form was loaded with another version than the stored one."""
    try:
        loaded = int(str(expected).strip())
    except ValueError:
        raise Conflict(CONFLICT_MESSAGE) from None
    if loaded != obj.version:
        raise Conflict(CONFLICT_MESSAGE)


@contextmanager
def conflict_on_stale() -> Iterator[None]:
    """Turn a concurrent UPDATE found while flushing (``StaleDataError``) into ``Conflict``."""
    try:
        yield
    except StaleDataError as exc:
        raise Conflict(CONFLICT_MESSAGE) from exc


def conflict_message(exc: Exception) -> Text | None:
    """The message for a concurrent save (German ``Text``, for the view to translate), else None."""
    if isinstance(exc, StaleDataError):
        return CONFLICT_MESSAGE
    if isinstance(exc, Conflict):
        message = exc.args[0] if exc.args else CONFLICT_MESSAGE
        return message if isinstance(message, Text) else Text(str(message))
    return None
