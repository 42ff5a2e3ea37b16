"""Secrets out of logs: the owners' link token or answer code in ``/antwort/<secret>`` and the
password-reset token in ``/passwort-neu/<token>`` are written as ``/antwort/***`` and
``/passwort-neu/***`` by every logger that records request lines.

``install(app)`` puts ``MaskSecrets`` on werkzeug's request log (the development server) and on
the app's own logger (e.g. "Exception on /antwort/… [GET]"); ``mask`` is also used by the
gunicorn access logger in ``leerstand.gunicorn_logging``. ``/antwort/anfrage/<id>`` (the
request id the owner's session points to, no secret) stays readable."""

from __future__ import annotations

import logging
import re

from flask import Flask

MASK = "***"
_SECRET_SEGMENT = re.compile(
    r"(/antwort/(?!anfrage(?:[/?#\s\"']|$))|/passwort-neu/|/melden/bestaetigen/)[^/?#\s\"']+"
)


def without_secret(path: str) -> str:
    """``path`` cut before a secret segment: ``/antwort/<secret>`` → ``/antwort``."""
    return _SECRET_SEGMENT.sub(lambda m: m.group(1).rstrip("/"), path)


def mask(text: str) -> str:
    """``text`` with the secret path segment of every ``/antwort/<secret>`` and
    ``/passwort-neu/<token>`` replaced."""
    return _SECRET_SEGMENT.sub(r"\g<1>" + MASK, text)


class MaskSecrets(logging.Filter):
    """Rewrites a record's message (with its arguments merged in) through ``mask``."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def install(app: Flask) -> None:
    """Mask secrets in werkzeug's request log and in the app's logger (once per logger)."""
    for logger in (logging.getLogger("werkzeug"), app.logger):
        if not any(isinstance(f, MaskSecrets) for f in logger.filters):
            logger.addFilter(MaskSecrets())
