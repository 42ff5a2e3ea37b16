"""Nutzungsideen: create and edit (initiative), submit, withdraw, publish and reject (staff).

State rules, all here (see ``EDITABLE`` and ``TRANSITIONS``): a proposal can be edited as a
draft, while submitted and after a rejection (then submitted again), not after publication; it
can be withdrawn as a draft, while submitted, when published or matched; only a submitted proposal
can be published or rejected, and a rejection needs a reason. An owner's yes marks a published
proposal "Raum gefunden" (``mark_matched``); a recorded interim use marks it realised
(``realise``). Every problem raises ``ServiceError`` / ``GeometryError`` with a German message
before anything is flushed; the form's validation is in ``proposals.values``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leerstand.messages import Text
from leerstand.models import Initiative, Proposal
from leerstand.services.audit.log import flush_versioned
from leerstand.services.errors import NotFound, ServiceError
from leerstand.services.forms import check_length
from leerstand.services.locking import check_version
from leerstand.services.matching import service as matching
from leerstand.services.municipality import get_scoped
from leerstand.services.proposals.values import NEED_FLAGS as NEED_FLAGS  # used by the views
from leerstand.services.proposals.values import proposal_values
from leerstand.services.proposals.values import public_units as public_units  # used by the views
from leerstand.vocab import PROPOSAL_STATES, german

EDITABLE = {"draft", "submitted", "rejected"}
TRANSITIONS = {
    "submit": {"draft", "rejected"},
    "withdraw": {"draft", "submitted", "published", "matched"},
    "publish": {"submitted"},
    "reject": {"submitted"},
    "match": {"published"},  # an owner said yes
    "realise": {"published", "matched"},  # an interim use was recorded
}


# --- look-ups ------------------------------------------------------------------------------


def get_own(session: Session, initiative: Initiative, proposal_id: int) -> Proposal:
    """The initiative's own proposal; another's (or none) is NotFound, never a hint it exists."""
    proposal = session.get(Proposal, proposal_id)
    if proposal is None or proposal.initiative_id != initiative.id:
        raise NotFound(Text("Idee nicht gefunden."))
    return proposal


def get_for_staff(session: Session, municipality_id: int, proposal_id: int) -> Proposal:
    return get_scoped(session, Proposal, proposal_id, municipality_id, Text("Idee nicht gefunden."))


def list_own(session: Session, initiative: Initiative) -> list[Proposal]:
    return list(
        session.scalars(
            select(Proposal)
            .where(Proposal.initiative_id == initiative.id)
            .order_by(Proposal.updated_at.desc(), Proposal.id.desc())
        )
    )


def moderation_queue(session: Session, municipality_id: int) -> list[Proposal]:
    return list(
        session.scalars(
            select(Proposal)
            .where(Proposal.municipality_id == municipality_id, Proposal.state == "submitted")
            .order_by(Proposal.submitted_at, Proposal.id)
        )
    )


def waiting_count(session: Session, municipality_id: int) -> int:
    """How many submitted proposals wait for moderation (the count in the staff navigation)."""
    stmt = select(func.count()).where(
        Proposal.municipality_id == municipality_id, Proposal.state == "submitted"
    )
    return session.scalar(stmt) or 0


# --- initiative actions --------------------------------------------------------------------


def create(session: Session, initiative: Initiative, values: Mapping) -> Proposal:
    attrs, districts = proposal_values(session, initiative.municipality_id, values)
    proposal = Proposal(
        initiative_id=initiative.id, municipality_id=initiative.municipality_id, **attrs
    )
    proposal.districts = districts
    session.add(proposal)
    session.flush()
    return proposal


def update(session: Session, proposal: Proposal, values: Mapping) -> Proposal:
    if proposal.state not in EDITABLE:
        raise ServiceError(
            Text(
                "Eine Idee im Zustand „%(state)s“ kann nicht mehr bearbeitet werden.",
                state=Text(german(PROPOSAL_STATES, proposal.state)),
            )
        )
    check_version(proposal, values.get("version"))
    attrs, districts = proposal_values(session, proposal.municipality_id, values)
    for key, value in attrs.items():
        setattr(proposal, key, value)
    proposal.districts = districts
    session.flush()
    matching.proposal_changed(session, proposal)
    return proposal


def _move(proposal: Proposal, action: str, target: str) -> None:
    if proposal.state not in TRANSITIONS[action]:
        raise ServiceError(
            Text(
                "Eine Idee im Zustand „%(state)s“ kann nicht „%(target)s“ werden.",
                state=Text(german(PROPOSAL_STATES, proposal.state)),
                target=Text(german(PROPOSAL_STATES, target)),
            )
        )
    proposal.state = target


def submit(session: Session, proposal: Proposal) -> Proposal:
    _move(proposal, "submit", "submitted")
    proposal.submitted_at = datetime.now(UTC)
    proposal.announced_at = None  # the staff digest announces it (again)
    proposal.rejection_reason = ""
    session.flush()
    return proposal


def withdraw(session: Session, proposal: Proposal) -> Proposal:
    _move(proposal, "withdraw", "withdrawn")
    session.flush()
    matching.proposal_changed(session, proposal)
    return proposal


# --- staff actions -------------------------------------------------------------------------


def publish(session: Session, proposal: Proposal, user_id: int | None = None) -> Proposal:
    _move(proposal, "publish", "published")
    proposal.published_at = datetime.now(UTC)
    flush_versioned(session, user_id, proposal, "status")
    matching.proposal_changed(session, proposal)
    return proposal


def reject(
    session: Session, proposal: Proposal, user_id: int | None, reason: str | None
) -> Proposal:
    reason = str(reason or "").strip()
    check_length(reason, 2_000, Text("Grund der Ablehnung"))
    if not reason:
        raise ServiceError(
            Text("Bitte einen Grund für die Ablehnung angeben; er wird der Initiative gesendet.")
        )
    _move(proposal, "reject", "rejected")
    proposal.rejection_reason = reason
    flush_versioned(session, user_id, proposal, "status")
    return proposal


# --- automatic steps (owner answers, interim uses) -----------------------------------------


def _step(session, proposal, user_id, step: str, target: str, audit: str, extra) -> bool:
    """Move the proposal (locked first) to ``target`` when ``step`` is allowed from its state;
    audited as ``audit`` with ``extra``. False (nothing written) when it has moved on."""
    if proposal.state not in TRANSITIONS[step]:
        return False
    session.refresh(proposal, with_for_update=True)
    if proposal.state not in TRANSITIONS[step]:
        return False
    proposal.state = target
    flush_versioned(session, user_id, proposal, audit, extra)
    return True


def mark_matched(
    session: Session, proposal: Proposal, user_id: int | None, extra: dict | None = None
) -> bool:
    """An owner said yes: a published proposal becomes "Raum gefunden". It stays among the proposals
    that are matched, so the stored matches need no update."""
    return _step(session, proposal, user_id, "match", "matched", "owner_answer", extra)


def realise(
    session: Session, proposal: Proposal, user_id: int | None, extra: dict | None = None
) -> bool:
    """An interim use was recorded: the (published or matched) proposal is realised and leaves the
    matching (unreviewed matches go)."""
    moved = _step(session, proposal, user_id, "realise", "realised", "update", extra)
    if moved:
        matching.proposal_changed(session, proposal)
    return moved
