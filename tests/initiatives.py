"""Helpers for initiative and idea tests: a confirmed initiative, its login, valid idea forms."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import count

from sqlalchemy import inspect

from leerstand.models import Initiative
from tests.conftest import make_app, post_form

INITIATIVE_PASSWORD = "initiative-geheim-123"
XSS = "<img src=x onerror=alert(1)>"
_seq = count(1)
# a small square on the Allee, Ballenstedt (WGS84 lon/lat)
ALLEE_SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[11.225, 51.718], [11.228, 51.718], [11.228, 51.720], [11.225, 51.720], [11.225, 51.718]]
    ],
}
BOWTIE = {
    "type": "Polygon",
    "coordinates": [
        [[11.225, 51.718], [11.228, 51.720], [11.228, 51.718], [11.225, 51.720], [11.225, 51.718]]
    ],
}
OUTSIDE_SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[11.05, 51.80], [11.06, 51.80], [11.06, 51.81], [11.05, 51.81], [11.05, 51.80]]
    ],
}


def initiative(session, municipality, confirmed: bool = True, **kw) -> Initiative:
    n = next(_seq)
    values = {
        "municipality_id": inspect(municipality).identity[0],  # works on detached objects too
        "name": f"Initiative {n}",
        "contact_person": "Ina Beispiel",
        "email": f"initiative{n}@example.org",
        "email_confirmed_at": datetime.now(UTC) if confirmed else None,
    }
    values.update(kw)
    obj = Initiative(**values)
    obj.set_password(INITIATIVE_PASSWORD)
    session.add(obj)
    session.commit()  # releases the test's savepoint: a request's rollback keeps it
    return obj


def login_initiative(client, email: str, password: str = INITIATIVE_PASSWORD):
    return post_form(client, "/initiative/anmelden", {"email": email, "password": password})


def idea_form(**overrides) -> dict:
    data = {
        "title": "Repair-Café in der Allee",
        "description": "Jeden Samstag reparieren wir gemeinsam.",
        "use_kind": "workshop",
        "area_min": "40",
        "area_max": "120,5",
        "street_level": "1",
        "power": "1",
        "time_from": "01.03.2027",
        "time_to": "2027-09-30",
        "frequency": "samstags",
        "budget_kind": "costs_only",
        "location_kind": "point",
        "point_lon": "11.2265",
        "point_lat": "51.7192",
        "radius_m": "500",
        "action": "save",
    }
    data.update(overrides)
    return data


def area_form(polygon=ALLEE_SQUARE, **overrides) -> dict:
    return idea_form(location_kind="area", area_geojson=json.dumps(polygon), **overrides)


def reload(session, obj):
    """The row as stored now (requests end with ``session.remove()``, detaching objects)."""
    return session.get(type(obj), inspect(obj).identity, populate_existing=True)


@contextmanager
def rate_limited_app(**overrides):
    """An app with rate limits on. The limiter is one global object that every ``init_app``
    re-configures, so a fresh app with limits off is created afterwards for later tests."""
    try:
        yield make_app(RATELIMIT_ENABLED=True, **overrides)
    finally:
        make_app()
