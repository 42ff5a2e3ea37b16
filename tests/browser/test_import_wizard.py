"""In Chromium, with the jobs run by a real background worker (``flask worker`` in a process
of its own beside the live server): staff upload a CSV as Excel writes it
(Windows-1252 with umlauts, ";", decimal comma, EPSG:25832 columns), keep the guessed columns,
choose UTM 32N and the owners, keep the guessed values, watch the dry run and the commit run
to the end of the progress bar, and find the new building at the right place (and its unit
and owner) in the database. Screenshots of every step at 320 and 1280 px go to
/tmp/shots-h2/ (or LEERSTAND_SHOTS).

Without a browser, but with the real worker: a commit that fails in the database ends in a
German message on the page and writes nothing."""

from __future__ import annotations

import os
import re
import time
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from leerstand.db import db
from leerstand.models import Building, ImportBatch, Owner, Unit
from leerstand.services.imports import uploads
from tests.browser.conftest import browser_login
from tests.conftest import csrf_token, login
from tests.integration.jobs_world import clean, running_worker

SHOTS = Path(os.environ.get("LEERSTAND_SHOTS", "/tmp/shots-h2"))
GRID = 16  # 16 × 16 further buildings 25 m apart, so that the bar has something to count
ROWS = GRID * GRID + 1
ALLEE_X, ALLEE_Y = "654493,21", "5732186,29"  # Allee 12 in EPSG:25832
EXPECTED_LON, EXPECTED_LAT = 11.2365999, 51.7193000  # the same point in WGS 84 (by hand)


def _csv(path: Path) -> Path:
    lines = ["Straße;Hausnr.;Rechtswert;Hochwert;Art;Fläche m²;leer seit;Eigentümer"]
    lines.append(f"Allee;12;{ALLEE_X};{ALLEE_Y};Ladenlokal;85,5;01.2023;Jürgen Müller")
    for i in range(GRID * GRID):
        x, y = 654000 + 25 * (i % GRID), 5731700 + 25 * (i // GRID)
        lines.append(f"Große Gasse;{i + 1};{x},0;{y},0;Büro;40,0;2022;")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"import-{name}-{width}.png"), full_page=True)
        page.screenshot(path=str(SHOTS / f"import-{name}-{width}-top.png"))
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def import_server(live_server, tmp_path):
    """The live server and a worker that runs its jobs (one attempt: a failure is final)."""
    live_server.app.config["IMPORT_DIR"] = str(tmp_path / "imports")
    engine = live_server.app.extensions["leerstand_db"]
    clean(engine)
    with running_worker(max_attempts=1):
        yield live_server
    clean(engine)


def test_whole_wizard_in_chromium(import_server, page, browser, tmp_path):
    server = import_server
    statuses: list[dict] = []
    page.on(
        "response",
        lambda r: statuses.append(r.json()) if r.url.endswith("/status") and r.ok else None,
    )
    browser_login(page, server, "staff@test.example")
    page.click("#staff-user >> text=Import")
    _shot(page, "1-upload")
    broken = tmp_path / "kaputt.xlsx"
    broken.write_bytes(b"PK\x03\x04 keine Tabelle")
    page.set_input_files("input[name=file]", str(broken))
    page.click("text=Hochladen und weiter")
    assert page.locator(".errors").is_visible()
    _shot(page, "1b-upload-error")
    page.set_input_files("input[name=file]", str(_csv(tmp_path / "Leerstände 2024.csv")))
    page.click("text=Hochladen und weiter")
    page.wait_for_url(re.compile(r".*/spalten$"))
    assert page.input_value("select[name=col_street]") == "Straße"
    assert page.input_value("select[name=col_x]") == "Rechtswert"
    page.select_option("select[name=crs]", "EPSG:25832")
    page.check("input[name=create_owners]")
    _shot(page, "2-columns")
    page.click("text=Weiter: Werte zuordnen")
    page.wait_for_url(re.compile(r".*/werte$"))
    assert page.input_value("select[name=val_kind_1]") == "shop"  # words sorted: Büro, Ladenlokal
    _shot(page, "3-values")
    page.click("text=Weiter: Probelauf")
    page.wait_for_url(re.compile(r".*/probelauf$"), timeout=60_000)
    assert page.inner_text("[data-count=create]") == str(ROWS)
    assert page.inner_text("[data-count=skip]") == "0"
    assert "Seite 1 von 3" in page.content()  # 257 rows, 100 a page
    _shot(page, "4-dry-run")
    assert statuses[-1] == {
        "kind": "plan",
        "state": "done",
        "done": ROWS,
        "total": ROWS,
        "error": None,
        "waiting": False,
    }
    page.click(f"text={ROWS} Zeilen übernehmen")
    page.wait_for_url(re.compile(r".*/ergebnis$"), timeout=60_000)
    assert statuses[-1] == {
        "kind": "commit",
        "state": "done",
        "done": ROWS,
        "total": ROWS,
        "error": None,
        "waiting": False,
    }
    assert page.inner_text("[data-count=create]") == str(ROWS)
    _shot(page, "5-done")
    token = re.search(r"/import/([^/]+)/ergebnis$", page.url).group(1)
    _check_database(server.app)
    _no_script_pages(browser, server, token)
    page.click("text=Alle Importläufe")
    assert "Leerstände 2024.csv" in page.content()
    _shot(page, "6-batches")
    assert page.js_errors == []
    _undo_as_admin(browser, server)


def _undo_as_admin(browser, server) -> None:
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    browser_login(page, server, "admin@test.example")
    page.goto(f"{server.url}/verwaltung/import/laeufe")
    page.click("text=Rückgängig machen")
    _shot(page, "7-undo-confirm")
    page.click("text=Ja, rückgängig machen")
    page.wait_for_url(re.compile(r".*/import/laeufe$"))
    assert "Der Importlauf ist rückgängig gemacht." in page.content()
    _shot(page, "8-undone")
    with server.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Building)) == 0
        db.session.remove()
    context.close()


def _check_database(app) -> None:
    with app.app_context():
        session = db.session
        building = session.scalars(select(Building).where(Building.street == "Allee")).one()
        point = func.ST_SetSRID(func.ST_MakePoint(EXPECTED_LON, EXPECTED_LAT), 4326)
        distance = session.scalar(
            select(
                func.ST_Distance(func.Geography(Building.location), func.Geography(point))
            ).where(Building.id == building.id)
        )
        assert distance < 0.5
        unit = session.scalars(select(Unit).where(Unit.building_id == building.id)).one()
        assert (unit.kind, unit.area_m2) == ("shop", Decimal("85.5"))
        assert session.scalars(select(Owner.name)).all() == ["Jürgen Müller"]
        assert session.scalar(select(func.count()).select_from(Building)) == ROWS
        session.remove()


def _no_script_pages(browser, server, token: str) -> None:
    """Without JavaScript the progress page offers "Aktualisieren" (shown here for a job
    made to look running) and, once the job has ended, "Weiter"."""
    context = browser.new_context(locale="de-DE", java_script_enabled=False)
    page = context.new_page()
    browser_login(page, server, "staff@test.example")
    upload = uploads.load(
        Path(server.app.config["IMPORT_DIR"]), token, _staff_id(server.app), _muni_id(server.app)
    )
    saved = uploads.status(upload)
    uploads.write_status(upload, "commit", uploads.RUNNING, 120, ROWS)
    page.goto(f"{server.url}/verwaltung/import/{token}/laeuft")
    assert page.get_attribute("progress", "value") == "120"
    _shot(page, "4b-progress-no-js")
    page.click("text=Aktualisieren")
    assert page.url.endswith("/laeuft")
    uploads.write_status(upload, **saved)
    page.goto(f"{server.url}/verwaltung/import/{token}/laeuft")
    page.click("text=Weiter")
    assert page.url.endswith("/ergebnis")
    context.close()


def _staff_id(app) -> int:
    with app.app_context():
        from leerstand.models import User

        user_id = db.session.scalar(select(User.id).where(User.email == "staff@test.example"))
        db.session.remove()
        return user_id


def _muni_id(app) -> int:
    with app.app_context():
        from leerstand.models import User

        muni = db.session.scalar(
            select(User.municipality_id).where(User.email == "staff@test.example")
        )
        db.session.remove()
        return muni


def _wait(client, url: str) -> dict:
    for _ in range(200):
        status = client.get(url).get_json()
        if status["state"] != "running":
            return status
        time.sleep(0.1)
    raise AssertionError("the import job did not end")


def test_failure_in_the_worker_writes_nothing(import_server, tmp_path, page):
    app = import_server.app
    engine = app.extensions["leerstand_db"]
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE FUNCTION test_refuse_unit() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'kaputt'; END $$;"
                "CREATE TRIGGER test_refuse_unit BEFORE INSERT ON unit "
                "FOR EACH ROW EXECUTE FUNCTION test_refuse_unit()"
            )
        )
    try:
        client = app.test_client()
        login(client, "staff@test.example")
        form = client.get("/verwaltung/import").get_data(as_text=True)
        response = client.post(
            "/verwaltung/import",
            data={
                "csrf_token": csrf_token(form),
                "file": (_csv(tmp_path / "liste.csv").open("rb"), "liste.csv"),
            },
            content_type="multipart/form-data",
        )
        base = response.headers["Location"].rsplit("/", 1)[0]
        for step, data in (
            (
                "spalten",
                {
                    "col_street": "Straße",
                    "col_house_number": "Hausnr.",
                    "col_x": "Rechtswert",
                    "col_y": "Hochwert",
                    "crs": "EPSG:25832",
                },
            ),
            ("werte", {}),
        ):
            html = client.get(f"{base}/{step}").get_data(as_text=True)
            assert (
                client.post(
                    f"{base}/{step}", data={**data, "csrf_token": csrf_token(html)}
                ).status_code
                == 302
            )
        assert _wait(client, f"{base}/status")["state"] == "done"
        html = client.get(f"{base}/probelauf").get_data(as_text=True)
        client.post(f"{base}/uebernehmen", data={"csrf_token": csrf_token(html)})
        status = _wait(client, f"{base}/status")
        assert status["state"] == "failed"
        html = client.get(f"{base}/ergebnis").get_data(as_text=True)
        assert "Beim Import ist ein unerwarteter Fehler aufgetreten" in html
        assert "Es wurde nichts ins Register geschrieben." in html
        browser_login(page, import_server, "staff@test.example")
        page.goto(f"{import_server.url}{base}/ergebnis")
        assert page.locator(".errors").is_visible()
        _shot(page, "5b-commit-failed")
        with engine.connect() as conn:
            for model in (Building, Unit, ImportBatch):
                assert conn.scalar(select(func.count()).select_from(model)) == 0, model
    finally:
        with engine.begin() as conn:
            conn.execute(text("DROP TRIGGER test_refuse_unit ON unit"))
            conn.execute(text("DROP FUNCTION test_refuse_unit()"))
