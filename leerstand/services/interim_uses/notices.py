"""Mails about interim uses: the initiative's notice when one is recorded, and the reminders
before the agreed end (``remind_ending``, run by ``flask reminders``). Mails are plain text and
rendered without Babel, since the reminders run outside a request; links come from BASE_URL."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from leerstand import mail
from leerstand.dates import day
from leerstand.links import absolute_url
from leerstand.models import InterimUse
from leerstand.services.use_requests.mail import staff_address

log = logging.getLogger(__name__)


def _proposal_link(use: InterimUse) -> str | None:
    if use.proposal_id is None:
        return None
    return absolute_url("initiative.proposal_view", proposal_id=use.proposal_id)


def notify_recorded(use: InterimUse) -> bool:
    """Mail the initiative that the interim use is recorded, with its dates and terms."""
    if use.initiative is None:
        return True
    return mail.send_template(
        use.initiative.email,
        f"Zwischennutzung vereinbart: {use.unit.building.address}",
        "interim_recorded.txt",
        use=use,
        day=day,
        link=_proposal_link(use),
    )


def _send_reminders(use: InterimUse) -> int:
    sent = 0
    subject = f"Zwischennutzung endet am {day(use.ends_on)}: {use.unit.building.address}"
    if use.initiative is not None:
        sent += mail.send_template(
            use.initiative.email, subject, "interim_end_initiative.txt", use=use, day=day,
            link=_proposal_link(use),
        )  # fmt: skip
    staff = staff_address(use)
    if staff:
        link = absolute_url("staff.interim_use", interim_id=use.id)
        sent += mail.send_template(
            staff, subject, "interim_end_staff.txt", use=use, day=day, link=link
        )
    return sent


def _due(today: date, days: int):
    until = today + timedelta(days=days)
    return (
        InterimUse.outcome.is_(None),
        InterimUse.end_reminder_sent_at.is_(None),
        InterimUse.ends_on >= today,
        InterimUse.ends_on <= until,
    )


def _remind(session: Session, use_id: int, today: date, days: int) -> bool:
    """Lock one due interim use (SKIP LOCKED: another run has it) and send its reminders."""
    stmt = (
        select(InterimUse)
        .where(InterimUse.id == use_id, *_due(today, days))
        .with_for_update(skip_locked=True, of=InterimUse)
        .execution_options(populate_existing=True)
    )
    use = session.scalars(stmt).first()
    if use is None or not _send_reminders(use):
        return False
    # A table UPDATE: the version stays, so open edit forms are not made stale.
    session.execute(
        update(InterimUse.__table__)
        .where(InterimUse.__table__.c.id == use.id)
        .values(end_reminder_sent_at=datetime.now(UTC))
    )
    session.expire(use, ["end_reminder_sent_at"])
    return True


def remind_ending(session: Session, today: date, days: int, commit: Callable[[], None]) -> int:
    """Send the end reminders that are due (all municipalities), once per interim use.

    Due: still active, no reminder yet, ends within ``days`` (INTERIM_END_REMINDER_DAYS) from
    ``today``
    (and not before ``today``). Mails go to the initiative and to staff (the user who recorded
    it, else the municipality's contact address). Each use is locked and, once mailed,
    committed with ``commit`` on its own, so two runs at once do not send twice and a failure
    does not undo what was sent; a use whose mails all failed is tried again next time.
    Returns the number of interim uses reminded."""
    stmt = select(InterimUse.id).where(*_due(today, days))
    stmt = stmt.order_by(InterimUse.ends_on, InterimUse.id)
    reminded = 0
    for use_id in list(session.scalars(stmt)):
        try:
            if _remind(session, use_id, today, days):
                commit()
                reminded += 1
            else:
                session.rollback()
        except Exception:  # one broken interim use must not stop the others
            session.rollback()
            log.exception("Erinnerung zur Zwischennutzung %s fehlgeschlagen", use_id)
    return reminded
