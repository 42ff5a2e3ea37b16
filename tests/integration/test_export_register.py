"""The register export as CSV for German Excel: read back with the csv module (utf-8-sig, ``;``);
exactly the filtered rows in the view's order; owner data only with the tick, then audited;
another municipality never; anonymous users and initiatives refused; bad filters a 400."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from leerstand.models import AuditEvent
from tests.initiatives import initiative, login_initiative
from tests.integration.export_world import FORMULA_NOTE, world

URL = "/verwaltung/register/export.csv"


@pytest.fixture
def data(session, base):
    return world(session, base)


def read_csv(response) -> list[dict]:
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    text = body.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def test_csv_is_german_excel(staff_client, data):
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert re.fullmatch(
        r'attachment; filename="leerstand-register-\d{4}-\d{2}-\d{2}\.csv"',
        response.headers["Content-Disposition"],
    )
    assert response.headers["Cache-Control"] == "private, no-store"
    rows = read_csv(response)
    shop = next(r for r in rows if r["Einheit"] == "EG Laden Größe")
    assert shop["Straße"] == "Allee"
    assert shop["Fläche m²"] == "120,5"
    assert shop["Miete €/Monat"] == "450,50"
    assert shop["leer seit"] == "01.03.2024"
    assert shop["Art"] == "Ladenlokal"
    assert shop["Leerstand"] == "leer"
    assert shop["Notizen Einheit (intern)"] == "'" + FORMULA_NOTE  # neutralised
    assert shop["Notizen Gebäude (intern)"] == "Dach undicht"
    assert shop["ebenerdig"] == "ja" and shop["Heizung"] == "nein"
    assert shop["Länge (WGS84)"] == "11,226500"
    assert shop["Rechtswert (EPSG:25832)"] == "653795,98"
    assert shop["Hochwert (EPSG:25832)"] == "5732153,83"
    empty = next(r for r in rows if r["Straße"] == "Mühlenweg")
    assert empty["Einheit"] == "" and empty["Einheit-Nr."] == "" and empty["ebenerdig"] == ""
    assert "Eigentümer:innen" not in rows[0]
    assert all(r["Straße"] != "Fremdstraße" for r in rows)


def test_csv_has_the_rows_of_the_view_in_its_order(staff_client, data):
    query = "sort=area&dir=desc"
    page = staff_client.get(f"/verwaltung/register?{query}").get_data(as_text=True)
    view_ids = re.findall(r'data-unit-id="(\d+)"', page)
    rows = read_csv(staff_client.get(f"{URL}?{query}"))
    unit_ids = [r["Einheit-Nr."] for r in rows if r["Einheit-Nr."]]
    assert unit_ids == view_ids == [str(u.id) for u in (data.hall, data.shop, data.flat)]
    assert [r["Straße"] for r in rows if not r["Einheit-Nr."]] == ["Mühlenweg"]


def test_a_filter_excludes_rows_on_both_sides(staff_client, data, base):
    rows = read_csv(staff_client.get(f"{URL}?district_id={base.districts['Badeborn'].id}"))
    assert [r["Einheit"] for r in rows] == ["Saal"]
    rows = read_csv(staff_client.get(f"{URL}?kind=shop"))
    assert [r["Einheit"] for r in rows] == ["EG Laden Größe"]  # no building without units
    rows = read_csv(staff_client.get(f"{URL}?q=mühlen"))
    assert [(r["Straße"], r["Einheit"]) for r in rows] == [("Mühlenweg", "")]


def _exports(session):
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == "export")))


def test_owner_data_only_with_the_tick_and_then_audited(staff_client, data, session, base):
    plain = read_csv(staff_client.get(URL))
    assert "Jürgen" not in str(plain) and "39483" not in str(plain)
    assert _exports(session) == []
    rows = read_csv(staff_client.get(f"{URL}?eigentuemer=1&district_id={data.allee.district_id}"))
    shop = next(r for r in rows if r["Einheit"] == "EG Laden Größe")
    assert shop["Eigentümer:innen"] == "Jürgen Weiß (Eigentümer:in)"
    assert shop["Telefon Eigentümer:innen"] == "'+49 39483 1234"  # neutralised
    assert shop["E-Mail Eigentümer:innen"] == "juergen@example.org"
    assert shop["Anschrift Eigentümer:innen"] == "Musterweg 1, 06493 Ballenstedt"
    (event,) = _exports(session)
    assert event.user_id == base.staff.id and event.entity == "app_user"
    assert event.changes == {
        "export": [None, "Register CSV"],
        "filter": [None, "Ortsteil Ballenstedt"],
        "rows": [None, 2],
        "owner_ids": [None, [data.owner.id]],
    }
    page = staff_client.get("/verwaltung/protokoll").get_data(as_text=True)
    assert "Test Staff exportierte Daten mit Eigentümerdaten" in page
    assert "Zeilen: 2" in page and f"Eigentümer:innen (Nr.): {data.owner.id}" in page


def test_viewer_may_export_owner_data_today_and_the_rule_can_narrow_it(
    viewer_client, data, monkeypatch
):
    assert viewer_client.get(f"{URL}?eigentuemer=1").status_code == 200
    monkeypatch.setattr("leerstand.vocab.OWNER_DATA_ROLES", frozenset({"admin"}))
    response = viewer_client.get(f"{URL}?eigentuemer=1")
    assert response.status_code == 400
    assert "Ihre Rolle darf keine Eigentümerdaten exportieren" in response.get_data(as_text=True)
    assert viewer_client.get(URL).status_code == 200


def test_another_municipality_sees_only_its_own(client, data, base):
    from tests.conftest import login

    login(client, base.stranger.email)
    rows = read_csv(client.get(f"{URL}?eigentuemer=1"))
    assert [r["Straße"] for r in rows] == ["Fremdstraße"]
    assert rows[0]["Eigentümer:innen"] == ""


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("vacant_months=abc", "leer seit mehr als … Monaten"),
        ("kind=palast", "unbekannter Wert „palast“"),
        ("sort=preis", "Unbekannte Sortierung „preis“"),
    ],
)
def test_bad_filter_is_a_400_with_the_register_message(staff_client, data, query, message):
    response = staff_client.get(f"{URL}?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and "Export nicht möglich" in html


def test_unknown_format_is_404(staff_client):
    assert staff_client.get("/verwaltung/register/export.pdf").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        URL,
        "/verwaltung/register/export.xlsx",
        "/verwaltung/register/export.gpkg",
        "/verwaltung/treffer/export.csv",
        "/verwaltung/anfragen/export.csv",
        "/verwaltung/zwischennutzungen/export.csv",
    ],
)
def test_anonymous_and_initiatives_are_refused(client, session, base, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    group = initiative(session, base.municipality)
    login_initiative(client, group.email)
    assert client.get(url).status_code == 403
