"""The initiative blueprint and what its views share: the login check, the ``next`` target kept
through login, registration and confirmation, the submission limit, the current initiative."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user

from leerstand.extensions import limiter
from leerstand.views.outcome import safe_next

bp = Blueprint("initiative", __name__, url_prefix="/initiative")
SUBMISSION_LIMIT = limiter.shared_limit(
    "20 per hour", scope="proposal-submission", methods=["POST"]
)


def initiative_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("initiative.login", next=_here()))
        if current_user.role != "initiative":
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def _here() -> str:
    """This page's path with its query (``/initiative/ideen/neu?unit=5``), for ``next``."""
    return request.full_path.rstrip("?")


def _next() -> dict:
    """``{"next": path}`` when the request carries a safe local ``next`` (where to go after the
    login, e.g. the proposal form for a unit), else {}. Kept through registration, the mailed
    confirmation link, the confirmation and the login."""
    target = safe_next(request.args.get("next"), "")
    return {"next": target} if target else {}


@bp.context_processor
def _next_args() -> dict:
    return {"next_args": _next()}


def _me():
    return current_user._get_current_object()
