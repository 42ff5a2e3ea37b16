"""The import wizard through the Flask test client: upload (with an unreadable file), columns,
values, dry run, commit, result; permissions (viewer 403, staff 403 when the town restricts
importing to admins, admin ok); another user's token 404; nothing written before the commit;
a failing commit writes nothing; the batch list and undo (admins only).

The jobs run inline here (``IMPORT_INLINE``): the test session joins one outer transaction,
which a second thread must not share. The thread itself is exercised by the browser test
(tests/browser/test_import_wizard.py)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from leerstand.models import Building, ImportBatch, Owner, Unit
from tests import factories as f
from tests.conftest import PASSWORD, csrf_token, login

# Allee 12 in Ballenstedt in ETRS89 / UTM 32N; the same point in WGS 84 is written out below.
CSV_TEXT = (
    "Straße;Hausnr.;Rechtswert;Hochwert;Art;Fläche m²;leer seit;Eigentümer\n"
    "Allee;12;654493,21;5732186,29;Ladenlokal;85,5;01.2023;Jürgen Müller\n"
)
EXPECTED_LON, EXPECTED_LAT = 11.2365999, 51.7193000  # pyproj, EPSG:25832 -> 4326, by hand


@pytest.fixture(autouse=True)
def inline_jobs(app, tmp_path):
    old = {key: app.config.get(key) for key in ("IMPORT_INLINE", "IMPORT_DIR")}
    app.config.update(IMPORT_INLINE=True, IMPORT_DIR=str(tmp_path / "imports"))
    yield
    app.config.update(old)


@pytest.fixture
def second_client(app, throwaway_app):
    """A client of a second app on the same import folder: its requests get their own app
    context (the main app's one is shared by the test's requests, and with it Flask-WTF's
    CSRF token in ``g``)."""
    return throwaway_app(IMPORT_INLINE=True, IMPORT_DIR=app.config["IMPORT_DIR"]).test_client()


def _counts(session) -> tuple[int, int, int, int]:
    return tuple(
        session.scalar(select(func.count()).select_from(model))
        for model in (Building, Unit, Owner, ImportBatch)
    )


def _upload(client, data: bytes, name: str = "leerstand.csv"):
    token = csrf_token(client.get("/verwaltung/import").get_data(as_text=True))
    from io import BytesIO

    return client.post(
        "/verwaltung/import",
        data={"csrf_token": token, "file": (BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _token(response) -> str:
    match = re.search(r"/verwaltung/import/([A-Za-z0-9_-]+)/spalten$", response.headers["Location"])
    assert match, response.headers.get("Location")
    return match.group(1)


def _selected(html: str, name: str) -> str | None:
    block = re.search(rf'<select name="{re.escape(name)}">(.*?)</select>', html, re.S)
    assert block, name
    chosen = re.search(r'<option value="([^"]*)" selected>', block.group(1))
    return chosen.group(1) if chosen else None


COLUMNS = {
    "col_street": "Straße",
    "col_house_number": "Hausnr.",
    "col_x": "Rechtswert",
    "col_y": "Hochwert",
    "col_kind": "Art",
    "col_area_m2": "Fläche m²",
    "col_vacant_since": "leer seit",
    "col_owner_name": "Eigentümer",
    "crs": "EPSG:25832",
    "create_owners": "1",
}


def _post(client, url: str, data: dict):
    page = client.get(url).get_data(as_text=True)
    return client.post(url, data={**data, "csrf_token": csrf_token(page)})


def _through_dry_run(client) -> str:
    token = _token(_upload(client, CSV_TEXT.encode("cp1252")))
    base = f"/verwaltung/import/{token}"
    assert _post(client, base + "/spalten", COLUMNS).status_code == 302
    values = client.get(base + "/werte").get_data(as_text=True)
    assert _post(client, base + "/werte", {"val_kind_0": "shop"}).status_code == 302
    assert "Ladenlokal" in values
    return token


def test_upload_page_shows_types_and_limit(staff_client):
    html = staff_client.get("/verwaltung/import").get_data(as_text=True)
    assert 'type="file"' in html and 'accept=".csv,.txt,.xlsx,.geojson,.json,.gpkg,.zip"' in html
    assert "Höchstens 50 MB" in html
    assert 'href="/verwaltung/import"' in html  # the navigation entry "Import"


def test_unreadable_file_gets_a_german_error_on_top(staff_client, session):
    response = _upload(staff_client, b"PK\x03\x04 kaputt \x00\x01", "liste.xlsx")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.index('class="errors"') < html.index('type="file"')


def test_no_file_chosen(staff_client):
    token = csrf_token(staff_client.get("/verwaltung/import").get_data(as_text=True))
    response = staff_client.post("/verwaltung/import", data={"csrf_token": token})
    assert response.status_code == 422
    assert "Bitte wählen Sie eine Datei aus." in response.get_data(as_text=True)


def test_columns_are_guessed_and_required_street_is_checked(staff_client):
    token = _token(_upload(staff_client, CSV_TEXT.encode("cp1252")))
    url = f"/verwaltung/import/{token}/spalten"
    html = staff_client.get(url).get_data(as_text=True)
    assert _selected(html, "col_street") == "Straße"
    assert _selected(html, "col_house_number") == "Hausnr."
    assert _selected(html, "col_x") == "Rechtswert"
    assert _selected(html, "col_area_m2") == "Fläche m²"
    assert (
        "Eigentümer:innen aus der Datei anlegen (Einwilligung: unbekannt, nie öffentlich)" in html
    )
    response = _post(staff_client, url, {**COLUMNS, "col_street": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Bitte ordnen Sie dem Feld „Straße“ eine Spalte zu." in html
    assert html.index('class="errors"') < html.index('name="col_street"')


def test_values_are_guessed(staff_client):
    token = _token(_upload(staff_client, CSV_TEXT.encode("cp1252")))
    base = f"/verwaltung/import/{token}"
    _post(staff_client, base + "/spalten", COLUMNS)
    html = staff_client.get(base + "/werte").get_data(as_text=True)
    assert "„Ladenlokal“" in html
    assert _selected(html, "val_kind_0") == "shop"


def test_wizard_writes_nothing_before_the_commit(staff_client, session):
    before = _counts(session)
    token = _through_dry_run(staff_client)
    assert _counts(session) == before
    wait = staff_client.get(f"/verwaltung/import/{token}/laeuft").get_data(as_text=True)
    assert 'max="1" value="1"' in wait  # the job has ended: a full bar
    html = staff_client.get(f"/verwaltung/import/{token}/probelauf").get_data(as_text=True)
    assert 'data-count="create">1<' in html and 'data-count="skip">0<' in html
    assert "Allee 12" in html
    assert _counts(session) == before
    status = staff_client.get(f"/verwaltung/import/{token}/status").get_json()
    expected = {"kind": "plan", "state": "done", "done": 1, "total": 1, "waiting": False}
    assert status == {**expected, "error": None}


def test_commit_creates_the_building_once(staff_client, session, base):
    before = _counts(session)
    token = _through_dry_run(staff_client)
    base_url = f"/verwaltung/import/{token}"
    response = _post(staff_client, base_url + "/uebernehmen", {})
    assert response.headers["Location"].endswith(base_url + "/laeuft")
    html = staff_client.get(base_url + "/ergebnis").get_data(as_text=True)
    assert "Import übernommen" in html and 'data-count="create">1<' in html
    assert _counts(session) == (before[0] + 1, before[1] + 1, before[2] + 1, before[3] + 1)
    building = session.scalars(select(Building).where(Building.street == "Allee")).one()
    lon, lat = session.execute(
        select(func.ST_X(Building.location), func.ST_Y(Building.location)).where(
            Building.id == building.id
        )
    ).one()
    assert abs(lon - EXPECTED_LON) < 0.000007 and abs(lat - EXPECTED_LAT) < 0.0000045  # < 0.5 m
    assert building.house_number == "12" and building.municipality_id == base.municipality.id
    again = _post(staff_client, base_url + "/uebernehmen", {})
    page = staff_client.get(again.headers["Location"]).get_data(as_text=True)
    assert "bereits übernommen" in page
    assert _counts(session)[0] == before[0] + 1


def test_failing_commit_writes_nothing_and_says_so(staff_client, session):
    session.execute(
        text(
            "CREATE FUNCTION test_refuse_building() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'kaputt'; END $$;"
            "CREATE TRIGGER test_refuse_building BEFORE INSERT ON unit "
            "FOR EACH ROW EXECUTE FUNCTION test_refuse_building()"
        )
    )
    session.commit()
    before = _counts(session)
    token = _through_dry_run(staff_client)
    base_url = f"/verwaltung/import/{token}"
    _post(staff_client, base_url + "/uebernehmen", {})
    html = staff_client.get(base_url + "/ergebnis").get_data(as_text=True)
    assert "unerwarteter Fehler" in html and "Es wurde nichts ins Register geschrieben." in html
    assert html.index('class="errors"') < html.index("Zurück zum Probelauf")
    assert _counts(session) == before
    status = staff_client.get(base_url + "/status").get_json()
    assert status["state"] == "failed"


def test_viewer_may_not_import(viewer_client):
    assert viewer_client.get("/verwaltung/import").status_code == 403
    assert viewer_client.get("/verwaltung/import/laeufe").status_code == 403
    assert 'href="/verwaltung/import"' not in viewer_client.get("/verwaltung/").get_data(
        as_text=True
    )


def test_import_role_admin_keeps_staff_out(client, session, base):
    base.municipality.import_role = "admin"
    session.commit()
    login(client, base.staff.email)
    assert client.get("/verwaltung/import").status_code == 403
    assert 'href="/verwaltung/import"' not in client.get("/verwaltung/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/verwaltung/").text)})
    login(client, base.admin.email)
    assert client.get("/verwaltung/import").status_code == 200


def test_another_users_token_is_404(second_client, staff_client, base):
    token = _token(_upload(staff_client, CSV_TEXT.encode("cp1252")))
    other = second_client
    login(other, base.admin.email, PASSWORD)
    for path in ("spalten", "werte", "probelauf", "status", "laeuft", "ergebnis"):
        assert other.get(f"/verwaltung/import/{token}/{path}").status_code == 404, path
    assert other.get("/verwaltung/import/nichtda-nichtda-nichtda/spalten").status_code == 404
    assert staff_client.get(f"/verwaltung/import/{token}/spalten").status_code == 200


def test_batches_and_undo_for_admins_only(second_client, staff_client, session, base):
    token = _through_dry_run(staff_client)
    _post(staff_client, f"/verwaltung/import/{token}/uebernehmen", {})
    batch_id = session.scalars(select(ImportBatch.id)).one()
    html = staff_client.get("/verwaltung/import/laeufe").get_data(as_text=True)
    assert "leerstand.csv" in html and "Test Staff" in html
    assert "Rückgängig machen" not in html
    undo_url = f"/verwaltung/import/laeufe/{batch_id}/rueckgaengig"
    assert staff_client.get(undo_url).status_code == 403
    page_token = csrf_token(html)
    assert staff_client.post(undo_url, data={"csrf_token": page_token}).status_code == 403
    admin = second_client
    login(admin, base.admin.email)
    assert "Rückgängig machen" in admin.get("/verwaltung/import/laeufe").get_data(as_text=True)
    assert admin.post(undo_url, data={}).status_code == 400  # no CSRF token
    response = _post(admin, undo_url, {})
    assert response.status_code == 302
    listing = admin.get("/verwaltung/import/laeufe").get_data(as_text=True)
    assert "Der Importlauf ist rückgängig gemacht." in listing
    assert session.scalar(select(func.count()).select_from(Building)) == 0
    assert session.get(ImportBatch, batch_id, populate_existing=True).undone_at is not None
    again = _post(admin, undo_url, {})
    assert again.status_code == 302
    assert 'class="flash flash-error"' in admin.get("/verwaltung/import/laeufe").get_data(
        as_text=True
    )


def test_batch_of_another_town_is_404(second_client, staff_client, session, base):
    other_id, admin_email = base.other_municipality.id, base.admin.email
    token = _through_dry_run(staff_client)
    _post(staff_client, f"/verwaltung/import/{token}/uebernehmen", {})
    batch = session.scalars(select(ImportBatch)).one()
    batch.municipality_id = other_id
    session.commit()
    admin = second_client
    login(admin, admin_email)
    assert admin.get(f"/verwaltung/import/laeufe/{batch.id}/rueckgaengig").status_code == 404


PROBLEM_CSV = CSV_TEXT + (
    "Weit weg;1;500000,00;5900000,00;Ladenlokal;10,0;2023;\n"
    "Allee;14;654520,00;5732190,00;Ladenlokal;-5,0;2023;\n"
)


def test_dry_run_lists_problem_rows_first_with_line_numbers(staff_client, session):
    before = _counts(session)
    token = _token(_upload(staff_client, PROBLEM_CSV.encode("cp1252")))
    base_url = f"/verwaltung/import/{token}"
    _post(staff_client, base_url + "/spalten", COLUMNS)
    _post(staff_client, base_url + "/werte", {"val_kind_0": "shop"})
    html = staff_client.get(base_url + "/probelauf").get_data(as_text=True)
    assert 'data-count="create">1<' in html and 'data-count="skip">2<' in html
    lines = re.findall(r'<tr class="action-(\w+)">\s*<td class="num">(\d+)</td>', html)
    assert lines == [("skip", "3"), ("skip", "4"), ("create", "2")]
    assert "3 Zeilen, davon 2 mit Problemen (zuerst)." in html
    assert _counts(session) == before


def test_undo_refused_shows_the_reason_on_top(second_client, staff_client, session, base):
    admin_email = base.admin.email
    token = _through_dry_run(staff_client)
    _post(staff_client, f"/verwaltung/import/{token}/uebernehmen", {})
    batch_id = session.scalars(select(ImportBatch.id)).one()
    building = session.scalars(select(Building)).one()
    owner = session.scalars(select(Owner)).one()
    f.contact_case(session, building, owner)
    session.commit()
    login(second_client, admin_email)
    response = _post(second_client, f"/verwaltung/import/laeufe/{batch_id}/rueckgaengig", {})
    assert response.status_code == 302
    html = second_client.get("/verwaltung/import/laeufe").get_data(as_text=True)
    assert 'class="flash flash-error"' in html and "Ansprachen" in html
    assert html.index("flash-error") < html.index("<h1>")
    assert session.scalar(select(func.count()).select_from(Building)) == 1


def test_too_large_file_is_named_on_the_upload_page(app, staff_client, session):
    limit = app.config["IMPORT_MAX_BYTES"]
    app.config["IMPORT_MAX_BYTES"] = 1024 * 1024
    try:
        response = _upload(staff_client, b"a;b\n" + b"1;2\n" * 270_000)  # 1.08 MB
        html = response.get_data(as_text=True)
        assert response.status_code == 413
        assert "Die Datei ist zu groß (höchstens 1 MB)." in html
        assert html.index('class="errors"') < html.index('type="file"')
        ok = _upload(staff_client, b"Stra\xdfe;Hausnr.\n" + b"Allee;1\n" * 1000)
        assert ok.status_code == 302
    finally:
        app.config["IMPORT_MAX_BYTES"] = limit


def test_import_upload_may_exceed_the_general_request_limit(app, staff_client, session):
    """MAX_CONTENT_LENGTH (2 MB) stays the limit of every other form; the import takes 3 MB."""
    assert app.config["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024
    rows = b"Schlossallee;123\n" * 190_000  # 3.2 MB, under the 200,000 rows of an import
    ok = _upload(staff_client, b"Stra\xdfe;Hausnr.\n" + rows)
    assert ok.status_code == 302
    other = staff_client.post("/passwort", data={"x": "y" * (3 * 1024 * 1024)})
    assert other.status_code == 413


def test_settings_cannot_change_after_the_commit(staff_client, session):
    token = _through_dry_run(staff_client)
    base_url = f"/verwaltung/import/{token}"
    _post(staff_client, base_url + "/uebernehmen", {})
    response = _post(staff_client, base_url + "/spalten", COLUMNS)
    assert response.headers["Location"].endswith(base_url + "/ergebnis")
    html = staff_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Diese Datei wurde bereits übernommen." in html and "Import übernommen" in html
    response = _post(staff_client, base_url + "/probelauf", {})
    assert response.headers["Location"].endswith(base_url + "/ergebnis")
    assert session.scalar(select(func.count()).select_from(ImportBatch)) == 1


def test_a_job_cut_off_by_a_restart_is_reported(app, staff_client):
    token = _through_dry_run(staff_client)
    status_file = Path(app.config["IMPORT_DIR"]) / token / "status.json"
    stale = {"kind": "commit", "state": "running", "done": 0, "total": 1, "error": None}
    status_file.write_text(json.dumps({**stale, "updated": time.time() - 16 * 60}))
    base_url = f"/verwaltung/import/{token}"
    assert staff_client.get(base_url + "/laeuft").headers["Location"].endswith("/ergebnis")
    html = staff_client.get(base_url + "/ergebnis").get_data(as_text=True)
    assert "Der Lauf wurde unterbrochen" in html
    assert "Es wurde nichts ins Register geschrieben." not in html
