"""Unanswered use requests: the staff list (``unanswered`` and its start-page partial) and
``remind_unanswered``, which reissues and mails exactly the due e-mail reminders, once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import render_template
from sqlalchemy import select

from leerstand.db import db
from leerstand.models import ContactEvent, UseRequest
from leerstand.services import requests as service
from leerstand.services.requests_tokens import hash_secret
from tests.conftest import make_app
from tests.integration.use_requests_common import issue, make_world, reload, row
from tests.smtp import body, free_port, links

NOW = datetime.now(UTC)


@pytest.fixture
def requests_by_case(session, base):
    """name -> (world, Sent): requests in every situation that matters for reminders."""
    out = {}
    specs = {
        "due": ("email", 15, None),
        "fresh": ("email", 10, None),
        "letter": ("letter", 20, None),
        "answered": ("email", 20, "answered"),
        "revoked": ("email", 20, "revoked"),
        "reminded": ("email", 20, "reminded"),
        "expired": ("email", 31, None),
    }
    for name, (channel, days_ago, change) in specs.items():
        world = make_world(session, base)
        owner_id = world.owner_id if channel == "email" else world.heir_id
        (sent,) = issue(session, world, {owner_id: channel}, now=NOW - timedelta(days=days_ago))
        req = session.get(UseRequest, sent.request_id)
        if change == "answered":
            req.answer, req.answered_at = "no", NOW - timedelta(days=1)
        elif change == "revoked":
            req.revoked_at = NOW - timedelta(days=1)
        elif change == "reminded":
            req.reminder_sent_at = NOW - timedelta(days=6)
        session.commit()
        out[name] = (world, sent)
    return out


def _ids(requests, *names) -> set[int]:
    return {requests[name][1].request_id for name in names}


def test_unanswered_lists_open_requests_older_than_the_reminder_days(
    session, base, requests_by_case
):
    found = service.unanswered(session, base.municipality.id, NOW)
    assert {r.id for r in found} == _ids(requests_by_case, "due", "letter", "reminded")
    assert service.unanswered(session, base.other_municipality.id, NOW) == []


def test_home_partial_lists_them(app, session, base, requests_by_case):
    found = service.unanswered(session, base.municipality.id, NOW)
    with app.test_request_context("/verwaltung/"):
        html = render_template("staff/_home_requests.html", unanswered_requests=found)
    for name in ("due", "letter", "reminded"):
        world, sent = requests_by_case[name]
        assert f'href="/verwaltung/anfragen/{sent.request_id}"' in html
        assert (world.heir_name if name == "letter" else world.owner_name) in html
    assert "Brief: bitte nachfassen" in html
    assert requests_by_case["fresh"][0].owner_name not in html
    with app.test_request_context("/verwaltung/"):
        empty = render_template("staff/_home_requests.html", unanswered_requests=[])
    assert "Keine unbeantworteten Nutzungsanfragen" in empty


def test_remind_unanswered_sends_exactly_the_due_reminders_once(
    mail_app, session, smtp_server, requests_by_case, client
):
    world, due = requests_by_case["due"]
    untouched = {
        name: row(session, sent.request_id)
        for name, (_w, sent) in requests_by_case.items()
        if name != "due"
    }
    mail_app.config["BASE_URL"] = "https://leerstand.example/"
    try:
        with mail_app.app_context():
            assert service.remind_unanswered(db.session, NOW) == 1
            db.session.commit()
            (message,) = smtp_server.wait_for(1)
            assert service.remind_unanswered(db.session, NOW) == 0  # once only
    finally:
        mail_app.config["BASE_URL"] = "http://127.0.0.1:5000"
    assert len(smtp_server.messages) == 1
    assert message["To"] == world.owner_email
    assert message["Subject"].startswith("Erinnerung")
    text = body(message)
    assert "gilt nicht mehr" in text and "Galerie im Schaufenster" in text
    (link,) = [u for u in links(message) if "/antwort/" in u]
    assert link.startswith("https://leerstand.example/antwort/")
    new_secret = link.rsplit("/", 1)[1]
    req = reload(session, UseRequest, due.request_id)
    assert req.token_hash == hash_secret(new_secret)
    assert req.reminder_sent_at is not None and req.issue_count == 2
    assert req.expires_at > NOW + timedelta(days=29)
    assert client.get(f"/antwort/{due.secret}").status_code == 404
    assert client.get(f"/antwort/{new_secret}").status_code == 200
    events = session.scalars(
        select(ContactEvent).where(ContactEvent.case_id == req.case_id).order_by(ContactEvent.id)
    ).all()
    assert "Erinnerung" in events[-1].summary and events[-1].direction == "out"
    for name, before in untouched.items():
        assert row(session, before["id"]) == before, name


def test_a_failing_reminder_mail_leaves_the_request_as_it_was(session, requests_by_case, client):
    broken = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    _world, due = requests_by_case["due"]
    before = row(session, due.request_id)
    with broken.app_context():
        assert service.remind_unanswered(db.session, NOW) == 0
        db.session.commit()
    assert row(session, due.request_id) == before
    assert client.get(f"/antwort/{due.secret}").status_code == 200
