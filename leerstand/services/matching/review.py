"""Staff review of stored matches: look-ups, lists for the pages, and the status change
(suggested → shortlisted | dismissed, and back), each change in the audit log.

Re-exported by ``leerstand.services.matching.service``; import it from there."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, joinedload

from leerstand.messages import Text
from leerstand.models import Building, Match, Proposal, Unit
from leerstand.services.audit.log import record
from leerstand.services.errors import ServiceError
from leerstand.services.matching.candidates import ACTIVE_PROPOSAL_STATES
from leerstand.services.municipality import get_scoped
from leerstand.vocab import MATCH_STATUSES, german

ORDER = (Match.fits.desc(), Match.score.desc(), Match.distance_m.asc().nulls_last(), Match.id)
WITH_UNIT = joinedload(Match.unit).joinedload(Unit.building).joinedload(Building.district)
WITH_PROPOSAL = joinedload(Match.proposal).joinedload(Proposal.initiative)


def get_match(session: Session, municipality_id: int, match_id: int) -> Match:
    return get_scoped(session, Match, match_id, municipality_id, Text("Treffer nicht gefunden."))


def set_status(session: Session, match: Match, status: str, user_id: int | None) -> Match:
    """Shortlist, dismiss or reset a match; unknown status is a ServiceError (nothing written)."""
    if status not in MATCH_STATUSES:
        raise ServiceError(
            Text(
                "Unbekannter Status für den Treffer. Erlaubt sind „%(suggested)s“, "
                "„%(shortlisted)s“, „%(dismissed)s“.",
                **{code: Text(german(MATCH_STATUSES, code)) for code in MATCH_STATUSES},
            )
        )
    old = match.status
    if old == status:
        return match
    match.status = status
    match.reviewed_by_id = user_id
    match.reviewed_at = datetime.now(UTC)
    session.flush()
    record(session, user_id, "status", match, {"status": [old, status]})
    return match


def _visible(stmt, include_dismissed: bool):
    return stmt if include_dismissed else stmt.where(Match.status != "dismissed")


def matches_for_proposal(
    session: Session, proposal: Proposal, include_dismissed: bool = False
) -> list[Match]:
    """Stored matches of the proposal with unit and building, best first; no longer fitting last."""
    stmt = select(Match).where(Match.proposal_id == proposal.id).options(WITH_UNIT)
    return list(session.scalars(_visible(stmt, include_dismissed).order_by(*ORDER)))


def matches_for_unit(session: Session, unit: Unit, include_dismissed: bool = False) -> list[Match]:
    """Stored matches of the unit with proposal and initiative, best first."""
    stmt = select(Match).where(Match.unit_id == unit.id).options(WITH_PROPOSAL)
    return list(session.scalars(_visible(stmt, include_dismissed).order_by(*ORDER)))


def overview(session: Session, municipality_id: int) -> list[tuple[Proposal, int, int | None, int]]:
    """[(proposal, fitting matches not dismissed, best score, shortlisted)] of the published and
    matched proposals, newest first."""
    counted = Match.fits & (Match.status != "dismissed")
    stats = (
        select(
            Match.proposal_id,
            func.count().filter(counted).label("n"),
            func.max(case((counted, Match.score))).label("best"),
            func.count().filter(Match.status == "shortlisted").label("shortlisted"),
        )
        .group_by(Match.proposal_id)
        .subquery()
    )
    stmt = (
        select(Proposal, stats.c.n, stats.c.best, stats.c.shortlisted)
        .outerjoin(stats, stats.c.proposal_id == Proposal.id)
        .where(
            Proposal.municipality_id == municipality_id,
            Proposal.state.in_(ACTIVE_PROPOSAL_STATES),
        )
        .options(joinedload(Proposal.initiative))
        .order_by(Proposal.published_at.desc().nulls_last(), Proposal.id.desc())
    )
    return [(p, n or 0, best, short or 0) for p, n, best, short in session.execute(stmt)]


def shortlisted(session: Session, municipality_id: int, limit: int = 200) -> list[Match]:
    stmt = (
        select(Match)
        .where(Match.municipality_id == municipality_id, Match.status == "shortlisted")
        .options(WITH_UNIT, WITH_PROPOSAL)
        .order_by(Match.reviewed_at.desc().nulls_last(), Match.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))
