"""Reminders for unanswered use requests (``flask reminders``, daily from cron).

An open e-mail request whose link was sent more than REQUEST_REMINDER_DAYS ago and that has no
reminder yet gets a new link (the old one stops working, which the mail says) and a reminder
mail. Letter requests are not mailed: they stay on the staff start page as follow-ups.

Each reminder is its own savepoint: when the mail cannot be sent, that request is left as it
was (old link valid, no reminder noted) and is tried again on the next run. The caller
commits once at the end."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from leerstand.models import UseRequest
from leerstand.services import requests as request_service
from leerstand.services.errors import ServiceError
from leerstand.services.requests_mail import send_reminder_mail


def due_reminders(session: Session, now: datetime, reminder_days: int) -> list[UseRequest]:
    """Open e-mail requests sent more than ``reminder_days`` ago without a reminder, any town."""
    stmt = select(UseRequest).where(
        UseRequest.channel == "email",
        UseRequest.answered_at.is_(None),
        UseRequest.revoked_at.is_(None),
        UseRequest.expires_at > now,
        UseRequest.reminder_sent_at.is_(None),
        UseRequest.sent_at <= now - timedelta(days=reminder_days),
    )
    return list(session.scalars(stmt.order_by(UseRequest.sent_at, UseRequest.id)))


def remind_due(session: Session, now: datetime) -> int:
    """Send the due reminders; returns how many were sent."""
    config = current_app.config
    valid_days, reminder_days = config["REQUEST_VALID_DAYS"], config["REQUEST_REMINDER_DAYS"]
    sent = 0
    for req in due_reminders(session, now, reminder_days):
        if not req.owner.email:
            continue
        savepoint = session.begin_nested()
        try:
            issued = request_service.reissue(
                session, req, None, now, valid_days, reminder_days, reminder=True
            )
        except ServiceError:  # answered or revoked in the meantime
            savepoint.rollback()
            continue
        if send_reminder_mail(req, issued.secret):
            savepoint.commit()
            sent += 1
        else:
            savepoint.rollback()
    return sent
