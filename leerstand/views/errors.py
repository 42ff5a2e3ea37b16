"""Error pages in German; JSON for /api and /healthz. A 500 is a bug, but still shows no trace."""

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from leerstand.db import db
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
}


def _wants_json() -> bool:
    return request.path.startswith(("/api/", "/healthz"))


def render_error(code: int, message: str | None = None):
    text = message or translate(MESSAGES.get(code, MESSAGES[400]))
    if _wants_json():
        return jsonify(error=text, status=code), code
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

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        db.session.rollback()  # a failed flush leaves the session unusable for the error page
        app.logger.exception("Unhandled error", exc_info=exc)
        return render_error(500)
