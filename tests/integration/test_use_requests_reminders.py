"""Unanswered use requests: the staff list (``unanswered`` and its start-page partial) and
``use_request_reminders.remind_due``, which reissues and mails exactly the due e-mail reminders,
once, each committed right after its mail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import render_template
from sqlalchemy import select

from leerstand.db import db
from leerstand.models import ContactEvent, UseRequest
from leerstand.services.use_requests import mail as use_request_mail
from leerstand.services.use_requests import reminders as use_request_reminders
from leerstand.services.use_requests import send as service
from leerstand.services.use_requests.tokens import hash_secret
from tests.conftest import make_app
from tests.integration.use_requests_common import (
    REMINDER_DAYS,
    VALID_DAYS,
    issue,
    make_world,
    reload,
    row,
)
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
    found = service.unanswered(session, base.municipality.id, NOW, REMINDER_DAYS)
    assert {r.id for r in found} == _ids(requests_by_case, "due", "letter", "reminded")
    assert service.unanswered(session, base.other_municipality.id, NOW, REMINDER_DAYS) == []


def test_home_partial_lists_them(app, session, base, requests_by_case):
    found = service.unanswered(session, base.municipality.id, NOW, REMINDER_DAYS)
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


def _remind(now=NOW) -> int:
    return use_request_reminders.remind_due(
        db.session, now, VALID_DAYS, REMINDER_DAYS, db.session.commit
    )


def test_remind_due_sends_exactly_the_due_reminders_once(
    mail_app, session, smtp_server, requests_by_case, client
):
    world, due = requests_by_case["due"]
    untouched = {
        name: row(session, sent.request_id)
        for name, (_w, sent) in requests_by_case.items()
        if name != "due"
    }
    base_url = mail_app.config["BASE_URL"]
    mail_app.config["BASE_URL"] = "https://leerstand.example/"
    try:
        with mail_app.app_context():
            assert _remind() == 1
            (message,) = smtp_server.wait_for(1)
            assert _remind() == 0  # once only
    finally:
        mail_app.config["BASE_URL"] = base_url
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
        assert _remind() == 0
    assert row(session, due.request_id) == before
    assert client.get(f"/antwort/{due.secret}").status_code == 200


def test_a_mailed_reminder_link_is_committed_at_once(mail_app, session, base, smtp_server, client):
    """Whatever the caller does after the run (here: roll back), the link in the mail works."""
    world = make_world(session, base)
    (sent,) = issue(session, world, now=NOW - timedelta(days=15))
    with mail_app.app_context():
        assert _remind() == 1
        db.session.rollback()
    (message,) = smtp_server.wait_for(1)
    (link,) = [u for u in links(message) if "/antwort/" in u]
    assert client.get("/antwort/" + link.rsplit("/", 1)[1]).status_code == 200
    assert client.get(f"/antwort/{sent.secret}").status_code == 404


def test_one_failing_reminder_does_not_stop_or_undo_the_others(
    mail_app, session, base, smtp_server, requests_by_case, monkeypatch, client
):
    """Two due requests; the first one's mail raises: it is rolled back and logged, the
    second is still reminded and committed."""
    _world, due = requests_by_case["due"]
    other_world = make_world(session, base)
    (other,) = issue(session, other_world, now=NOW - timedelta(days=16))  # the older one
    real_send = use_request_mail.send_reminder_mail

    def send(req, secret):
        if req.id == other.request_id:
            raise RuntimeError("kaputt")
        return real_send(req, secret)

    monkeypatch.setattr(use_request_reminders, "send_reminder_mail", send)
    before = row(session, other.request_id)
    with mail_app.app_context():
        assert _remind() == 1
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == requests_by_case["due"][0].owner_email
    assert row(session, other.request_id) == before
    assert client.get(f"/antwort/{other.secret}").status_code == 200
    assert reload(session, UseRequest, due.request_id).reminder_sent_at is not None
