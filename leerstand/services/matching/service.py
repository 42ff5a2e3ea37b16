"""Treffer: rank the units that fit a proposal (Idee) and the proposals that fit a unit, store
them as Match rows, follow data changes, and the staff review (suggested → shortlisted | dismissed).

Candidates and hard filters: ``matching.candidates`` (one statement, spatial indexes); score and
German reasons: ``matching.score``. ``rematch_*`` keep the Match rows in step: fitting pairs are
upserted (score, reasons, distance; the review ``status`` stays); a pair that no longer fits is
deleted while it is only suggested and has no use request, else kept with ``fits = false``.
The ``*_changed`` hooks are what other services call after a save; they decide whether anything
needs re-matching. Inside ``with batch(session):`` they only note it, and each proposal and unit
is re-matched once at the end of the block (an action that touches a unit, its building and
several contact cases). Services flush, never commit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter

from sqlalchemy import select
from sqlalchemy.orm import Session

from leerstand.dates import local_today
from leerstand.models import Building, Match, Proposal, Unit
from leerstand.services.matching.candidates import (
    ACTIVE_PROPOSAL_STATES,
    PROPOSALS_FOR_UNIT_SQL,
    UNIT_WIDTH,
    Need,
    UnitRow,
    candidate_params,
    execute,
    run,
    units_for_proposal_sql,
)
from leerstand.services.matching.score import Scorer

# Unit and building attributes that change the matching (others, e.g. notes, do not).
UNIT_FIELDS = frozenset({
    "kind", "area_m2", "street_level", "step_free", "power", "water", "wc", "heating",
    "vacancy_state", "vacant_since", "available_from", "available_to", "owner_expectation",
    "rent_eur_month", "suitable_uses", "building_id",
})  # fmt: skip
BUILDING_FIELDS = frozenset({"location", "district_id"})


@dataclass(slots=True)
class MatchResult:
    """One fitting pair as computed (not stored); ``reasons`` are shared, treat as read-only."""

    proposal_id: int
    unit_id: int
    score: int
    distance_m: int | None
    reasons: list[dict]


SCORE = attrgetter("score")


def _ranked(results: list[MatchResult], limit: int | None) -> list[MatchResult]:
    """Best score first; the SQL delivered the rows nearest first and the sort is stable."""
    results.sort(key=SCORE, reverse=True)
    return results[:limit] if limit else results


# --- ranking (computed, not stored) ---------------------------------------------------------


def rank_units(
    session: Session, proposal: Proposal, limit: int | None = None, today: date | None = None
) -> list[MatchResult]:
    """Units that fit ``proposal``, best first (whatever the proposal's state)."""
    today = today or local_today()
    sql = units_for_proposal_sql(proposal.location_kind)
    rows = run(session, sql, candidate_params(today, proposal_id=proposal.id))
    need, score = Need.of(proposal), Scorer()
    results = []
    for row in rows:
        unit = UnitRow._make(row)
        points, reasons = score(need, unit)
        results.append(
            MatchResult(need.proposal_id, unit.unit_id, points, unit.distance_m, reasons)
        )
    return _ranked(results, limit)


def rank_proposals(
    session: Session, unit: Unit, limit: int | None = None, today: date | None = None
) -> list[MatchResult]:
    """Published (or matched) proposals that ``unit`` fits, best first."""
    today = today or local_today()
    rows = run(session, PROPOSALS_FOR_UNIT_SQL, candidate_params(today, unit_id=unit.id))
    results, score = [], Scorer()
    for row in rows:
        unit_row, need = UnitRow._make(row[:UNIT_WIDTH]), Need._make(row[UNIT_WIDTH:])
        points, reasons = score(need, unit_row)
        results.append(MatchResult(need.proposal_id, unit.id, points, unit_row.distance_m, reasons))
    return _ranked(results, limit)


# --- storing --------------------------------------------------------------------------------

UPSERT = """INSERT INTO match (municipality_id, proposal_id, unit_id, score, reasons,
        distance_m, fits, status, computed_at)
    SELECT %(municipality_id)s, r.proposal_id, r.unit_id, r.score, r.reasons, r.distance_m,
        true, 'suggested', now()
    FROM jsonb_to_recordset(%(rows)s::jsonb)
        AS r(proposal_id int, unit_id int, score int, reasons jsonb, distance_m int)
    ON CONFLICT (proposal_id, unit_id) DO UPDATE SET score = excluded.score,
        reasons = excluded.reasons, distance_m = excluded.distance_m, fits = true,
        computed_at = excluded.computed_at"""
# Pairs of the proposal (unit) that are not among ``keep``: unreviewed ones without a use request
# go, the others stay marked as no longer fitting.
UNREVIEWED = """m.status = 'suggested'
    AND NOT EXISTS (SELECT 1 FROM use_request r WHERE r.match_id = m.id)"""
STALE = {
    "proposal": "m.proposal_id = %(id)s AND m.unit_id <> ALL(%(keep)s::int[])",
    "unit": "m.unit_id = %(id)s AND m.proposal_id <> ALL(%(keep)s::int[])",
}
ACTIVE_PROPOSAL = (
    f"m.proposal_id IN (SELECT id FROM proposal WHERE state IN {ACTIVE_PROPOSAL_STATES!r})"
)


def _store(session: Session, municipality_id: int, results: list[MatchResult]) -> None:
    if not results:
        return
    rows = [
        {"proposal_id": r.proposal_id, "unit_id": r.unit_id, "score": r.score,
         "reasons": r.reasons, "distance_m": r.distance_m}
        for r in results
    ]  # fmt: skip
    params = {"municipality_id": municipality_id, "rows": json.dumps(rows, ensure_ascii=False)}
    execute(session, UPSERT, params)


def _drop_stale(session: Session, side: str, record_id: int, keep: list[int]) -> None:
    params = {"id": record_id, "keep": keep}
    execute(session, f"DELETE FROM match m WHERE {STALE[side]} AND {UNREVIEWED}", params)
    only_active = f" AND {ACTIVE_PROPOSAL}" if side == "unit" else ""
    execute(
        session,
        f"UPDATE match m SET fits = false WHERE {STALE[side]} AND m.fits{only_active}",
        params,
    )
    _expire_matches(session)


def _expire_matches(session: Session) -> None:
    """Match rows changed behind the ORM's back: reload them on next access."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Match):
            session.expire(obj)


def rematch_proposal(session: Session, proposal: Proposal, today: date | None = None) -> int:
    """Sync the proposal's matches; a proposal no longer published/matched keeps only reviewed ones.
    Returns the number of fitting units."""
    if proposal.state not in ACTIVE_PROPOSAL_STATES:
        gone = f"DELETE FROM match m WHERE m.proposal_id = %(id)s AND {UNREVIEWED}"
        execute(session, gone, {"id": proposal.id})
        _expire_matches(session)
        return 0
    results = rank_units(session, proposal, today=today)
    _store(session, proposal.municipality_id, results)
    _drop_stale(session, "proposal", proposal.id, [r.unit_id for r in results])
    return len(results)


def rematch_unit(session: Session, unit: Unit, today: date | None = None) -> int:
    """Sync the unit's matches with the proposals it fits; returns their number."""
    results = rank_proposals(session, unit, today=today)
    _store(session, unit.municipality_id, results)
    _drop_stale(session, "unit", unit.id, [r.proposal_id for r in results])
    return len(results)


def rematch_units_of_building(
    session: Session, building: Building, today: date | None = None
) -> int:
    """Re-match every unit of the building; returns the number of matches."""
    return sum(rematch_unit(session, unit, today) for unit in building.units)


def rematch_all(session: Session, municipality_id: int, today: date | None = None) -> int:
    """Re-match every proposal of the municipality (seed, CLI); returns the number of matches."""
    proposals = session.scalars(
        select(Proposal).where(Proposal.municipality_id == municipality_id).order_by(Proposal.id)
    ).all()
    return sum(rematch_proposal(session, proposal, today) for proposal in proposals)


# --- hooks: called by the other services after a save ---------------------------------------

PENDING = "leerstand.matching.pending"  # key in ``session.info`` while a batch is open


@dataclass
class _Pending:
    proposals: dict[int, Proposal] = field(default_factory=dict)
    units: dict[int, Unit] = field(default_factory=dict)
    buildings: dict[int, Building] = field(default_factory=dict)

    def settle(self, session: Session) -> None:
        for proposal in self.proposals.values():
            rematch_proposal(session, proposal)
        units = dict(self.units)
        for building in self.buildings.values():
            units.update((unit.id, unit) for unit in building.units)
        for unit in units.values():
            rematch_unit(session, unit)


@contextmanager
def batch(session: Session) -> Iterator[None]:
    """Collect the hooks' re-matching in the block and run each once at its end (a nested
    block joins the outer one). When the block raises, nothing is re-matched."""
    if PENDING in session.info:
        yield
        return
    pending = session.info[PENDING] = _Pending()
    try:
        yield
    finally:
        session.info.pop(PENDING, None)
    pending.settle(session)


def _later(session: Session, kind: str, obj) -> bool:
    """Note ``obj`` for the open batch; False when there is none (re-match now)."""
    pending = session.info.get(PENDING)
    if pending is None:
        return False
    getattr(pending, kind)[obj.id] = obj
    return True


def unit_changed(session: Session, unit: Unit, changes: dict | None = None) -> None:
    """After a unit was created or edited (``changes`` as from ``save_with_audit``)."""
    if changes is not None and not changes.keys() & UNIT_FIELDS:
        return
    if not _later(session, "units", unit):
        rematch_unit(session, unit)


def building_changed(session: Session, building: Building, changes: dict | None = None) -> None:
    """After a building was edited: a move or another Ortsteil re-matches its units."""
    if changes is None or changes.keys() & BUILDING_FIELDS:
        contact_changed(session, building)


def proposal_changed(session: Session, proposal: Proposal) -> None:
    """After a proposal was published, edited, withdrawn or otherwise changed its state."""
    if not _later(session, "proposals", proposal):
        rematch_proposal(session, proposal)


def contact_changed(session: Session, building: Building) -> None:
    """After a contact case of the building changed state: 'declined' excludes the building,
    and the owners' openness is part of the score."""
    if not _later(session, "buildings", building):
        rematch_units_of_building(session, building)


from leerstand.services.matching.review import (  # noqa: E402, F401  (public API of matching)
    get_match,
    matches_for_proposal,
    matches_for_unit,
    overview,
    set_status,
    shortlisted,
)
