"""The messages of the public API and OGC API parameters, the import wizard (its dry-run
problems and a failed job, stored by a background job that does not know the visitor's
language), import undo, the exports and the town settings, in the English interface: each
bad input gets the exact English message, and nothing is written."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

from sqlalchemy import func, select

from leerstand.models import AuditEvent, Building, ImportBatch, Owner, Unit
from leerstand.vocab import UNIT_KINDS
from tests import factories as f
from tests.conftest import csrf_token, reload
from tests.integration.test_import_undo import do_import
from tests.integration.test_import_wizard import (  # noqa: F401 (fixtures)
    COLUMNS,
    CSV_TEXT,
    _counts,
    _post,
    _token,
    _upload,
    inline_jobs,
)


def english(client):
    client.get("/?lang=en")
    return client


def audit_count(session, **where) -> int:
    query = select(func.count()).select_from(AuditEvent)
    for key, value in where.items():
        query = query.where(getattr(AuditEvent, key) == value)
    return session.scalar(query)


def alert_texts(page: str) -> list[str]:
    """The texts of the page's error messages (flashes and form errors), unescaped."""
    found = re.findall(r'<p class="flash flash-error"[^>]*>(.*?)</p>', page, re.S)
    for block in re.findall(r'<div class="errors" role="alert"[^>]*>(.*?)</div>', page, re.S):
        found += re.findall(r"<p>(.*?)</p>", block, re.S)
    found += re.findall(r"<li>(.*?)</li>", page, re.S)
    return [htmllib.unescape(text.strip()) for text in found]


# --- public API and OGC API ---------------------------------------------------------------


def test_public_api_parameters_in_english(client, session):
    english(client)
    before = (_counts(session), audit_count(session))
    cases = {
        "area_min=abc": "Parameter “area_min”: “abc” is not a number.",
        "step_free=vielleicht": "Parameter “step_free”: expects 1 or 0, not “vielleicht”.",
        "bbox=200,0,201,1": "Parameter “bbox”: longitude 200 is not between -180 and 180.",
        "available_from=morgen": (
            "Parameter “available_from”: “morgen” is not a date in the format YYYY-MM-DD."
        ),
        "area_min=50&area_max=10": "Parameter “area_min” is greater than “area_max”.",
        "kind=palast": (
            f"Parameter “kind”: unknown kind “palast”. Allowed: {', '.join(UNIT_KINDS)}."
        ),
    }
    for query, message in cases.items():
        response = client.get(f"/api/units.geojson?{query}")
        assert response.status_code == 400, query
        assert response.get_json()["error"] == message, query
    response = client.get("/api/units.geojson?farbe=rot")
    assert response.get_json()["error"].startswith("Unknown parameter “farbe”. Allowed: ")
    assert (_counts(session), audit_count(session)) == before


def test_ogc_parameters_in_english(client, session):
    english(client)
    before = (_counts(session), audit_count(session))
    cases = {
        "datetime=2026-12-31/2026-01-01": "Parameter “datetime”: the start is after the end.",
        "datetime=..": (
            "Parameter “datetime”: “..” alone – expects a date or a period, e.g. 2026-12-01, "
            "2026-12-01T10:00:00Z, 2026-01-01/2026-12-31 or 2026-01-01/..."
        ),
        "f=pdf": "Parameter “f”: “pdf” does not exist. Allowed: json, html.",
        "bbox=1,2,3&bbox-crs=EPSG:25832": (
            "Parameter “bbox”: expects four numbers minX,minY,maxX,maxY (metres)."
        ),
    }
    for query, message in cases.items():
        response = client.get(
            f"/ogc/collections/units/items?{query}", headers={"Accept": "application/json"}
        )
        assert response.status_code == 400, query
        assert response.get_json()["description"] == message, query
    assert (_counts(session), audit_count(session)) == before


# --- import wizard, undo ----------------------------------------------------------------------

PROBLEM_ROWS = CSV_TEXT + (
    ";5;654520,00;5732190,00;Ladenlokal;10,0;2023;\n"  # no street
    "Markt;3;;;Ladenlokal;10,0;2023;\n"  # no coordinates
)


def test_dry_run_problems_in_english(staff_client, session):
    english(staff_client)
    before = _counts(session)
    token = _token(_upload(staff_client, PROBLEM_ROWS.encode("cp1252")))
    base_url = f"/verwaltung/import/{token}"
    _post(staff_client, base_url + "/spalten", COLUMNS)
    _post(staff_client, base_url + "/werte", {"val_kind_0": "shop"})
    page = staff_client.get(base_url + "/probelauf").get_data(as_text=True)
    problems = alert_texts(page)
    assert "The street is missing." in problems
    assert "No coordinates and no geometry." in problems
    assert "Die Straße fehlt." not in page
    assert _counts(session) == before


def test_failed_dry_run_job_is_shown_in_english(app, staff_client, session):
    """The job stores its message as msgid and parameters; the page and the status JSON show
    it in the language of whoever looks."""
    english(staff_client)
    before = _counts(session)
    token = _token(_upload(staff_client, CSV_TEXT.encode("cp1252")))
    base_url = f"/verwaltung/import/{token}"
    _post(staff_client, base_url + "/spalten", COLUMNS)
    (Path(app.config["IMPORT_DIR"]) / token / "upload").write_bytes(b"")  # the file got lost
    _post(staff_client, base_url + "/probelauf", {})
    page = staff_client.get(base_url + "/probelauf").get_data(as_text=True)
    assert "The file is empty." in alert_texts(page)
    status = staff_client.get(base_url + "/status").get_json()
    assert (status["state"], status["error"]) == ("failed", "The file is empty.")
    staff_client.get("/?lang=de")
    assert staff_client.get(base_url + "/status").get_json()["error"] == "Die Datei ist leer."
    assert _counts(session) == before


def test_undo_refusal_in_english(admin_client, session, base, tmp_path):
    batch = do_import(session, base, tmp_path)
    building = session.scalars(
        select(Building).where(Building.import_batch_id == batch.id).order_by(Building.id)
    ).first()
    owner = session.scalars(select(Owner).where(Owner.import_batch_id == batch.id)).one()
    units = session.scalars(select(Unit).where(Unit.import_batch_id == batch.id)).all()
    f.contact_case(session, building, owner)
    f.interim_use(session, units[0])
    session.commit()
    english(admin_client)
    before = _counts(session)
    url = f"/verwaltung/import/laeufe/{batch.id}/rueckgaengig"
    response = _post(admin_client, url, {})
    assert response.status_code == 302
    page = admin_client.get("/verwaltung/import/laeufe").get_data(as_text=True)
    assert (
        "The import cannot be undone because work has already been done with its data: "
        "1 owner contacts, 1 interim uses. Please edit these records individually."
    ) in alert_texts(page)
    assert _counts(session) == before
    assert reload(session, batch).undone_at is None
    assert session.scalar(select(func.count()).where(Unit.import_batch_id == batch.id)) == 3


# --- exports ------------------------------------------------------------------------------


def test_register_export_refusal_in_english(staff_client, session):
    english(staff_client)
    before = audit_count(session, action="export")
    response = staff_client.get("/verwaltung/register/export.gpkg?crs=9999&eigentuemer=1")
    assert response.status_code == 400
    assert (
        "Coordinate system “9999” is not offered; please choose EPSG:4326 or EPSG:25832."
        in alert_texts(response.get_data(as_text=True))
    )
    assert audit_count(session, action="export") == before


def test_report_export_refusals_in_english(staff_client, session):
    english(staff_client)
    before = audit_count(session, action="export")
    cases = {
        "/verwaltung/treffer/export.csv?status=toll": (
            "Filter “Status”: unknown value “toll”. Please choose a value from the list."
        ),
        "/verwaltung/anfragen/export.csv?state=bald&eigentuemer=1": (
            "Filter “Status”: unknown value “bald”. Please choose a value from the list."
        ),
        "/verwaltung/zwischennutzungen/export.csv?state=immer": (
            "Filter “Status”: unknown value “immer”. Please choose a value from the list."
        ),
    }
    for url, message in cases.items():
        response = staff_client.get(url)
        assert response.status_code == 400, url
        assert message in alert_texts(response.get_data(as_text=True)), url
    assert audit_count(session, action="export") == before


# --- town settings ------------------------------------------------------------------------

SETTINGS = "/verwaltung/einstellungen"
VALID = {
    "name": "Stadt Ballenstedt",
    "letterhead": "Stadt Ballenstedt · Rathausplatz 12 · 06493 Ballenstedt",
    "contact_person": "Frau Beispiel",
    "contact_phone": "039483 970-0",
    "contact_email": "leerstand@ballenstedt.example",
    "letter_signature": "Ihr Team Leerstand",
    "centre_lat": "",
    "centre_lon": "",
    "map_zoom": "15",
    "tile_url": "https://tiles.example.org/{z}/{x}/{y}.png",
    "tile_attribution": "© Beispielkacheln",
    "import_role": "admin",
}


def test_town_settings_refusals_in_english(admin_client, session, base):
    english(admin_client)
    town = reload(session, base.municipality)
    stored = (town.name, town.tile_attribution, town.map_centre, town.import_role)
    before = audit_count(session)
    cases = {
        "tile_attribution": (
            "<b>Kacheln</b>",
            "The map attribution is plain text: please do not use < or > (no HTML).",
        ),
        "centre_lat": (
            "51.7192",
            "Map centre: please enter latitude and longitude (or leave both empty).",
        ),
        "name": ("", "Please enter the name of the municipality."),
    }
    for key, (value, message) in cases.items():
        response = _post(admin_client, SETTINGS, {**VALID, key: value})
        assert response.status_code == 422, key
        assert alert_texts(response.get_data(as_text=True))[0] == message, key
    # the field's name is translated inside the forms' own message
    response = _post(admin_client, SETTINGS, {**VALID, "import_role": "alle"})
    assert response.status_code == 422
    assert "Import allowed for" in alert_texts(response.get_data(as_text=True))[0]
    town = reload(session, base.municipality)
    assert (town.name, town.tile_attribution, town.map_centre, town.import_role) == stored
    assert audit_count(session) == before


def test_legal_text_conflict_in_english(admin_client, session, base):
    english(admin_client)
    before = (reload(session, base.municipality).imprint_text, audit_count(session))
    url = "/verwaltung/einstellungen/texte"
    page = admin_client.get(url).get_data(as_text=True)
    response = admin_client.post(
        url,
        data={
            "csrf_token": csrf_token(page),
            "imprint": "Mein eigenes Impressum",
            "default_imprint": "1",
            "default_privacy": "1",
            "default_accessibility": "1",
        },
    )
    assert response.status_code == 422
    assert alert_texts(response.get_data(as_text=True))[0] == (
        "“Legal notice”: you have changed the text, but “Use default text” is ticked. Untick "
        "the box to save your text, or leave it ticked to use the default text."
    )
    assert (reload(session, base.municipality).imprint_text, audit_count(session)) == before


def test_audit_filter_messages_in_english(staff_client, session):
    english(staff_client)
    before = audit_count(session)
    page = staff_client.get("/verwaltung/protokoll?entity=unit&entity_id=abc").get_data(
        as_text=True
    )
    errors = alert_texts(page)
    assert any("Record no." in error and "abc" in error for error in errors), errors
    page = staff_client.get("/verwaltung/protokoll?date_from=31.12.2026&date_to=01.01.2026")
    assert "“Date to” must not be before “Date from”." in alert_texts(page.get_data(as_text=True))
    assert audit_count(session) == before
    assert session.scalar(select(func.count()).select_from(ImportBatch)) == 0
