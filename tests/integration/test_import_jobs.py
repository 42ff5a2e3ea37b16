"""The import wizard's dry run and commit as jobs of a real background worker (procrastinate's,
in-process on the test database): queued in the request, waiting (and said so) until a worker
runs them, also after the app was restarted; listed under "Hintergrundaufgaben" with their
rows; a commit that runs a second time (its worker died after the commit, a retry) finds its
batch instead of importing twice; a commit whose worker died before it ended runs again and
imports once; an unexpected failure is retried, then reported, and writes nothing. Everything
is committed for real, so these tests clean up after themselves (``live``)."""

from __future__ import annotations

from sqlalchemy import func, select, text

from leerstand.db import db
from leerstand.models import Building, ImportBatch
from leerstand.services.imports import uploads
from leerstand.services.jobs import queue
from tests.conftest import login, make_app
from tests.integration.jobs_world import job_state, work, worker_takes_a_job_and_dies
from tests.integration.test_import_wizard import COLUMNS, CSV_TEXT, _post, _token, _upload


def _client(app, tmp_path):
    app.config.update(IMPORT_INLINE=False, IMPORT_DIR=str(tmp_path / "imports"))
    client = app.test_client()
    login(client, "staff@test.example")
    return client


def _to_values(client) -> str:
    """Upload, columns and values: the last step queues the dry run; the upload's token."""
    token = _token(_upload(client, CSV_TEXT.encode("cp1252")))
    base = f"/verwaltung/import/{token}"
    assert _post(client, base + "/spalten", COLUMNS).status_code == 302
    assert _post(client, base + "/werte", {"val_kind_0": "shop"}).status_code == 302
    return token


def _counts(app) -> tuple[int, int]:
    with app.app_context():
        counts = tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Building, ImportBatch)
        )
        db.session.remove()
    return counts


def _status(client, token: str) -> dict:
    return client.get(f"/verwaltung/import/{token}/status").get_json()


def test_the_runs_wait_for_the_worker_and_survive_a_restart(live, tmp_path):
    client = _client(live, tmp_path)
    token = _to_values(client)
    waiting = _status(client, token)
    assert (waiting["kind"], waiting["state"], waiting["waiting"]) == ("plan", "running", True)
    page = client.get(f"/verwaltung/import/{token}/laeuft").get_data(as_text=True)
    assert "Der Lauf wartet, bis der Hintergrunddienst frei ist" in page
    assert "hidden>Der Lauf wartet" not in page
    assert job_state(live) == [("import_plan", "todo", 0, 0, None, None)]
    live.extensions["leerstand_db"].dispose()  # the app goes away; the job stays

    restarted = make_app(IMPORT_DIR=str(tmp_path / "imports"))
    try:
        work(restarted)
        assert job_state(restarted) == [("import_plan", "succeeded", 1, 1, 1, None)]
        assert _counts(restarted) == (0, 0)  # a dry run writes nothing
        client = _client(restarted, tmp_path)
        done = _status(client, token)
        assert (done["state"], done["done"], done["total"], done["waiting"]) == (
            "done",
            1,
            1,
            False,
        )
        base = f"/verwaltung/import/{token}"
        assert _post(client, base + "/uebernehmen", {}).status_code == 302
        assert _status(client, token)["waiting"] is True
        work(restarted)
        assert _counts(restarted) == (1, 1)
        with restarted.app_context():
            batch = db.session.scalars(select(ImportBatch)).one()
            assert batch.upload_token == token and batch.rows_created == 1
            db.session.remove()
        html = client.get(base + "/ergebnis").get_data(as_text=True)
        assert "Import übernommen" in html and 'data-count="create">1<' in html
        jobs = client.get("/verwaltung/hintergrundaufgaben").get_data(as_text=True)
        assert "Import: Probelauf" in jobs and "Import: Übernahme ins Register" in jobs
        assert "1 von 1 Zeilen" in jobs and "leerstand.csv" in jobs
    finally:
        restarted.extensions["leerstand_db"].dispose()


def _committed(live, tmp_path):
    client = _client(live, tmp_path)
    token = _to_values(client)
    work(live)
    _post(client, f"/verwaltung/import/{token}/uebernehmen", {})
    return client, token


def test_a_commit_run_a_second_time_finds_its_batch(live, tmp_path):
    client, token = _committed(live, tmp_path)
    work(live)
    user_id, town_id = _owner(live)
    upload = uploads.load(tmp_path / "imports", token, user_id, town_id)
    first = uploads.status(upload)
    assert first["state"] == "done" and _counts(live) == (1, 1)
    with live.app_context():  # the same job once more, as after a worker died past its commit
        queue.defer_import(db.session, "commit", upload, import_dir=str(tmp_path / "imports"),
                           municipality_id=town_id, user_id=user_id)  # fmt: skip
        db.session.commit()
        db.session.remove()
    work(live)
    assert _counts(live) == (1, 1)
    again = uploads.status(upload)
    assert again["state"] == "done" and again["batch_id"] == first["batch_id"]
    assert _status(client, token)["state"] == "done"


def test_a_commit_whose_worker_died_runs_again_and_imports_once(live, tmp_path):
    client, token = _committed(live, tmp_path)
    worker_takes_a_job_and_dies(live, queue.IMPORTS)
    running = _status(client, token)
    assert (running["state"], running["waiting"]) == ("running", False)  # the queue: "doing"
    work(live)
    assert _counts(live) == (1, 1)
    assert job_state(live)[-1][:2] == ("import_commit", "succeeded")
    assert _status(client, token)["state"] == "done"


def test_an_unexpected_failure_is_retried_then_reported_and_writes_nothing(live, tmp_path):
    client, token = _committed(live, tmp_path)
    with live.extensions["leerstand_db"].begin() as conn:
        conn.execute(
            text(
                "CREATE FUNCTION test_refuse_building() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'kaputt'; END $$;"
                "CREATE TRIGGER test_refuse_building BEFORE INSERT ON building "
                "FOR EACH ROW EXECUTE FUNCTION test_refuse_building()"
            )
        )
    try:
        work(live, max_attempts=2)
    finally:
        with live.extensions["leerstand_db"].begin() as conn:
            conn.execute(text("DROP TRIGGER test_refuse_building ON building"))
            conn.execute(text("DROP FUNCTION test_refuse_building()"))
    (task, status, attempts, *_rest, error) = job_state(live)[-1]
    assert (task, status, attempts) == ("import_commit", "failed", 2)
    assert "kaputt" in error
    failed = _status(client, token)
    assert failed["state"] == "failed" and "unerwarteter Fehler" in failed["error"]
    assert _counts(live) == (0, 0)
    assert not uploads.committed(uploads.load(tmp_path / "imports", token, *_owner(live)))


def _owner(app) -> tuple[int, int]:
    with app.app_context():
        row = db.session.execute(
            text("SELECT id, municipality_id FROM app_user WHERE email = 'staff@test.example'")
        ).one()
        db.session.remove()
    return row.id, row.municipality_id
