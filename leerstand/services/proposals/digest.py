"""Announcing proposals that wait for moderation: the daily digest mail to the town's staff.

``send_digests`` (run by ``flask reminders`` and ``flask ideas-digest``) mails, per
municipality, the submitted proposals not yet announced (``proposal.announced_at`` is NULL) to the
municipality's contact address, else to its active admin and staff users, and then sets
``announced_at``. Nothing is mailed when nothing is new. A submitted-again proposal (after a
rejection) is announced again: ``proposals.submit`` clears ``announced_at``. The count shown in
the staff navigation is ``proposals.waiting_count``. Mails are plain text and rendered without
Babel, since the digest runs outside a request; links come from BASE_URL."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from leerstand import mail
from leerstand.dates import day
from leerstand.links import absolute_url
from leerstand.models import Municipality, Proposal, User
from leerstand.services.proposals.service import waiting_count

log = logging.getLogger(__name__)

STAFF_ROLES = ("admin", "staff")


def recipients(session: Session, municipality: Municipality) -> list[str]:
    """The town's staff address, else the e-mail of every active admin and staff user."""
    if municipality.contact_email:
        return [municipality.contact_email]
    stmt = (
        select(User.email)
        .where(
            User.municipality_id == municipality.id,
            User.active.is_(True),
            User.role.in_(STAFF_ROLES),
        )
        .order_by(User.email)
    )
    return list(session.scalars(stmt))


def _unannounced(session: Session, municipality_id: int) -> list[Proposal]:
    """Submitted, not yet announced proposals, locked (SKIP LOCKED: another run has them)."""
    stmt = (
        select(Proposal)
        .where(
            Proposal.municipality_id == municipality_id,
            Proposal.state == "submitted",
            Proposal.announced_at.is_(None),
        )
        .order_by(Proposal.submitted_at, Proposal.id)
        .with_for_update(skip_locked=True, of=Proposal)
        .execution_options(populate_existing=True)
    )
    return list(session.scalars(stmt))


def _subject(count: int) -> str:
    if count == 1:
        return "1 neue Idee wartet auf Prüfung"
    return f"{count} neue Ideen warten auf Prüfung"


def _mail(
    municipality: Municipality, to: list[str], proposals: list[Proposal], waiting: int
) -> bool:
    items = [
        {
            "title": proposal.title,
            "initiative": proposal.initiative.name,
            "submitted": day(proposal.submitted_at),
            "link": absolute_url("staff.moderation_view", proposal_id=proposal.id),
        }
        for proposal in proposals
    ]
    sent = False
    for address in to:
        sent |= mail.send_template(
            address,
            _subject(len(proposals)),
            "moderation_digest.txt",
            municipality=municipality,
            items=items,
            waiting=waiting,
            queue_link=absolute_url("staff.moderation"),
        )
    return sent


def _digest(session: Session, municipality: Municipality, now: datetime) -> int:
    """Mail one municipality's new proposals; the number announced (0: nothing new or not sent)."""
    proposals = _unannounced(session, municipality.id)
    if not proposals:
        return 0
    to = recipients(session, municipality)
    if not to:
        log.warning("Keine Adresse für neue Ideen in %s (contact_email fehlt)", municipality.name)
    if not to or not _mail(municipality, to, proposals, waiting_count(session, municipality.id)):
        session.rollback()  # release the locks; the proposals are announced next time
        return 0
    # A table UPDATE: the version stays, so an initiative's open edit form is not made stale.
    ids = [proposal.id for proposal in proposals]
    table = Proposal.__table__
    session.execute(update(table).where(table.c.id.in_(ids)).values(announced_at=now))
    for proposal in proposals:
        session.expire(proposal, ["announced_at"])
    return len(proposals)


def send_digests(session: Session, now: datetime, commit: Callable[[], None]) -> int:
    """Send the digest of every municipality with new proposals; each is committed right after its
    mail, so a failure elsewhere does not undo what was sent. Returns the proposals announced."""
    announced = 0
    for municipality in list(session.scalars(select(Municipality).order_by(Municipality.id))):
        try:
            count = _digest(session, municipality, now)
            if count:
                commit()
                announced += count
        except Exception:  # one broken municipality must not stop the others
            session.rollback()
            log.exception("Hinweis auf neue Ideen für %s fehlgeschlagen", municipality.id)
    commit()  # end the last (reading) transaction
    return announced
