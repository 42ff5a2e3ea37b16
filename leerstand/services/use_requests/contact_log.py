"""How use requests show up in the Eigentümeransprache: every send, reissue, revoke and answer
is an entry in the contact log of (building, owner), and where the contact state should move,
it moves (only along an allowed transition; otherwise the entry is logged without a change).

Texts written into the log are German msgids, independent of the viewer's language."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from leerstand.dates import local_date
from leerstand.models import ContactCase, UseRequest
from leerstand.services.contact import cases as contact_service
from leerstand.services.owners.service import ensure_case

# Contact state after an owner's answer.
ANSWER_TARGET = {
    "yes": "open_to_interim_use",
    "yes_conditions": "open_to_interim_use",
    "no": "declined",
    "more_info": "in_dialogue",
}
# Sending a request moves a case out of these states to "contacted".
SEND_MOVES_FROM = frozenset({"not_contacted", "unreachable"})


def case_for(session: Session, req: UseRequest, user_id: int | None) -> ContactCase:
    """The contact case of the request's building and owner, locked for this transaction
    (created when missing); the request is linked to it."""
    case = req.case
    if case is None:
        case = ensure_case(session, user_id, req.match.unit.building, req.owner)
        req.case_id = case.id
        req.case = case
    session.refresh(case, with_for_update=True)
    return case


def log_sent(
    session: Session,
    req: UseRequest,
    user_id: int | None,
    summary: str,
    now: datetime,
    reminder_days: int,
) -> None:
    """An outgoing request (first send, reissue, reminder): contacted, follow-up after N days."""
    case = case_for(session, req, user_id)
    today = local_date(now)
    contact = contact_service.Contact(
        occurred_on=today, channel=req.channel, direction="out", summary=summary
    )
    target = "contacted" if case.state in SEND_MOVES_FROM else None
    follow_up = today + timedelta(days=reminder_days)
    contact_service.advance(session, case, user_id, contact, target, follow_up)


def log_internal(session: Session, req: UseRequest, user_id: int | None, summary: str, now):
    case = case_for(session, req, user_id)
    contact = contact_service.Contact(occurred_on=local_date(now), summary=summary)
    contact_service.advance(session, case, user_id, contact)
