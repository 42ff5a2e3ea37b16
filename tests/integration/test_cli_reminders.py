"""``flask reminders`` (daily from cron) mails the owners of unanswered e-mail requests with a new
link and the initiative and staff before an interim use ends, each once; ``flask rematch``
recomputes the stored matches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from leerstand.dates import local_today
from leerstand.models import Match
from tests import factories as f
from tests.integration.use_requests_common import issue, make_world
from tests.smtp import links


def _due_world(session, base):
    world = make_world(session, base)
    issue(session, world, now=datetime.now(UTC) - timedelta(days=20), user=base.staff)
    ini = f.interim_initiative(session, base.municipality, email="ende@example.org")
    unit = f.unit(session, f.building(session, base.municipality), vacancy_state="interim_use")
    f.interim_use(
        session, unit, initiative_id=ini.id, created_by_id=base.staff.id,
        ends_on=local_today() + timedelta(days=5),
    )  # fmt: skip
    session.commit()
    return world


def test_reminders_command_sends_each_reminder_once(mail_app, smtp_server, session, base):
    world = _due_world(session, base)
    runner = mail_app.test_cli_runner()
    with mail_app.app_context():  # the test's own app context would win otherwise
        result = runner.invoke(args=["reminders"])
    assert result.exit_code == 0, result.output
    assert "1 an Eigentümer:innen" in result.output and "1 zu endenden" in result.output
    mails = smtp_server.wait_for(3)
    recipients = sorted(m["To"] for m in mails)
    assert recipients == sorted([world.owner_email, "ende@example.org", base.staff.email])
    (owner_mail,) = [m for m in mails if m["To"] == world.owner_email]
    assert any("/antwort/" in link for link in links(owner_mail))

    with mail_app.app_context():
        again = runner.invoke(args=["reminders"])
    assert "0 an Eigentümer:innen" in again.output and "0 zu endenden" in again.output
    assert len(smtp_server.messages) == 3


def test_rematch_command_stores_matches(app, session, base):
    world = make_world(session, base)
    session.execute(Match.__table__.delete().where(Match.id == world.match_id))
    session.commit()
    result = app.test_cli_runner().invoke(args=["rematch"])
    assert result.exit_code == 0, result.output
    assert "Treffer neu berechnet" in result.output
    units = session.scalars(select(Match.unit_id).where(Match.proposal_id == world.proposal_id))
    assert world.unit_id in set(units)
