"""Absolute URLs for mails and letters, always from the configured ``BASE_URL`` (e.g.
``https://leerstand.ballenstedt.de``), never from the request's ``Host`` header: a forged
header must not put someone else's address into a mail. Works inside and outside a request
(``flask reminders`` from cron)."""

from __future__ import annotations

from flask import current_app


def absolute_url(endpoint: str, **values) -> str:
    adapter = current_app.url_map.bind("localhost")
    path = adapter.build(endpoint, values, force_external=False)
    return current_app.config["BASE_URL"].rstrip("/") + path
