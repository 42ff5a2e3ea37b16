"""What a view does when a service refuses: roll back and answer with a German message and a
status; and where to go next after a form (only to a path on this site)."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from sqlalchemy.orm.exc import StaleDataError

from leerstand.db import db
from leerstand.services.errors import Conflict, ServiceError
from leerstand.services.forms import CONFLICT_MESSAGE
from leerstand.spatial.geometry import GeometryError

# Everything a form view catches: ``except FORM_ERRORS as exc: message, status = failure(exc)``.
FORM_ERRORS = (ServiceError, GeometryError, StaleDataError)


def failure(exc: Exception) -> tuple[str, int]:
    """Roll back what the request wrote; (German message, 409 for a conflict else 422)."""
    db.session.rollback()
    if isinstance(exc, StaleDataError):
        return CONFLICT_MESSAGE, 409
    return str(exc), 409 if isinstance(exc, Conflict) else 422


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
