"""Helpers for initiative and proposal tests: a confirmed initiative, its login, valid proposal
forms."""

from __future__ import annotations

import json
from contextlib import contextmanager

from leerstand.models import Initiative
from tests import factories as f
from tests.conftest import make_app, post_form
from tests.conftest import reload as reload  # re-exported: several test modules import it here

INITIATIVE_PASSWORD = "initiative-geheim-123"
XSS = "<img src=x onerror=alert(1)>"
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
    """``factories.initiative`` that can log in with INITIATIVE_PASSWORD, committed."""
    obj = f.initiative(session, municipality, confirmed, INITIATIVE_PASSWORD, **kw)
    session.commit()  # releases the test's savepoint: a request's rollback keeps it
    return obj


def login_initiative(client, email: str, password: str = INITIATIVE_PASSWORD):
    return post_form(client, "/initiative/anmelden", {"email": email, "password": password})


def proposal_form(**overrides) -> dict:
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
    return proposal_form(location_kind="area", area_geojson=json.dumps(polygon), **overrides)


@contextmanager
def rate_limited_app(**overrides):
    """An app with rate limits on; its engine is disposed afterwards. The limiter is one global
    object: the autouse fixture ``_rate_limits_off_again`` switches it off after the test."""
    limited = make_app(RATELIMIT_ENABLED=True, **overrides)
    try:
        yield limited
    finally:
        limited.extensions["leerstand_db"].dispose()
