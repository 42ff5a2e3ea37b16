"""Request ids and the log lines: one JSON line per request with the fields an operator needs,
and no secret (password, link token, answer code, query string, e-mail address) in any line."""

import json
import logging
import re

import pytest
from flask.logging import default_handler

from tests.conftest import PASSWORD, login, make_app, post_form

HEX_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def json_app(app):
    """An app with LOG_FORMAT=json; the process-wide "leerstand" logger is put back after."""
    logger = logging.getLogger("leerstand")
    saved = (list(logger.handlers), logger.propagate, logger.level)
    application = make_app(LOG_FORMAT="json")
    yield application
    logger.handlers[:], logger.propagate = saved[0], saved[1]
    logger.setLevel(saved[2])
    if default_handler not in logger.handlers and not saved[0]:
        logger.handlers[:] = []
    logging.getLogger("leerstand.request").setLevel(logging.WARNING)


def lines(captured: str) -> list[dict]:
    return [json.loads(line) for line in captured.splitlines() if line.startswith("{")]


def test_every_answer_carries_a_request_id(client):
    assert HEX_ID.fullmatch(client.get("/").headers["X-Request-ID"])
    first, second = client.get("/impressum"), client.get("/impressum")
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


@pytest.mark.parametrize(
    ("offered", "kept"),
    [
        ("proxy-4711_a.B", True),
        ("x" * 64, True),  # the longest kept
        ("x" * 65, False),  # one longer: replaced
        ("a b", False),
        ('<script>"', False),
        ("", False),
    ],
)
def test_the_proxys_request_id_is_kept_when_it_is_a_plain_token(client, offered, kept):
    answered = client.get("/", headers={"X-Request-ID": offered}).headers["X-Request-ID"]
    assert (answered == offered) is kept
    if not kept:
        assert HEX_ID.fullmatch(answered)


def test_an_error_page_shows_the_request_id_a_clerk_can_quote(client):
    response = client.get("/gibt-es-nicht", headers={"X-Request-ID": "clerk-quote-1"})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert 'Fehlernummer für Rückfragen: <code class="request-id">clerk-quote-1</code>' in page


def test_one_json_line_per_request_with_the_operators_fields(json_app, base, capsys):
    staff_id, role, town = base.staff.id, base.staff.role, base.municipality.id
    staff = json_app.test_client()
    login(staff, base.staff.email)
    capsys.readouterr()
    response = staff.get("/verwaltung/", headers={"X-Request-ID": "rid-staff-1"})
    assert response.status_code == 200
    found = [
        line for line in lines(capsys.readouterr().err) if line["logger"] == "leerstand.request"
    ]
    assert len(found) == 1
    line = found[0]
    assert {k: line[k] for k in ("level", "method", "path", "status", "request_id")} == {
        "level": "INFO", "method": "GET", "path": "/verwaltung/", "status": 200,
        "request_id": "rid-staff-1",
    }  # fmt: skip
    assert line["account"] == f"staff:{staff_id}"
    assert line["role"] == role
    assert line["municipality_id"] == town
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert "time" in line

    visitor = json_app.test_client()
    visitor.get("/impressum")
    anonymous = [x for x in lines(capsys.readouterr().err) if x["logger"] == "leerstand.request"]
    assert [(x["path"], x["account"], x["role"]) for x in anonymous] == [("/impressum", None, None)]


def test_no_secret_reaches_any_log_line(json_app, base, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    secrets = {
        "password": PASSWORD,
        "link token": "Geheimer-Link-Token-8f3a9c",
        "reset token": "Reset-Token-77b1e2",
        "answer code": "HARZ-GEHEIM-42",
        "query value": "query-secret-31337",
        "api token": "lst_api_token_secret_5521",
        "e-mail address": base.staff.email,
    }
    visitor = json_app.test_client()
    login(visitor, secrets["e-mail address"])  # the password in a form
    visitor.get("/logout")
    visitor.get(f"/antwort/{secrets['link token']}")
    visitor.get(f"/passwort-neu/{secrets['reset token']}")
    post_form(visitor, "/antwort", {"code": secrets["answer code"]})
    visitor.get(f"/?suche={secrets['query value']}")
    visitor.get("/api/units.geojson", headers={"Authorization": f"Bearer {secrets['api token']}"})
    stranger = json_app.test_client()  # not signed in: the reset mail is sent
    post_form(stranger, "/passwort-vergessen", {"email": secrets["e-mail address"]}).close()
    logged = capsys.readouterr().err + caplog.text
    assert "leerstand.request" in logged and "/antwort/***" in logged  # lines were written
    assert "…@test.example" in logged  # the mail was logged, by its domain only
    for what, secret in secrets.items():
        assert secret not in logged, what
