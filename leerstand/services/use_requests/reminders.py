"""Reminders for unanswered use requests (``flask reminders``, daily from cron).

An open e-mail request whose link was sent more than REQUEST_REMINDER_DAYS ago and that has no
reminder yet gets a new link (the old one stops working, which the mail says) and a reminder
mail. Letter requests are not mailed: they stay on the staff start page as follow-ups.

Each reminder is committed on its own, right after its mail went out, so that a mailed link
always works, whatever happens to the next one. When the mail cannot be sent (or anything
else fails), that request is rolled back as it was (old link valid, no reminder noted) and is
tried again on the next run."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from leerstand.models import UseRequest
from leerstand.services.errors import ServiceError
from leerstand.services.use_requests import send as use_requests
from leerstand.services.use_requests.mail import send_reminder_mail

log = logging.getLogger(__name__)


def due_reminders(session: Session, now: datetime, reminder_days: int) -> list[int]:
    """Ids of the open e-mail requests sent more than ``reminder_days`` ago without a
    reminder, any town, oldest first."""
    stmt = select(UseRequest.id).where(
        UseRequest.channel == "email",
        use_requests.state_condition("open", now),
        UseRequest.reminder_sent_at.is_(None),
        UseRequest.sent_at <= now - timedelta(days=reminder_days),
    )
    return list(session.scalars(stmt.order_by(UseRequest.sent_at, UseRequest.id)))


def _remind(session: Session, request_id: int, now: datetime, valid_days, reminder_days) -> bool:
    """Reissue one request as a reminder and mail it; False when nothing is to be kept."""
    req = session.get(UseRequest, request_id)
    if req is None or not req.owner.email:
        return False
    try:
        issued = use_requests.reissue(
            session, req, None, now, valid_days, reminder_days, reminder=True
        )
    except ServiceError:  # answered, revoked or reminded in the meantime
        return False
    return send_reminder_mail(req, issued.secret)


def remind_due(
    session: Session,
    now: datetime,
    valid_days: int,
    reminder_days: int,
    commit: Callable[[], None],
) -> int:
    """Send the due reminders (REQUEST_VALID_DAYS, REQUEST_REMINDER_DAYS), calling ``commit``
    (e.g. ``db.session.commit``) after each mail that went out; returns how many were sent."""
    sent = 0
    for request_id in due_reminders(session, now, reminder_days):
        try:
            if _remind(session, request_id, now, valid_days, reminder_days):
                commit()
                sent += 1
            else:
                session.rollback()
        except Exception:  # one broken request must not stop the others
            session.rollback()
            log.exception("Erinnerung zur Anfrage %s fehlgeschlagen", request_id)
    return sent
