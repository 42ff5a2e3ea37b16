"""Retention (``flask retention``): the dry run lists exactly the due records, one day on each
side of every period; the real run anonymises or deletes exactly those, with one audit entry
per record, and a second run finds nothing."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from leerstand.models import AuditEvent, ContactEvent, Initiative, Owner, UseRequest
from leerstand.services.privacy import retention
from tests import factories
from tests.conftest import OUTBOX

DAY = timedelta(days=1)
NOW = datetime.now(UTC)


def _declined_case(session, base, days_ago: int):
    building = factories.building(session, base.municipality)
    owner = factories.owner(session, base.municipality)
    factories.ownership(session, building, owner)
    case = factories.contact_case(session, building, owner, state="declined")
    session.add(
        ContactEvent(
            case_id=case.id,
            occurred_on=(NOW - timedelta(days=days_ago)).date(),
            summary="Frau Muster lehnt ab, Tel. 0170 5550000",
            outcome="kein Interesse",
            from_state="contacted",
            to_state="declined",
        )
    )
    session.flush()
    return case


def _world(session, base):
    """Per rule one record just past the period and one just inside it."""
    years3, years5 = 3 * 365, 5 * 365
    w = {}
    w["owner_due"] = factories.owner(
        session, base.municipality, created_at=NOW - (years3 + 1) * DAY
    )
    w["owner_kept"] = factories.owner(
        session, base.municipality, created_at=NOW - (years3 - 1) * DAY
    )
    old_linked = factories.owner(session, base.municipality, created_at=NOW - (years3 + 9) * DAY)
    factories.ownership(session, factories.building(session, base.municipality), old_linked)
    w["case_due"] = _declined_case(session, base, years5 + 1)
    w["case_kept"] = _declined_case(session, base, years5 - 1)
    w["ini_due"] = factories.initiative(
        session, base.municipality, email_confirmed_at=None, created_at=NOW - 31 * DAY
    )
    w["ini_kept"] = factories.initiative(
        session, base.municipality, email_confirmed_at=None, created_at=NOW - 29 * DAY
    )
    world = factories.request_world(session, base.municipality)
    w["req_due"] = factories.use_request(
        session, world.match, world.owner, expires_at=NOW - 91 * DAY, sent_at=NOW - 130 * DAY
    )
    w["req_kept"] = factories.use_request(
        session, world.match, world.heir, expires_at=NOW - 89 * DAY, sent_at=NOW - 130 * DAY
    )
    session.flush()
    return w


def _mail(name: str, days_ago: int) -> str:
    path = os.path.join(OUTBOX, name)
    with open(path, "w") as handle:
        handle.write("To: a@example.org\nSubject: x\n\nHallo\n")
    stamp = time.time() - days_ago * 86400
    os.utime(path, (stamp, stamp))
    return path


def test_dry_run_lists_exactly_the_due_records(session, base):
    w = _world(session, base)
    old_mail, new_mail = _mail("h12-old.eml", 91), _mail("h12-new.eml", 89)
    due = retention.due_records(session, retention.Periods(), NOW, Path(OUTBOX))
    found = {(item.kind, item.id) for item in due}
    expected = {
        ("owner", w["owner_due"].id),
        ("declined_contact", w["case_due"].id),
        ("initiative", w["ini_due"].id),
        ("request_secret", w["req_due"].id),
        ("mail_copy", "h12-old.eml"),
    }
    assert found == expected  # the other mail copies of this run are younger
    assert ("mail_copy", "h12-new.eml") not in found
    os.remove(old_mail)
    os.remove(new_mail)


def test_cli_dry_run_changes_nothing_and_real_run_handles_exactly_those(app, session, base):
    w = _world(session, base)
    session.commit()
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"owner\t{w['owner_due'].id}\t" in dry.output
    assert f"owner\t{w['owner_kept'].id}\t" not in dry.output
    assert f"initiative\t{w['ini_due'].id}\t" in dry.output
    assert "Probelauf" in dry.output
    assert session.get(Owner, w["owner_due"].id, populate_existing=True).erased_at is None

    real = runner.invoke(args=["retention"])
    assert real.exit_code == 0, real.output
    assert session.get(Owner, w["owner_due"].id, populate_existing=True).name == "gelöscht"
    assert session.get(Owner, w["owner_kept"].id, populate_existing=True).erased_at is None
    due_event = session.scalar(select(ContactEvent).where(ContactEvent.case_id == w["case_due"].id))
    kept_event = session.scalar(
        select(ContactEvent).where(ContactEvent.case_id == w["case_kept"].id)
    )
    assert (due_event.summary, due_event.outcome, due_event.to_state) == (
        "gelöscht",
        "",
        "declined",
    )
    assert kept_event.summary == "Frau Muster lehnt ab, Tel. 0170 5550000"
    assert session.get(Initiative, w["ini_due"].id, populate_existing=True) is None
    assert session.get(Initiative, w["ini_kept"].id, populate_existing=True) is not None
    req_due = session.get(UseRequest, w["req_due"].id, populate_existing=True)
    req_kept = session.get(UseRequest, w["req_kept"].id, populate_existing=True)
    assert req_due.token_hash == f"retired-{req_due.id}"
    assert not req_kept.token_hash.startswith("retired-")
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.in_(("retention", "erased")))
    ).all()
    assert sorted(actions) == ["erased", "retention", "retention", "retention"]

    again = runner.invoke(args=["retention", "--dry-run"])
    assert "Fällig: 0" in again.output or "mail_copy" in again.output
    assert "owner\t" not in again.output and "initiative\t" not in again.output
