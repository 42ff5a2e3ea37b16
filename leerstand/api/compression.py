"""Compression of JSON answers (GeoJSON, the OGC API's JSON, OpenAPI): Flask-Compress chooses
zstd, brotli or gzip by the client's ``Accept-Encoding`` and compresses streamed answers (the
public collections) chunk by chunk as they are sent. HTML is left alone: pages carry CSRF tokens
next to text from the request (BREACH); a proxy may compress the static files. Settings keep
what the app's config already says (``COMPRESS_*``)."""

from __future__ import annotations

from flask import request
from flask_compress import Compress

from leerstand.api import bp

JSON_TYPES = [
    "application/json",
    "application/geo+json",
    "application/schema+json",
    "application/vnd.oai.openapi+json",
]
SETTINGS = {
    "COMPRESS_MIMETYPES": JSON_TYPES,
    "COMPRESS_ALGORITHM": ["zstd", "br", "gzip"],
    "COMPRESS_ALGORITHM_STREAMING": ["zstd", "br", "gzip"],  # gzip too: every client has it
    "COMPRESS_MIN_SIZE": 1000,
}


def _refused(coding: str) -> bool:
    """``gzip;q=0``: the client does not accept gzip (RFC 9110, 12.4.2)."""
    for parameter in coding.split(";")[1:]:
        name, _, value = parameter.strip().partition("=")
        if name.lower() == "q":
            try:
                return float(value) == 0
            except ValueError:
                return False
    return False


def _drop_refused_codings() -> None:
    """Flask-Compress 1.25 still picks a coding listed with ``q=0`` when nothing else is
    acceptable; such entries are removed from ``Accept-Encoding`` before it reads it."""
    raw = request.environ.get("HTTP_ACCEPT_ENCODING") or ""
    if "q=0" in raw.replace(" ", "").lower():
        kept = [coding for coding in raw.split(",") if not _refused(coding)]
        request.environ["HTTP_ACCEPT_ENCODING"] = ",".join(kept)


@bp.record_once
def _install(state) -> None:
    for key, value in SETTINGS.items():
        state.app.config.setdefault(key, value)
    state.app.before_request(_drop_refused_codings)
    Compress(state.app)
