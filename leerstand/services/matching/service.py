"""Treffer: rank the units that fit a proposal (Idee) and the proposals that fit a unit, store
them as Match rows, follow data changes, and the staff review (suggested → shortlisted | dismissed).

Candidates and hard filters: ``matching.candidates`` (one statement, spatial indexes); score and
German reasons: ``matching.score``. ``rematch_*`` keep the Match rows in step: fitting pairs are
upserted (score, reasons, distance; the review ``status`` stays); a pair that no longer fits is
deleted while it is only suggested and has no use request, else kept with ``fits = false``
(set-based, linear in the matches: ``matching.store``).
The ``*_changed`` hooks are what other services call after a save; they decide whether anything
needs re-matching. Inside ``with batch(session):`` they only note it, and each proposal and unit
is re-matched once at the end of the block (an action that touches a unit, its building and
several contact cases). After ``background(session, threshold)`` (a web request) the hooks queue
the re-match of an idea with more units in its place than the threshold as a background job
(``services.jobs``) instead of running it. Services flush, never commit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter

from sqlalchemy import select
from sqlalchemy.orm import Session

from leerstand.dates import local_today
from leerstand.models import Building, Proposal, Unit
from leerstand.services.jobs import queue as jobs
from leerstand.services.matching import store
from leerstand.services.matching.candidates import (
    ACTIVE_PROPOSAL_STATES,
    PROPOSALS_FOR_UNIT_SQL,
    UNIT_WIDTH,
    Need,
    UnitRow,
    candidate_params,
    run,
    units_for_proposal_sql,
    units_in_place_sql,
)
from leerstand.services.matching.score import Scorer
from leerstand.services.matching.store import Progress

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
# keys in ``session.info``: the threshold of ``background`` and the proposals it queued
BACKGROUND = "leerstand.matching.background"
DEFERRED = "leerstand.matching.deferred"


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


# --- re-matching: compute and store -------------------------------------------------------


def rematch_proposal(
    session: Session,
    proposal: Proposal,
    today: date | None = None,
    progress: Progress | None = None,
) -> int:
    """Sync the proposal's matches; a proposal no longer published/matched keeps only reviewed ones.
    Returns the number of fitting units; ``progress(done, total)`` hears of the stored ones."""
    if proposal.state not in ACTIVE_PROPOSAL_STATES:
        store.drop_unreviewed(session, proposal.id)
        return 0
    results = rank_units(session, proposal, today=today)
    store.sync(session, "proposal", proposal.id, proposal.municipality_id, results, progress)
    return len(results)


def units_in_place(session: Session, proposal: Proposal, cap: int | None = None) -> int:
    """Units in the proposal's place, fitting or not (one for an idea naming a unit), counted
    up to ``cap``."""
    if proposal.location_kind == "unit":
        return 1
    sql = units_in_place_sql(proposal.location_kind)
    return run(session, sql, {"proposal_id": proposal.id, "cap": cap})[0][0]


def rematch_proposal_soon(session: Session, proposal: Proposal) -> int | None:
    """Re-match now (the number of matches), or queue a background job (None) when the session
    allows it (``background``) and more units than its threshold lie in the proposal's place."""
    threshold = session.info.get(BACKGROUND)
    if (
        threshold
        and proposal.state in ACTIVE_PROPOSAL_STATES
        and units_in_place(session, proposal, cap=threshold + 1) > threshold
    ):
        jobs.defer_rematch_proposal(session, proposal)  # None: one waits already
        session.info.setdefault(DEFERRED, set()).add(proposal.id)
        return None
    return rematch_proposal(session, proposal)


def background(session: Session, threshold: int) -> None:
    """From now on, the hooks queue the re-match of a proposal with more than ``threshold``
    units in its place as a background job (a web request sets it; 0: never)."""
    session.info[BACKGROUND] = threshold
    session.info.pop(DEFERRED, None)


def pop_deferred(session: Session) -> set[int]:
    """Ids of the proposals whose re-match the hooks queued since the last call."""
    return session.info.pop(DEFERRED, set())


def rematch_unit(session: Session, unit: Unit, today: date | None = None) -> int:
    """Sync the unit's matches with the proposals it fits; returns their number."""
    results = rank_proposals(session, unit, today=today)
    store.sync(session, "unit", unit.id, unit.municipality_id, results)
    return len(results)


def rematch_units_of_building(
    session: Session, building: Building, today: date | None = None
) -> int:
    """Re-match every unit of the building; returns the number of matches."""
    return sum(rematch_unit(session, unit, today) for unit in building.units)


def rematch_all(
    session: Session,
    municipality_id: int,
    today: date | None = None,
    progress: Progress | None = None,
) -> int:
    """Re-match every proposal of the municipality (seed, CLI, a background job); returns the
    number of matches; ``progress(done, total)`` counts the proposals."""
    proposals = session.scalars(
        select(Proposal).where(Proposal.municipality_id == municipality_id).order_by(Proposal.id)
    ).all()
    total = 0
    if progress:
        progress(0, len(proposals))
    for done, proposal in enumerate(proposals, start=1):
        total += rematch_proposal(session, proposal, today)
        if progress:
            progress(done, len(proposals))
    return total


# --- hooks: called by the other services after a save ---------------------------------------

PENDING = "leerstand.matching.pending"  # key in ``session.info`` while a batch is open


@dataclass
class _Pending:
    proposals: dict[int, Proposal] = field(default_factory=dict)
    units: dict[int, Unit] = field(default_factory=dict)
    buildings: dict[int, Building] = field(default_factory=dict)

    def settle(self, session: Session) -> None:
        for proposal in self.proposals.values():
            rematch_proposal_soon(session, proposal)
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
        rematch_proposal_soon(session, proposal)


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
