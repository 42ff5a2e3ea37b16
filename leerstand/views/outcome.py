"""What a view does when a service refuses: roll back and answer with a German message and a
status; and where to go next after a form (only to a path on this site)."""

from __future__ import annotations

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
    """``target`` when it is a path on this site (no open redirect), else ``fallback``."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return fallback
