"""One log line per request, and the request id that ties a clerk's error page to it.

Every request gets an id: the proxy's ``X-Request-ID`` when it is a plain token (letters,
digits, ``.``, ``_``, ``-``; at most 64 characters), else a new one. It is answered in the
``X-Request-ID`` header, shown on error pages ("Fehlernummer") and written in the request's log
line (logger ``leerstand.request``) with method, path, status, duration, the account (kind, id,
role: never a name or address) and the municipality. The path is written without the query
string and with secret segments masked (``log_masking``): no token, code or password reaches a
log. ``LOG_FORMAT=json`` makes every line of the app's loggers one JSON object
(python-json-logger), for journald or a log shipper; the default is plain text."""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid

from flask import Flask, g, request
from flask.logging import default_handler
from pythonjsonlogger.json import JsonFormatter

from leerstand import metrics
from leerstand.log_masking import mask

HEADER = "X-Request-ID"
_PLAIN_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
log = logging.getLogger("leerstand.request")


def request_id() -> str:
    """The current request's id ("" outside a request)."""
    return g.get("request_id", "")


def _incoming_id() -> str:
    offered = request.headers.get(HEADER, "")
    return offered if _PLAIN_ID.fullmatch(offered) else uuid.uuid4().hex


def _account() -> dict:
    """Who made the request, from the account Flask-Login already loaded (never loads it: a
    log line must not cost a database round trip, nor fail when the database is gone)."""
    user = g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return {"account": None, "role": None, "municipality_id": None}
    kind = "staff" if getattr(user, "is_staff", False) else "initiative"
    return {
        "account": f"{kind}:{user.get_id().partition(':')[2]}",
        "role": getattr(user, "role", kind),
        "municipality_id": getattr(user, "municipality_id", None),
    }


def _fields(response) -> dict:
    started = g.get("request_started")
    duration = (time.perf_counter() - started) * 1000 if started else None
    return {
        "request_id": request_id(),
        "method": request.method,
        "path": mask(request.path),
        "status": response.status_code,
        "duration_ms": round(duration, 1) if duration is not None else None,
        **_account(),
    }


def init_app(app: Flask) -> None:
    @app.before_request
    def _start():
        g.request_id = _incoming_id()
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish(response):
        if "request_id" not in g:  # answered before our before_request ran (e.g. a 413)
            g.request_id = _incoming_id()
        response.headers[HEADER] = request_id()
        fields = _fields(response)
        seconds = (fields["duration_ms"] or 0) / 1000
        metrics.observe_request(request.endpoint, request.method, response.status_code, seconds)
        log.info(
            "%s %s %s %sms id=%s %s",
            fields["method"], fields["path"], fields["status"], fields["duration_ms"],
            fields["request_id"], fields["account"] or "-", extra=fields,
        )  # fmt: skip
        return response

    app.jinja_env.globals["request_id"] = request_id
    configure_logging(app)


class _RequestIdFilter(logging.Filter):
    """Puts the request id on every record the JSON handler writes (app events too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            try:
                record.request_id = request_id()
            except RuntimeError:  # outside an app context (CLI start-up, threads)
                record.request_id = ""
        return True


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (gunicorn and test runners swap it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def configure_logging(app: Flask) -> None:
    """INFO for Leerstand's loggers. With ``LOG_FORMAT=json`` one JSON object per line (on
    stderr, replacing Flask's default handler) and a line per request; in text mode gunicorn's
    access log (with request id and duration, ``leerstand/gunicorn_conf.py``) is that line."""
    json_lines = str(app.config.get("LOG_FORMAT", "text")).lower() == "json"
    logger = logging.getLogger("leerstand")
    logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    log.setLevel(logging.INFO if json_lines else logging.WARNING)
    if not json_lines:
        return
    logger.removeHandler(default_handler)
    if not any(getattr(h, "leerstand_json", False) for h in logger.handlers):
        handler = _StderrHandler()
        handler.leerstand_json = True
        handler.addFilter(_RequestIdFilter())
        handler.setFormatter(
            JsonFormatter(
                "{asctime}{levelname}{name}{message}",
                style="{",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
        logger.addHandler(handler)
    logger.propagate = False
