"""Absolute URLs for mails and letters.

Inside a request Flask knows the host (``url_for(..., _external=True)``, which respects the
proxy's ``Host``); outside one (``flask reminders`` from cron) the configured ``BASE_URL``
(e.g. ``https://leerstand.ballenstedt.de``) is put in front of the route's path."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for


def absolute_url(endpoint: str, **values) -> str:
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    adapter = current_app.url_map.bind("localhost")
    path = adapter.build(endpoint, values, force_external=False)
    return current_app.config["BASE_URL"].rstrip("/") + path
