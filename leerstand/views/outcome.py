"""What a view does when a service refuses: roll back and answer with a German message and a
status; and where to go next after a form (only to a path on this site)."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from leerstand.db import db
from leerstand.i18n import error_message, translate
from leerstand.services.errors import ServiceError
from leerstand.services.locking import CONCURRENT_ERRORS, conflict_message
from leerstand.spatial.geometry import GeometryError

# Everything a form view catches: ``except FORM_ERRORS as exc: message, status = failure(exc)``.
FORM_ERRORS = (ServiceError, GeometryError, *CONCURRENT_ERRORS)


def failure(exc: Exception) -> tuple[str, int]:
    """Roll back what the request wrote; (message, 409 for a concurrent save else 422).

    Every message is shown in the visitor's language (``i18n.error_message``)."""
    db.session.rollback()
    conflict = conflict_message(exc)
    if conflict is not None:
        return translate(conflict), 409
    return error_message(exc), 422


def safe_next(target: str | None, fallback: str) -> str:
    """``target`` when it is a path on this site (no open redirect), else ``fallback``.

    Refused: anything not starting with one "/", a scheme or host (``//x``, ``https://x``),
    backslashes (browsers read ``/\\x`` as ``//x``), whitespace and control or format
    characters (browsers drop a tab in ``/<TAB>/x``, leaving ``//x``; CR/LF would split the
    Location header)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return fallback
    if any(_unsafe(char) for char in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target


def _unsafe(char: str) -> bool:
    return char == "\\" or char.isspace() or unicodedata.category(char).startswith(("C", "Z"))
