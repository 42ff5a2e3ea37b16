"""The owner's answer page as a page: field errors in a summary linked to their fields, the
town's letterhead on every owner page, natural wording for missing values (no dash
placeholders), and the secret masked in logs (the app's filter and the gunicorn logger)."""

from __future__ import annotations

import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import date
from decimal import Decimal

import pytest

from leerstand.log_masking import mask
from leerstand.models import Proposal
from tests.conftest import TEST_DATABASE_URL, csrf_token
from tests.integration.use_requests_common import (
    answer,
    counts,
    row,
    sent_fixture,  # noqa: F401 (the fixture "sent")
    world_fixture,  # noqa: F401 (the fixture "world")
)

LETTERHEAD = ("Stadt Ballenstedt", "Der Bürgermeister", "Rathausplatz 12, 06493 Ballenstedt")
DASHES = re.compile(r"<dd[^>]*>\s*[–-]|[–-]\s*</dd>|– –|offen bis offen")


def _facts(html: str) -> str:
    return html[html.index("Die Idee") : html.index('<h2 id="antwort">')]


# --- errors ------------------------------------------------------------------------------------


def test_errors_are_summarised_and_linked_to_their_fields(client, world, sent, session):
    request_id, _secret = sent
    before = row(session, request_id), counts(session)
    response = answer(
        client,
        sent[1],
        answer="yes_conditions",
        message=" ",
        available_from="2027-06-30",
        available_to="31.02.2027",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    summary = html[html.index("data-error-summary") - 60 : html.index("</ul>")]
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary and "autofocus" in summary
    assert "Bitte korrigieren Sie 2 Angaben:" in summary
    assert '<a href="#message">Bitte schreiben Sie uns Ihre Bedingungen.</a>' in summary
    assert (
        '<a href="#available_to">Verfügbar bis: „31.02.2027“ ist kein Datum. '
        "Bitte TT.MM.JJJJ eingeben.</a>" in summary
    )
    assert 'id="message" name="message" maxlength="4000" aria-invalid="true"' in html
    assert 'aria-describedby="message-error"' in html
    assert '<span class="field-error" id="message-error">' in html
    assert 'name="available_to" value="31.02.2027" aria-invalid="true"' in html
    assert 'name="available_from" value="2027-06-30">' in html  # valid: not marked
    assert html.index("data-error-summary") < html.index("<h1>")  # at the top of the page
    assert (row(session, request_id), counts(session)) == before


def test_missing_answer_links_to_the_first_choice(client, world, sent):
    html = answer(client, sent[1]).get_data(as_text=True)
    assert '<a href="#answer-yes">Bitte wählen Sie eine Antwort aus.</a>' in html
    assert 'id="answer-yes" name="answer" value="yes"' in html
    assert "Bitte korrigieren Sie 1 Angabe:" in html


def test_a_valid_answer_shows_no_summary(client, world, sent):
    opened = client.get(f"/antwort/{sent[1]}").get_data(as_text=True)
    assert "data-error-summary" not in opened and "aria-invalid" not in opened
    done = answer(client, sent[1], answer="yes", available_to="30.06.2099")
    assert done.status_code == 200 and "data-error-summary" not in done.get_data(as_text=True)


# --- wording -----------------------------------------------------------------------------------


def _set(session, world, **values) -> None:
    proposal = session.get(Proposal, world.proposal_id)
    for key, value in values.items():
        setattr(proposal, key, value)
    session.commit()


def test_proposal_without_dates_area_or_description_reads_naturally(client, world, sent, session):
    _set(
        session,
        world,
        time_from=None,
        time_to=None,
        frequency="",
        area_min=None,
        area_max=None,
        description="",
    )
    facts = _facts(client.get(f"/antwort/{sent[1]}").get_data(as_text=True))
    assert '<dd class="proposal-period">nach Absprache</dd>' in facts
    assert "Gesuchte Fläche" not in facts and "Beschreibung" not in facts
    assert not DASHES.search(facts), DASHES.search(facts)


@pytest.mark.parametrize(
    "values, period, area",
    [
        (
            {
                "time_from": date(2027, 3, 1),
                "time_to": None,
                "area_min": Decimal("60"),
                "area_max": None,
            },
            "ab 01.03.2027; donnerstags bis samstags",
            "mindestens 60,0 m²",
        ),
        (
            {"time_from": None, "time_to": date(2027, 6, 30), "area_min": None},
            "bis 30.06.2027; donnerstags bis samstags",
            "höchstens 120,0 m²",
        ),
        (
            {"time_from": date(2027, 3, 1), "time_to": date(2027, 6, 30)},
            "01.03.2027 bis 30.06.2027; donnerstags bis samstags",
            "60,0 m² bis 120,0 m²",
        ),
        (
            {"time_from": None, "time_to": None, "area_max": None, "area_min": Decimal("60")},
            "donnerstags bis samstags",
            "mindestens 60,0 m²",
        ),
    ],
)
def test_open_ends_are_words(client, world, sent, session, values, period, area):
    _set(session, world, **values)
    facts = _facts(client.get(f"/antwort/{sent[1]}").get_data(as_text=True))
    assert f'<dd class="proposal-period">{period}</dd>' in facts
    assert f'<dd class="proposal-area">{area}</dd>' in facts
    assert not DASHES.search(facts)


# --- letterhead --------------------------------------------------------------------------------


def test_owner_pages_carry_the_letterhead(client, world, sent, session):
    pages = {
        "code": client.get("/antwort"),
        "answer": client.get(f"/antwort/{sent[1]}"),
        "invalid": client.get("/antwort/nichts"),
    }
    pages["thanks"] = answer(client, sent[1], answer="no")
    for name, response in pages.items():
        html = response.get_data(as_text=True)
        head = html[html.index('<header class="owner-letterhead">') :]
        head = head[: head.index("</header>")]
        for line in LETTERHEAD:
            assert line in head, (name, line)
        assert "039483 123-45" in head and "leerstand@ballenstedt.example" in head, name
    assert "Maria Beispiel, Wirtschaftsförderung" in pages["thanks"].get_data(as_text=True)
    invalid = pages["invalid"].get_data(as_text=True)
    for hidden in ("Galerie", world.owner_name, "EG Ladenlokal", "Allee"):
        assert hidden not in invalid


def test_code_form_error_is_summarised(client, world):
    page = client.get("/antwort").get_data(as_text=True)
    assert "data-error-summary" not in page
    bad = client.post("/antwort", data={"csrf_token": csrf_token(page), "code": "123"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert '<a href="#code">Bitte geben Sie den Antwortcode' in html
    assert 'aria-invalid="true" aria-describedby="code-error"' in html


# --- logs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, masked",
    [
        (
            '127.0.0.1 - - "GET /antwort/Xy_9-aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abc'
            ' HTTP/1.1" 200',
            '127.0.0.1 - - "GET /antwort/*** HTTP/1.1" 200',
        ),
        ('"GET /antwort/ABCD-EFGH-JKMN?lang=en HTTP/1.1"', '"GET /antwort/***?lang=en HTTP/1.1"'),
        ('"POST /antwort/anfrage/17 HTTP/1.1" 200', '"POST /antwort/anfrage/17 HTTP/1.1" 200'),
        ('"GET /antwort HTTP/1.1" 200', '"GET /antwort HTTP/1.1" 200'),
        ('"GET /antwort/anfrageABCDEFGHJKMN HTTP/1.1"', '"GET /antwort/*** HTTP/1.1"'),
    ],
)
def test_mask(line, masked):
    assert mask(line) == masked


def test_app_logger_masks_the_token(app, caplog):
    caplog.set_level(logging.INFO)
    was_disabled, app.logger.disabled = app.logger.disabled, False
    try:
        app.logger.error("Exception on %s [%s]", "/antwort/SeCrEt-ToKeN_123", "GET")
    finally:
        app.logger.disabled = was_disabled
    (record,) = [r for r in caplog.records if r.name == app.logger.name]
    assert record.getMessage() == "Exception on /antwort/*** [GET]"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_access_log_masks_the_token(tmp_path):
    """A real gunicorn with ``--logger-class leerstand.gunicorn_logging.MaskingLogger``."""
    port, log = _free_port(), tmp_path / "access.log"
    env = dict(os.environ, DATABASE_URL=TEST_DATABASE_URL, LEERSTAND_ENV="development")
    gunicorn = [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(
        [
            *gunicorn,
            "--logger-class",
            "leerstand.gunicorn_logging.MaskingLogger",
            "--access-logfile",
            str(log),
            "leerstand:create_app()",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    secret = "Xy_9-aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abc"
    try:
        status = None
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/antwort/{secret}", timeout=5)
            except urllib.error.HTTPError as exc:
                status = exc.code
                break
            except OSError:
                time.sleep(0.1)
        assert status == 404
        for _ in range(50):
            if log.exists() and "/antwort/" in log.read_text():
                break
            time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(10)
    text = log.read_text()
    assert '"GET /antwort/*** HTTP/1.1" 404' in text, text
    assert secret not in text
