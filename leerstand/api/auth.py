"""Personal API tokens on the wire (read-only staff access for GIS clients).

``token_user()`` reads the token from ``Authorization: Bearer <token>`` or from HTTP Basic whose
password is the token (the user name is ignored: GDAL ``-oo USERPWD=user:token``, QGIS "Basic"
authentication) and returns the staff ``User`` or None; the answer is kept for the request.
Only GET and HEAD are ever authenticated by a token. ``token_required`` answers 401 JSON with
``WWW-Authenticate: Basic realm="Leerstand"`` when there is no valid token and 405 for other
methods. The token is never logged, echoed or put into an error message."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import wraps

from flask import g, jsonify, request
from flask_babel import gettext as _

from leerstand.db import db
from leerstand.models import User
from leerstand.services.accounts import api_tokens

READ_METHODS = ("GET", "HEAD")
REALM = 'Basic realm="Leerstand"'
_UNSET = object()


def raw_token() -> str | None:
    """The token the request carries (Bearer, or the Basic password), else None."""
    auth = request.authorization
    if auth is None:
        return None
    if auth.type == "bearer":
        return auth.token
    if auth.type == "basic":
        return auth.password
    return None


def token_user() -> User | None:
    """The active staff user of the request's valid token (GET/HEAD only), else None. A use
    is noted (``last_used_at``, at most once a minute) and committed at once."""
    found = g.get("token_user", _UNSET)
    if found is not _UNSET:
        return found
    user = None
    if request.method in READ_METHODS:
        user = api_tokens.authenticate(db.session, raw_token(), datetime.now(UTC))
        if user is not None and db.session.dirty:
            db.session.commit()
    g.token_user = user
    return user


def unauthorized():
    message = _(
        "Für diese Adresse ist ein persönlicher API-Zugang nötig: Benutzername beliebig, "
        "Passwort = Token (oder „Authorization: Bearer <Token>“). Einen Zugang legen Sie in "
        "der Verwaltung unter „API-Zugang“ an; abgelaufene oder widerrufene gelten nicht."
    )
    response = jsonify(error=message, status=401)
    response.status_code = 401
    response.headers["WWW-Authenticate"] = REALM
    return response


def read_only():
    message = _("Der API-Zugang ist nur lesend: erlaubt sind GET und HEAD.")
    response = jsonify(error=message, status=405)
    response.status_code = 405
    response.headers["Allow"] = ", ".join(READ_METHODS)
    return response


def token_required(view):
    """The view runs only for a valid token; ``token_user()`` is its user."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if request.method not in READ_METHODS:
            return read_only()
        if token_user() is None:
            return unauthorized()
        return view(*args, **kwargs)

    return wrapper
