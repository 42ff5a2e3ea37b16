"""Error pages in German; JSON for /api and /healthz. A 500 is a bug, but still shows no trace.

The database gone (stopped, unreachable, restarting) is no bug: every visitor, signed in or
not, gets a 503 with ``Retry-After`` and the usual page, rendered without touching the
database again (the account is not reloaded: the page is drawn for a visitor). A statement
over ``DB_STATEMENT_TIMEOUT_MS`` gets a 503 saying so, a row lock held longer than
``DB_LOCK_TIMEOUT_MS`` the conflict page (409); the transaction is rolled back, nothing is
half-written."""

import psycopg
from flask import Flask, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from psycopg import errors as pg_errors
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from leerstand.db import db
from leerstand.extensions import login_manager
from leerstand.i18n import translate
from leerstand.services.errors import NotFound
from leerstand.services.locking import CONCURRENT_ERRORS, CONFLICT_MESSAGE

MESSAGES = {
    400: _l("Die Anfrage ist ungültig. Bitte prüfen Sie Ihre Eingaben."),
    403: _l("Dafür fehlen Ihnen die Rechte. Bitte wenden Sie sich an die Administration."),
    404: _l("Diese Seite gibt es nicht (mehr). Bitte prüfen Sie die Adresse."),
    405: _l("Diese Aktion ist hier nicht erlaubt."),
    409: CONFLICT_MESSAGE,
    413: _l("Die gesendeten Daten sind zu groß."),
    429: _l("Zu viele Versuche. Bitte warten Sie einen Moment und versuchen Sie es erneut."),
    500: _l("Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es später erneut."),
    503: _l(
        "Die Datenbank ist gerade nicht erreichbar. Bitte versuchen Sie es in einer Minute erneut."
    ),
}
TIMED_OUT = _l(
    "Die Datenbank hat nicht rechtzeitig geantwortet; es wurde nichts gespeichert. Bitte"
    " versuchen Sie es in einer Minute erneut."
)
RETRY_AFTER = "30"  # seconds, for a database outage or timeout


def _wants_json() -> bool:
    return request.path.startswith(("/api/", "/healthz"))


# the database is gone: SQLAlchemy's wrappers, and psycopg's own (read through the driver)
DATABASE_GONE = (OperationalError, InterfaceError, psycopg.OperationalError, psycopg.InterfaceError)


def _as_visitor() -> None:
    """Draw the rest of this request for a visitor: the session dropped (never raises) and no
    account loaded from the database."""
    db.forget_session()
    g._login_user = login_manager.anonymous_user()


def render_error(code: int, message: str | None = None):
    text = message or translate(MESSAGES.get(code, MESSAGES[400]))
    if _wants_json():
        return jsonify(error=text, status=code), code
    try:
        return render_template("error.html", code=code, message=text), code
    except DATABASE_GONE:  # e.g. a CSRF error while the database is down: no second failure
        _as_visitor()
        return render_template("error.html", code=code, message=text), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_exc):
        return render_error(
            400,
            _("Das Formular ist abgelaufen. Bitte die Seite neu laden und erneut senden."),
        )

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        body, code = render_error(exc.code or 500)
        # keep the exception's own headers that say what to do, e.g. Allow on a 405
        kept = [(k, v) for k, v in exc.get_headers() if k.lower() in ("allow", "retry-after")]
        return body, code, kept

    def _concurrent(_exc: Exception):  # a save no form view caught: someone saved in between
        db.session.rollback()
        return render_error(409)

    for error in CONCURRENT_ERRORS:
        app.register_error_handler(error, _concurrent)

    @app.errorhandler(NotFound)
    def _not_found(_exc: NotFound):  # a service's scoped look-up: not there, or another town's
        return render_error(404)

    def _database(exc: Exception):
        _as_visitor()  # no second round trip; the next request gets a fresh connection
        original = getattr(exc, "orig", None) or exc  # SQLAlchemy's wrapper or psycopg's own
        if isinstance(original, pg_errors.LockNotAvailable):
            return render_error(409)
        app.logger.warning("Database unavailable: %s", type(original).__name__)
        timed_out = isinstance(original, pg_errors.QueryCanceled)
        body, code = render_error(503, translate(TIMED_OUT) if timed_out else None)
        return body, code, {"Retry-After": RETRY_AFTER}

    for error in DATABASE_GONE:
        app.register_error_handler(error, _database)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        db.forget_session()  # a failed flush leaves the session unusable for the error page
        app.logger.exception("Unhandled error", exc_info=exc)
        return render_error(500)
