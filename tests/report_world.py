"""Shared pieces of the Leerstandsmelder tests: an app that mails through the loopback SMTP
server and keeps its media in a temporary folder, points at known distances from a public unit
on the Allee, and a form post with the page's CSRF token."""

from __future__ import annotations

import io
import tempfile

import pytest
from shapely.geometry import Point

from leerstand.models import Unit, VacancyReport
from leerstand.spatial.geometry import to_db
from tests import factories as f
from tests.conftest import csrf_token, make_app

# metres per degree of latitude at Ballenstedt (51.72° N) on the WGS84 spheroid
M_PER_DEG_LAT = 111_255.0
UNIT_LONLAT = f.ALLEE


def north_of(lonlat: tuple[float, float], metres: float) -> tuple[float, float]:
    return lonlat[0], lonlat[1] + metres / M_PER_DEG_LAT


@pytest.fixture(scope="session")
def _report_app(app, _smtp_session):
    media = tempfile.mkdtemp(prefix="leerstand-report-media-")
    return make_app(MAIL_SERVER=_smtp_session.host, MAIL_PORT=_smtp_session.port, MEDIA_DIR=media)


@pytest.fixture
def report_app(_report_app, smtp_server):
    return _report_app


@pytest.fixture
def report_client(report_app):
    return report_app.test_client()


def public_unit(session, base, lonlat=UNIT_LONLAT, **unit_kw):
    """A unit the public may see: publishable, vacant, its owner consented to the map
    (committed into the test's outer transaction)."""
    building = f.building(
        session, base.municipality, lonlat=lonlat, street="Allee", house_number="41"
    )
    unit = f.unit(session, building, publishable=True, **unit_kw)
    owner = f.owner(session, base.municipality)
    f.ownership(session, building, owner)
    f.consent(session, owner)
    unit_id = unit.id
    # a request of another app (report_app) ends its own app context, whose teardown rolls
    # back what was only flushed: commit (into the test's outer transaction, rolled back later)
    session.commit()
    return session.get(Unit, unit_id)


def vacancy_report(session, municipality, **kw) -> VacancyReport:
    """A new report at the Allee (flushed), e.g. for pages that need one of each record."""
    defaults = {
        "municipality_id": municipality.id, "street": "Allee", "house_number": "", "kind": "shop",
        "since": "unknown", "comment": "", "photo_consent": False, "confirmations": 0,
        "status": "new", "reason": "", "location": to_db(Point(*f.ALLEE)),
    }  # fmt: skip
    report = VacancyReport(**{**defaults, **kw})
    session.add(report)
    session.flush()
    return report


def send_report(client, data: dict, photo: bytes | None = None, url: str = "/melden"):
    """POST the report form (multipart) with the CSRF token of its page."""
    payload = {"kind": "shop", "since": "months", **data}
    payload["csrf_token"] = csrf_token(client.get(url).get_data(as_text=True))
    if photo is not None:
        payload["photo"] = (io.BytesIO(photo), "foto.jpg")
    return client.post(url, data=payload, content_type="multipart/form-data")
