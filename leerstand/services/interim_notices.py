"""Mails about interim uses: the initiative's notice when one is recorded, and the reminders
before the agreed end (``remind_ending``, run by ``flask reminders``). Mails are plain text and
rendered without Babel, since the reminders run outside a request."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from leerstand import mail
from leerstand.models import InterimUse
from leerstand.services import municipality as municipality_service


def day(value: date | None) -> str:
    """dd.mm.yyyy without Babel (mails are also rendered outside a request)."""
    return value.strftime("%d.%m.%Y") if value else "–"


def external_url(endpoint: str, **values) -> str:
    """Absolute link from BASE_URL (works outside a request, e.g. in ``flask reminders``)."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"] + path


def notify_recorded(use: InterimUse, link: str | None = None) -> bool:
    """Mail the initiative that the interim use is recorded, with its dates and terms."""
    if use.initiative is None:
        return True
    return mail.send_template(
        use.initiative.email,
        f"Zwischennutzung vereinbart: {use.unit.building.address}",
        "interim_recorded.txt",
        use=use,
        day=day,
        link=link,
    )


def _staff_address(session: Session, use: InterimUse) -> str | None:
    if use.created_by is not None and use.created_by.active:
        return use.created_by.email
    return municipality_service.get(session, use.municipality_id).contact_email or None


def _send_reminders(session: Session, use: InterimUse) -> int:
    sent = 0
    subject = f"Zwischennutzung endet am {day(use.ends_on)}: {use.unit.building.address}"
    if use.initiative is not None:
        link = None
        if use.proposal_id:
            link = external_url("initiative.proposal_view", proposal_id=use.proposal_id)
        sent += mail.send_template(
            use.initiative.email, subject, "interim_end_initiative.txt", use=use, day=day,
            link=link,
        )  # fmt: skip
    staff = _staff_address(session, use)
    if staff:
        link = external_url("staff.interim_use", interim_id=use.id)
        sent += mail.send_template(
            staff, subject, "interim_end_staff.txt", use=use, day=day, link=link
        )
    return sent


def remind_ending(session: Session, today: date) -> int:
    """Send the end reminders that are due (all municipalities), once per interim use.

    Due: still active, no reminder yet, ends within INTERIM_END_REMINDER_DAYS from ``today``
    (and not before ``today``). Mails go to the initiative and to staff (the user who recorded
    it, else the municipality's contact address). Rows are locked (SKIP LOCKED), so two runs
    at once do not send twice; a use whose mails all failed is tried again next time.
    Returns the number of interim uses reminded; the caller commits."""
    until = today + timedelta(days=current_app.config["INTERIM_END_REMINDER_DAYS"])
    stmt = (
        select(InterimUse)
        .where(
            InterimUse.outcome.is_(None),
            InterimUse.end_reminder_sent_at.is_(None),
            InterimUse.ends_on >= today,
            InterimUse.ends_on <= until,
        )
        .order_by(InterimUse.ends_on, InterimUse.id)
        .with_for_update(skip_locked=True, of=InterimUse)
    )
    reminded = 0
    for use in session.scalars(stmt).all():
        if not _send_reminders(session, use):
            continue
        # A table UPDATE: the version stays, so open edit forms are not made stale.
        session.execute(
            update(InterimUse.__table__)
            .where(InterimUse.__table__.c.id == use.id)
            .values(end_reminder_sent_at=datetime.now(UTC))
        )
        session.expire(use, ["end_reminder_sent_at"])
        reminded += 1
    return reminded
