"""/metrics for Prometheus: request counts and durations by endpoint, mails sent and failed, the
database pool, the reminders due; only for the addresses in METRICS_ALLOW. /healthz says whether
the database's schema is at the code's newest migration."""

import re
import time

import pytest
from sqlalchemy import create_engine, text

from leerstand import mail
from tests.conftest import TEST_DATABASE_URL, make_app
from tests.integration.test_use_requests_reminders import requests_by_case  # noqa: F401
from tests.smtp import free_port


def value(page: str, name: str, labels: str = "") -> float:
    """The sample ``name{labels}`` of the exposition ``page`` (0 when not there yet)."""
    pattern = re.escape(name) + (r"\{" + re.escape(labels) + r"\}" if labels else "") + r" (\S+)"
    found = re.search(r"^" + pattern + "$", page, re.M)
    return float(found.group(1)) if found else 0.0


def scrape(client) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    return response.get_data(as_text=True)


INDEX = 'endpoint="public.index",method="GET",status="200"'


def test_requests_are_counted_by_endpoint_and_status(client):
    before = scrape(client)
    client.get("/")
    client.get("/")
    client.get("/gibt-es-nicht")
    after = scrape(client)
    assert (
        value(after, "leerstand_requests_total", INDEX)
        - value(before, "leerstand_requests_total", INDEX)
        == 2
    )
    missing = 'endpoint="unmatched",method="GET",status="404"'
    assert (
        value(after, "leerstand_requests_total", missing)
        - value(before, "leerstand_requests_total", missing)
        == 1
    )
    count = "leerstand_request_duration_seconds_count"
    assert (
        value(after, count, 'endpoint="public.index"')
        - value(before, count, 'endpoint="public.index"')
        == 2
    )
    assert value(after, "leerstand_db_pool_size") == 5  # DB_POOL_SIZE's default


def test_mails_sent_and_failed_are_counted(client, tmp_path):
    before = scrape(client)
    with make_app(MAIL_SERVER="", OUTBOX_DIR=str(tmp_path)).app_context():
        assert mail.send("ina@example.org", "Test", "Inhalt")
    with make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port()).app_context():
        assert mail.send("ina@example.org", "Test", "Inhalt") is False
    after = scrape(client)
    for result in ("sent", "failed"):
        labels = f'result="{result}"'
        assert (
            value(after, "leerstand_mails_total", labels)
            - value(before, "leerstand_mails_total", labels)
            == 1
        )


def test_reminders_due_are_counted_when_scraped(client, requests_by_case):  # noqa: F811
    # of the seven requests only "due" is due (e-mail, 15 days old, unanswered, not reminded)
    assert value(scrape(client), "leerstand_reminders_due") == 1


@pytest.mark.parametrize(
    ("allow", "address", "status"),
    [
        (None, "127.0.0.1", 200),
        (None, "203.0.113.9", 404),
        ("10.0.0.0/8", "10.1.2.3", 200),
        ("10.0.0.0/8", "11.0.0.1", 404),
        ("Unsinn, 10.0.0.0/8", "10.255.255.255", 200),  # a bad entry is skipped
        ("10.0.0.5", "10.0.0.5", 200),
        ("10.0.0.5", "10.0.0.6", 404),
        ("", "127.0.0.1", 404),  # nobody
    ],
)
def test_metrics_only_for_the_allowed_addresses(allow, address, status):
    overrides = {} if allow is None else {"METRICS_ALLOW": allow}
    client = make_app(**overrides).test_client()
    response = client.get("/metrics", environ_overrides={"REMOTE_ADDR": address})
    assert response.status_code == status
    if status == 404:
        assert "leerstand_requests_total" not in response.get_data(as_text=True)


def test_healthz_says_whether_the_schema_is_at_the_codes_newest_migration(client):
    body = client.get("/healthz").get_json()
    assert body["migration_at_head"] is True
    assert body["migration"] == body["migration_head"]
    engine = create_engine(TEST_DATABASE_URL)
    with engine.begin() as conn:
        current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    try:
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.get_json() | {"postgis": "-"} == {
            "status": "error", "database": "ok", "migration": "0001",
            "migration_head": current, "migration_at_head": False, "postgis": "-",
        }  # fmt: skip
    finally:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": current})
        engine.dispose()
    assert client.get("/healthz").status_code == 200


def test_the_last_successful_run_of_each_scheduled_command(app, client):
    runner = app.test_cli_runner()
    name = "leerstand_task_last_success_timestamp_seconds"
    assert value(scrape(client), name, 'task="retention"') == 0  # never ran
    assert runner.invoke(args=["retention", "--dry-run"]).exit_code == 0
    assert value(scrape(client), name, 'task="retention"') == 0  # a dry run is no run
    before = time.time()
    for command in ("reminders", "retention"):
        result = runner.invoke(args=[command])
        assert result.exit_code == 0, result.output
    page = scrape(client)
    for task in ("reminders", "retention"):
        assert before - 1 <= value(page, name, f'task="{task}"') <= time.time() + 1
