"""Meldungen (staff): the queue with possible duplicates (distance in m, same address), accept
(a unit at the reported place, read back from PostGIS to ~1 m; the building at that address
reused; the photo when the reporter agreed), merge, reject with a reason; the reporter's mail
(confirmed addresses only, no internal details); read-only roles; audit entries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from leerstand.models import AuditEvent, Building, MediaFile, Unit, VacancyReport
from tests import factories as f
from tests.conftest import login, post_form
from tests.media_files import jpeg_with_gps
from tests.report_world import (  # noqa: F401  (fixtures)
    UNIT_LONLAT,
    _report_app,
    north_of,
    public_unit,
    report_app,
    report_client,
    send_report,
)
from tests.smtp import body, links

REPORTER = "melder@example.org"
STAFF, VIEWER = "staff@test.example", "viewer@test.example"


def _report(client, smtp_server, lonlat, confirm=True, photo=None, **data):
    """Send a report with an e-mail address (confirmed through its link when ``confirm``)."""
    form = {"lon": f"{lonlat[0]:.6f}", "lat": f"{lonlat[1]:.6f}", "email": REPORTER, **data}
    assert send_report(client, form, photo=photo).status_code == 303
    (mail,) = smtp_server.wait_for(1)
    if confirm:
        link = links(mail)[0].replace("http://localhost", "")
        assert post_form(client, link, {}).status_code == 200
    smtp_server.clear()


def _only_report(session) -> VacancyReport:
    """The one report as stored now (requests detach the test's objects)."""
    report_id = session.scalar(select(VacancyReport.id))
    return session.get(VacancyReport, report_id, populate_existing=True)


def _decide(client, report_id: int, action: str, data: dict):
    page = f"/verwaltung/meldungen/{report_id}"
    return post_form(client, f"{page}/{action}", data, page=page)


def _distance_m(session, unit_id: int, lonlat) -> float:
    point = func.ST_SetSRID(func.ST_MakePoint(*lonlat), 4326)
    stmt = (
        select(func.ST_Distance(func.geography(Building.location), func.geography(point)))
        .join(Unit, Unit.building_id == Building.id)
        .where(Unit.id == unit_id)
    )
    return session.scalar(stmt)


def test_queue_and_detail_show_possible_duplicates(session, base, report_client, smtp_server):  # noqa: F811
    unit = public_unit(session, base)
    hidden = f.unit(session, unit.building, name="1. OG", publishable=False)
    unit_id, hidden_id = unit.id, hidden.id
    session.commit()
    _report(report_client, smtp_server, north_of(UNIT_LONLAT, 30), street="Allee",
            house_number="41", comment="<script>alert(1)</script>")  # fmt: skip
    report_id = _only_report(session).id
    login(report_client, STAFF)
    queue = report_client.get("/verwaltung/meldungen").get_data(as_text=True)
    assert f'data-report-id="{report_id}"' in queue
    assert "2 Einheiten, 0 Meldungen" in queue
    page = report_client.get(f"/verwaltung/meldungen/{report_id}").get_data(as_text=True)
    assert f'data-unit-id="{unit_id}"' in page and f'data-unit-id="{hidden_id}"' in page
    assert "30 m" in page and "nicht öffentlich" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert REPORTER not in page and REPORTER not in queue
    assert "per E-Mail (Adresse bestätigt, wird nicht angezeigt)" in page


def test_accept_makes_a_unit_at_the_reported_place(session, base, report_client, smtp_server):  # noqa: F811
    place = north_of(UNIT_LONLAT, 300)
    _report(report_client, smtp_server, place, photo=jpeg_with_gps(), photo_consent="1",
            kind="gastro", since="year", street="Neue Straße", house_number="5")  # fmt: skip
    report_id = _only_report(session).id
    login(report_client, STAFF)
    response = _decide(
        report_client, report_id, "annehmen",
        {"lon": f"{place[0]:.6f}", "lat": f"{place[1]:.6f}", "street": "Neue Straße",
         "house_number": "5", "name": "EG Gaststätte", "vacant_since": "2025-06-01",
         "use_photo": "1"},
    )  # fmt: skip
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    report = _only_report(session)
    unit = session.get(Unit, report.unit_id)
    assert (report.status, unit.kind, unit.name, unit.vacancy_state) == (
        "accepted", "gastro", "EG Gaststätte", "vacant"
    )  # fmt: skip
    assert unit.vacant_since.isoformat() == "2025-06-01"
    assert unit.publishable is False
    assert (unit.building.street, unit.building.house_number) == ("Neue Straße", "5")
    assert _distance_m(session, unit.id, place) < 1.0
    photo = session.scalar(select(MediaFile).where(MediaFile.unit_id == unit.id))
    assert (photo.source, photo.kind) == ("report", "photo")
    assert report.photo_key is None
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity == "vacancy_report")
    ).all()
    assert actions == ["report_accepted"]
    (mail,) = smtp_server.wait_for(1)
    assert mail["To"] == REPORTER
    assert mail["Subject"] == "Ihre Leerstandsmeldung wurde übernommen"
    text = body(mail)
    assert "in ihr Leerstandsregister aufgenommen" in text
    assert "EG Gaststätte" not in text and str(unit.id) not in text.split("vom")[0]
    log = report_client.get("/verwaltung/protokoll")
    assert log.status_code == 200 and REPORTER not in log.get_data(as_text=True)


def test_accept_uses_the_building_at_that_address(session, base, report_client, smtp_server):  # noqa: F811
    building_id = public_unit(session, base).building_id
    send_report(report_client, {"street": "Allee", "house_number": "41"})
    report_id = _only_report(session).id
    login(report_client, STAFF)
    response = _decide(
        report_client, report_id, "annehmen",
        {"lon": f"{UNIT_LONLAT[0]}", "lat": f"{UNIT_LONLAT[1]}", "street": "Allee",
         "house_number": "41", "name": "1. OG"},
    )  # fmt: skip
    assert response.status_code == 303
    report = _only_report(session)
    assert session.get(Unit, report.unit_id).building_id == building_id
    assert session.scalar(select(func.count()).select_from(Building)) == 1
    assert report.has_confirmed_email is False
    assert smtp_server.messages == []  # no address: no mail


def test_accept_without_a_point_asks_for_one(session, base, report_client):  # noqa: F811
    send_report(report_client, {"street": "Unbekannte Gasse"})
    report_id = _only_report(session).id
    login(report_client, STAFF)
    response = _decide(report_client, report_id, "annehmen", {"lon": "", "lat": ""})
    assert response.status_code == 422
    assert "Bitte den Ort der Meldung auf der Karte setzen" in response.get_data(as_text=True)
    report = _only_report(session)
    assert (report.status, report.unit_id) == ("new", None)


def test_merge_links_the_report_to_the_unit(session, base, report_client, smtp_server):  # noqa: F811
    unit_id = public_unit(session, base).id
    _report(report_client, smtp_server, north_of(UNIT_LONLAT, 20), same_as=f"unit:{unit_id}")
    report_id = _only_report(session).id
    login(report_client, STAFF)
    response = _decide(report_client, report_id, "zusammenfuehren", {"unit_id": str(unit_id)})
    assert response.status_code == 303
    report = _only_report(session)
    assert (report.status, report.unit_id) == ("merged", unit_id)
    (mail,) = smtp_server.wait_for(1)
    assert "schon bekannt" in body(mail)


def test_reject_needs_a_reason_and_mails_it(session, base, report_client, smtp_server):  # noqa: F811
    _report(report_client, smtp_server, north_of(UNIT_LONLAT, 200))
    report_id = _only_report(session).id
    login(report_client, STAFF)
    empty = _decide(report_client, report_id, "ablehnen", {"reason": " "})
    assert empty.status_code == 422
    assert "Bitte eine Begründung angeben" in empty.get_data(as_text=True)
    assert smtp_server.messages == []
    response = _decide(
        report_client, report_id, "ablehnen", {"reason": "Der Laden ist seit Mai wieder vermietet."}
    )
    assert response.status_code == 303
    report = _only_report(session)
    assert (report.status, report.reason) == (
        "rejected",
        "Der Laden ist seit Mai wieder vermietet.",
    )
    (mail,) = smtp_server.wait_for(1)
    assert mail["Subject"] == "Ihre Leerstandsmeldung wurde nicht übernommen"
    assert "Der Laden ist seit Mai wieder vermietet." in body(mail)
    again = _decide(report_client, report_id, "ablehnen", {"reason": "noch einmal"})
    assert again.status_code == 422
    assert "schon entschieden" in again.get_data(as_text=True)


def test_an_unconfirmed_address_gets_no_update(session, base, report_client, smtp_server):  # noqa: F811
    _report(report_client, smtp_server, north_of(UNIT_LONLAT, 200), confirm=False)
    report_id = _only_report(session).id
    login(report_client, STAFF)
    assert _decide(report_client, report_id, "ablehnen", {"reason": "Doppelt"}).status_code == 303
    assert smtp_server.messages == []


def test_viewers_read_but_do_not_decide(session, base, report_client, smtp_server):  # noqa: F811
    send_report(report_client, {"lon": "11.2265", "lat": "51.7192"})
    report_id = _only_report(session).id
    login(report_client, VIEWER)
    page = report_client.get(f"/verwaltung/meldungen/{report_id}")
    assert page.status_code == 200
    assert 'id="report-actions"' not in page.get_data(as_text=True)
    refused = _decide(report_client, report_id, "ablehnen", {"reason": "Nein"})
    assert refused.status_code == 403
    report = _only_report(session)
    assert report.status == "new"


def test_other_towns_reports_are_not_found(session, base, report_client):  # noqa: F811
    other = f.building(session, base.other_municipality)
    report = VacancyReport(
        municipality_id=base.other_municipality.id, street="Anderswo", kind="shop",
        since="unknown", comment="", photo_consent=False, confirmations=0, status="new",
        reason="", location=other.location, created_at=datetime.now(UTC) - timedelta(days=1),
    )  # fmt: skip
    session.add(report)
    session.commit()
    report_id = report.id
    login(report_client, STAFF)
    assert report_client.get(f"/verwaltung/meldungen/{report_id}").status_code == 404
