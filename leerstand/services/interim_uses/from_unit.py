"""Recording an interim use from a unit's page (not from a match): staff choose the initiative
and, optionally, one of its proposals; the period and terms are the same fields as from a match.

When the chosen proposal has a match with this unit that an owner said yes to, this is the very
same as recording from that match (``service.record_interim_use``: the yes-owners' contact
cases move to "Vereinbarung"). Otherwise the use is written by ``service.start_use`` (unit
"in Zwischennutzung", the proposal realised), without touching contact cases. Every check runs
before anything is flushed; a refusal is a ``ServiceError`` with a German message."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from leerstand.messages import Text
from leerstand.models import Initiative, InterimUse, Match, Proposal, Unit
from leerstand.services.errors import ServiceError
from leerstand.services.forms import parse_int
from leerstand.services.interim_uses import service as interim_use
from leerstand.services.matching import service as matching

REALISABLE_STATES = ("published", "matched", "realised")  # proposals an interim use may realise
CLOSED_UNIT_STATES = ("occupied",)


def initiatives(session: Session, municipality_id: int) -> list[Initiative]:
    """The municipality's initiatives with a confirmed e-mail, by name."""
    stmt = (
        select(Initiative)
        .where(
            Initiative.municipality_id == municipality_id,
            Initiative.email_confirmed_at.is_not(None),
        )
        .order_by(Initiative.name, Initiative.id)
    )
    return list(session.scalars(stmt))


def proposals(session: Session, municipality_id: int) -> list[Proposal]:
    """Proposals an interim use may belong to (published, room found, realised), by title."""
    stmt = (
        select(Proposal)
        .where(Proposal.municipality_id == municipality_id, Proposal.state.in_(REALISABLE_STATES))
        .options(selectinload(Proposal.initiative))
        .order_by(Proposal.title, Proposal.id)
    )
    return list(session.scalars(stmt))


def _initiative(session: Session, municipality_id: int, raw) -> Initiative:
    initiative_id = parse_int(raw, Text("Initiative"), low=1)
    initiative = session.get(Initiative, initiative_id) if initiative_id else None
    if (
        initiative is None
        or initiative.municipality_id != municipality_id
        or initiative.email_confirmed_at is None
    ):
        raise ServiceError(Text("Bitte wählen Sie die Initiative aus der Liste."))
    return initiative


def _proposal(session: Session, initiative: Initiative, raw) -> Proposal | None:
    proposal_id = parse_int(raw, Text("Idee"), low=1)
    if proposal_id is None:
        return None
    proposal = session.get(Proposal, proposal_id)
    if proposal is None or proposal.municipality_id != initiative.municipality_id:
        raise ServiceError(Text("Bitte wählen Sie die Idee aus der Liste (oder keine)."))
    if proposal.initiative_id != initiative.id:
        raise ServiceError(
            Text(
                "Die Idee „%(title)s“ ist nicht von „%(initiative)s“. Bitte wählen Sie "
                "eine Idee dieser Initiative oder keine.",
                title=proposal.title,
                initiative=initiative.name,
            )
        )
    if proposal.state not in REALISABLE_STATES:
        raise ServiceError(
            Text(
                "Die Idee „%(title)s“ ist nicht veröffentlicht. Bitte wählen Sie eine "
                "veröffentlichte Idee oder keine.",
                title=proposal.title,
            )
        )
    return proposal


def _yes_match(session: Session, unit: Unit, proposal: Proposal | None) -> Match | None:
    if proposal is None:
        return None
    stmt = select(Match).where(Match.unit_id == unit.id, Match.proposal_id == proposal.id)
    match = session.scalars(stmt).first()
    return match if match is not None and interim_use.yes_requests(match) else None


def record_for_unit(
    session: Session, unit: Unit, user_id: int | None, values: Mapping, today: date
) -> InterimUse:
    """Record an interim use of ``unit`` by the chosen initiative (and proposal)."""
    if unit.vacancy_state in CLOSED_UNIT_STATES:
        raise ServiceError(
            Text(
                "Die Einheit ist als „genutzt“ erfasst. Wenn sie leer steht, ändern Sie bitte "
                "zuerst ihren Stand; dann kann eine Zwischennutzung erfasst werden."
            )
        )
    initiative = _initiative(session, unit.municipality_id, values.get("initiative_id"))
    proposal = _proposal(session, initiative, values.get("proposal_id"))
    match = _yes_match(session, unit, proposal)
    if match is not None:
        return interim_use.record_interim_use(session, match, user_id, values, today)
    cleaned = interim_use.clean_values(values)
    interim_use.check_overlap(session, unit.id, cleaned)
    with matching.batch(session):
        return interim_use.start_use(session, unit, proposal, initiative, user_id, cleaned)
