"""New proposals waiting for moderation are announced: the count in the staff navigation and on the
start page, and the daily digest mail (``flask ideas-digest``, also run by ``flask
reminders``) to the town's staff address or, without one, its active admin and staff users;
each proposal is announced once (real SMTP on loopback)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, select

from leerstand.models import Municipality, Proposal, User
from leerstand.services.proposals import service as proposals
from tests import factories as f
from tests.smtp import body, links

SUBMITTED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def ident(obj) -> int:
    return inspect(obj).identity[0]


def _proposal(session, municipality, title: str, state="submitted", **kw) -> Proposal:
    ini = f.initiative(session, municipality, name=f"Verein {title}")
    return f.proposal(session, ini, title=title, state=state, submitted_at=SUBMITTED, **kw)


def _nav_text(html: str) -> str:
    found = re.search(r'href="/verwaltung/ideen-pruefen"[^>]*>([^<]*)</a>', html)
    assert found, "no moderation link in the navigation"
    return found.group(1)


def _digest(app):
    runner = app.test_cli_runner()
    with app.app_context():  # the test's own app context would win otherwise
        return runner.invoke(args=["ideas-digest"])


def _announced(session, proposal_id: int):
    stmt = select(Proposal.announced_at).where(Proposal.id == proposal_id)
    return session.scalar(stmt.execution_options(populate_existing=True))


# --- counts ---------------------------------------------------------------------------------


def test_navigation_and_start_page_count_waiting_proposals(staff_client, session, base):
    html = staff_client.get("/verwaltung/").get_data(as_text=True)
    assert _nav_text(html) == "Ideen prüfen"  # nothing waits: no number, no "(0)"
    assert "auf Prüfung" not in html

    municipality = session.get(Municipality, ident(base.municipality))
    _proposal(session, municipality, "Erste")
    _proposal(session, municipality, "Veröffentlichte", state="published")
    _proposal(session, session.get(Municipality, ident(base.other_municipality)), "Anderswo")
    session.commit()
    html = staff_client.get("/verwaltung/").get_data(as_text=True)
    assert _nav_text(html) == "Ideen prüfen (1)"
    assert "1 Idee wartet auf Prüfung." in html

    _proposal(session, municipality, "Zweite")
    session.commit()
    html = staff_client.get("/verwaltung/ansprache").get_data(as_text=True)
    assert _nav_text(html) == "Ideen prüfen (2)"
    home = staff_client.get("/verwaltung/").get_data(as_text=True)
    assert "2 Ideen warten auf Prüfung." in home


# --- the digest -----------------------------------------------------------------------------


def test_digest_mails_new_proposals_once_to_the_towns_address(mail_app, smtp_server, session, base):
    municipality = session.get(Municipality, ident(base.municipality))
    municipality.contact_email = "bauamt@ballenstedt.example"
    first = _proposal(session, municipality, "Repair-Café")
    second = _proposal(session, municipality, "Galerie <b>")
    old = _proposal(session, municipality, "Schon gemeldet", announced_at=SUBMITTED)
    _proposal(session, municipality, "Veröffentlicht", state="published")
    session.commit()
    ids = [first.id, second.id]

    result = _digest(mail_app)
    assert result.exit_code == 0, result.output
    assert "Neue Ideen zur Prüfung gemeldet: 2." in result.output
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "bauamt@ballenstedt.example"
    assert message["Subject"] == "2 neue Ideen warten auf Prüfung"
    text = body(message)
    assert "„Repair-Café“ von Verein Repair-Café, eingereicht am 02.03.2026" in text
    assert "„Galerie <b>“" in text  # plain text: nothing escaped, nothing interpreted
    assert "Schon gemeldet" not in text and "Veröffentlicht" not in text
    assert "Insgesamt warten 3 Ideen auf Prüfung." in text
    assert f"http://localhost/verwaltung/ideen-pruefen/{first.id}" in links(message)
    assert all(_announced(session, pid) is not None for pid in ids)
    assert _announced(session, old.id) == SUBMITTED

    again = _digest(mail_app)
    assert "Neue Ideen zur Prüfung gemeldet: 0." in again.output
    assert len(smtp_server.messages) == 1  # nothing new: no mail


def test_digest_without_town_address_goes_to_active_admins_and_staff(
    mail_app, smtp_server, session, base
):
    municipality = session.get(Municipality, ident(base.municipality))
    assert municipality.contact_email is None
    retired = User(
        email="alt@test.example", role="staff", municipality_id=municipality.id, active=False
    )
    retired.set_password("x" * 12)
    session.add(retired)
    proposal = _proposal(session, municipality, "Nähstube")
    session.commit()

    result = _digest(mail_app)
    assert "gemeldet: 1." in result.output
    mails = smtp_server.wait_for(2)
    assert sorted(m["To"] for m in mails) == ["admin@test.example", "staff@test.example"]
    assert {m["Subject"] for m in mails} == {"1 neue Idee wartet auf Prüfung"}
    assert "eine neue Idee wartet darauf, geprüft zu werden" in body(mails[0])
    assert _announced(session, proposal.id) is not None


def test_each_town_gets_only_its_own_proposals(mail_app, smtp_server, session, base):
    here = session.get(Municipality, ident(base.municipality))
    there = session.get(Municipality, ident(base.other_municipality))
    here.contact_email, there.contact_email = "hier@example.org", "dort@example.org"
    _proposal(session, here, "Hier")
    _proposal(session, there, "Dort")
    session.commit()
    assert "gemeldet: 2." in _digest(mail_app).output
    mails = {m["To"]: body(m) for m in smtp_server.wait_for(2)}
    assert "„Hier“" in mails["hier@example.org"] and "Dort" not in mails["hier@example.org"]
    assert "„Dort“" in mails["dort@example.org"] and "Hier" not in mails["dort@example.org"]


def test_reminders_run_the_digest_too(mail_app, smtp_server, session, base):
    municipality = session.get(Municipality, ident(base.municipality))
    municipality.contact_email = "bauamt@ballenstedt.example"
    _proposal(session, municipality, "Werkstatt")
    session.commit()
    runner = mail_app.test_cli_runner()
    with mail_app.app_context():
        result = runner.invoke(args=["reminders"])
    assert "Neue Ideen zur Prüfung gemeldet: 1." in result.output
    assert [m["To"] for m in smtp_server.wait_for(1)] == ["bauamt@ballenstedt.example"]


def test_a_failed_mail_leaves_the_proposal_unannounced(throwaway_app, session, base):
    """SMTP unreachable: nothing is marked, so the next run announces the proposal."""
    from tests.smtp import free_port

    app = throwaway_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    municipality = session.get(Municipality, ident(base.municipality))
    municipality.contact_email = "bauamt@ballenstedt.example"
    proposal_id = _proposal(session, municipality, "Chor").id
    session.commit()
    assert "gemeldet: 0." in _digest(app).output
    assert _announced(session, proposal_id) is None


def test_submitting_again_after_a_rejection_is_announced_again(session, base):
    municipality = session.get(Municipality, ident(base.municipality))
    proposal = _proposal(
        session, municipality, "Neu eingereicht", state="rejected", announced_at=SUBMITTED
    )
    proposals.submit(session, proposal)
    assert proposal.state == "submitted" and proposal.announced_at is None
    assert proposal.submitted_at > SUBMITTED + timedelta(days=1)
