"""Leerstand melden (public): the places within 50 m before sending (both sides of the edge),
sending a report (read back from the database), "Das ist dieser Ort", the honeypot, bad input
with German messages and nothing written, the address-only form of a browser without
JavaScript, and the rate limit on both sides of its limit. Real PostGIS, real SMTP."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from leerstand.models import VacancyReport
from tests import factories as f
from tests.report_world import (  # noqa: F401  (fixtures)
    UNIT_LONLAT,
    _report_app,
    north_of,
    public_unit,
    report_app,
    report_client,
    send_report,
)

NEARBY = "/melden/in-der-naehe.json"


def _nearby(client, lonlat):
    response = client.get(f"{NEARBY}?lon={lonlat[0]:.7f}&lat={lonlat[1]:.7f}")
    assert response.status_code == 200
    return response.get_json()


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(VacancyReport))


def test_a_public_unit_30_m_away_is_offered_70_m_away_it_is_not(session, base, client):
    unit = public_unit(session, base)
    near = _nearby(client, north_of(UNIT_LONLAT, 30))
    assert [(u["id"], u["distance_m"], u["kind_label"], u["address"]) for u in near["units"]] == [
        (unit.id, 30, "Ladenlokal", "Allee 41")
    ]
    assert near["units"][0]["url"] == f"/leerstand/{unit.id}"
    assert _nearby(client, north_of(UNIT_LONLAT, 70))["units"] == []


@pytest.mark.parametrize(("metres", "offered"), [(49, True), (51, False)])
def test_the_50_m_edge(session, base, client, metres, offered):
    public_unit(session, base)
    units = _nearby(client, north_of(UNIT_LONLAT, metres))["units"]
    assert [u["distance_m"] for u in units] == ([metres] if offered else [])


def test_a_unit_the_public_may_not_see_is_never_offered(session, base, client):
    building = f.building(session, base.municipality, lonlat=UNIT_LONLAT)
    f.unit(session, building, publishable=False)
    assert _nearby(client, north_of(UNIT_LONLAT, 5)) == {"radius_m": 50, "units": [], "reports": []}


def test_an_open_report_is_shown_only_as_already_reported(session, base, client):
    response = send_report(
        client,
        {"lon": "11.2265", "lat": "51.7192", "street": "Allee", "house_number": "7",
         "comment": "Geheimer Kommentar", "email": "melder@example.org"},
    )  # fmt: skip
    assert response.status_code == 303
    report_id = session.scalar(select(VacancyReport.id))
    body = client.get(f"{NEARBY}?lon=11.2265&lat=51.71935").get_data(as_text=True)
    found = client.get(f"{NEARBY}?lon=11.2265&lat=51.71935").get_json()
    assert found["reports"] == [
        {"id": report_id, "kind_label": "Ladenlokal", "street": "Allee", "distance_m": 17}
    ]
    for secret in ("Geheimer Kommentar", "melder@example.org", "house_number", "comment"):
        assert secret not in body


def test_a_bad_point_is_a_json_400(client):
    response = client.get(f"{NEARBY}?lon=abc&lat=51.7")
    assert response.status_code == 400
    assert response.get_json()["error"] == "Längengrad ist keine Zahl: „abc“."


def test_sending_a_report_stores_it(session, base, client):
    lon, lat = north_of(UNIT_LONLAT, 120)
    response = send_report(
        client,
        {"lon": f"{lon:.6f}", "lat": f"{lat:.6f}", "street": " Allee ", "house_number": "12a",
         "kind": "gastro", "since": "date", "since_month": "2024-03",
         "comment": "Schaufenster <b>verklebt</b>"},
    )  # fmt: skip
    assert response.status_code == 303
    assert response.headers["Location"] == "/melden/danke?art=neu"
    report = session.scalar(select(VacancyReport))
    assert (report.street, report.house_number, report.kind, report.since) == (
        "Allee", "12a", "gastro", "date"
    )  # fmt: skip
    assert report.since_month.isoformat() == "2024-03-01"
    assert report.comment == "Schaufenster <b>verklebt</b>"
    assert (report.status, report.email, report.photo_key, report.confirmations) == (
        "new", None, None, 0
    )  # fmt: skip
    off = session.scalar(
        select(func.ST_Distance(func.geography(VacancyReport.location),
                                func.geography(func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326))))
    )  # fmt: skip
    assert off < 1.0
    thanks = client.get("/melden/danke?art=neu").get_data(as_text=True)
    assert "Danke für Ihre Meldung!" in thanks


def test_this_is_the_unit_points_the_report_at_it(session, base, client):
    unit = public_unit(session, base)
    lon, lat = north_of(UNIT_LONLAT, 30)
    response = send_report(
        client, {"lon": f"{lon:.6f}", "lat": f"{lat:.6f}", "same_as": f"unit:{unit.id}"}
    )
    assert response.status_code == 303
    assert session.scalar(select(VacancyReport.suggested_unit_id)) == unit.id


def test_a_unit_70_m_away_cannot_be_chosen(session, base, client):
    unit = public_unit(session, base)
    lon, lat = north_of(UNIT_LONLAT, 70)
    response = send_report(
        client, {"lon": f"{lon:.6f}", "lat": f"{lat:.6f}", "same_as": f"unit:{unit.id}"}
    )
    assert response.status_code == 422
    assert "Der gewählte Ort liegt nicht (mehr) im Umkreis von 50 m." in response.get_data(
        as_text=True
    )
    assert _count(session) == 0


def test_this_is_the_open_report_counts_a_confirmation(session, base, client):
    send_report(client, {"lon": "11.2265", "lat": "51.7192", "street": "Allee"})
    first_id = session.scalar(select(VacancyReport.id))
    response = send_report(
        client,
        {"lon": "11.2266", "lat": "51.7192", "same_as": f"report:{first_id}", "comment": "x"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/melden/danke?art=bestaetigt"
    assert _count(session) == 1
    assert session.scalar(select(VacancyReport.confirmations)) == 1


def test_the_honeypot_stores_nothing_and_looks_like_success(session, client):
    response = send_report(
        client, {"lon": "11.2265", "lat": "51.7192", "website": "http://spam.example"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/melden/danke?art=neu"
    assert _count(session) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"lon": "", "lat": "", "street": ""},
         "Bitte den Ort auf der Karte setzen oder die Straße angeben"),
        ({"lon": "11.05", "lat": "51.80"}, "Der Ort liegt außerhalb von Ballenstedt."),
        ({"lon": "11.2265", "lat": "51.7192", "kind": "castle"},
         "Bitte bei „Art des Raums“ einen Wert aus der Liste wählen."),
        ({"lon": "11.2265", "lat": "51.7192", "since": "date"},
         "Bitte bei „Leer seit“ den Monat angeben (MM/JJJJ) oder „weiß nicht“ wählen."),
        ({"lon": "11.2265", "lat": "51.7192", "since": "date", "since_month": "13/2024"},
         "Den Monat 13 gibt es nicht (1 bis 12)."),
        ({"lon": "11.2265", "lat": "51.7192", "email": "keine-adresse"},
         "Bitte eine gültige E-Mail-Adresse angeben (z. B. name@example.org) oder das Feld"),
        ({"lon": "11.2265", "lat": "51.7192", "comment": "x" * 2001},
         "„Kommentar“ ist zu lang: höchstens 2.000 Zeichen (eingegeben: 2.001)."),
    ],
)  # fmt: skip
def test_bad_input_is_a_german_message_and_nothing_is_written(session, client, data, message):
    response = send_report(client, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(session) == 0


def test_without_javascript_the_address_of_a_known_building_places_the_report(
    session, base, client
):
    public_unit(session, base)
    send_report(client, {"street": "allee", "house_number": "41"})
    known = session.scalar(select(func.ST_AsText(VacancyReport.location)))
    assert known == f"POINT({UNIT_LONLAT[0]} {UNIT_LONLAT[1]})"


def test_without_javascript_an_unknown_address_leaves_the_point_to_staff(session, client):
    response = send_report(client, {"street": "Unbekannte Gasse", "house_number": "3"})
    assert response.status_code == 303
    report = session.scalar(select(VacancyReport))
    assert (report.street, report.location) == ("Unbekannte Gasse", None)


def test_the_form_page_and_the_map_button(client):
    page = client.get("/melden").get_data(as_text=True)
    assert 'name="website"' in page and 'enctype="multipart/form-data"' in page
    assert 'href="/melden"' in client.get("/").get_data(as_text=True)


def test_the_rate_limit_on_both_sides_of_its_limit(session, throwaway_app):
    app = throwaway_app(RATELIMIT_ENABLED=True, REPORT_RATE_LIMIT="3 per hour")
    client = app.test_client()
    codes = [
        send_report(client, {"lon": "11.2265", "lat": "51.7192"}).status_code for _ in range(4)
    ]
    assert codes == [303, 303, 303, 429]
    refused = send_report(client, {"lon": "11.2265", "lat": "51.7192"})
    assert "Zu viele Versuche." in refused.get_data(as_text=True)
    assert _count(session) == 3
    assert client.get("/melden").status_code == 200  # reading the form is not limited by it
