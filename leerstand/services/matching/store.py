"""Storing a computed candidate set as Match rows, linear in the number of matches.

The fitting pairs are upserted in chunks of ``STORE_CHUNK`` rows (score, reasons, distance; the
review ``status`` and ``created_at`` stay), each chunk reported to ``progress(done, total)``
when given (a background job shows it to staff). The stale pairs of the proposal (unit) are the
stored ones minus the new set, a set difference in Python over the stored ids (one index scan);
they are then deleted or marked by their ids through the unique index (``= ANY`` of the stale
ids, sent unprepared so that PostgreSQL hashes the array). Nothing here depends on the table's
statistics or the plan type: the former ``unit_id <> ALL(array)`` compared every stored pair
with every kept id once psycopg prepared the statement (12–13 s for an Ortsteil idea at 1M
units), and an anti join against the unnested set turned into a nested loop over a match table
without statistics (a fresh import: more than 20 s).
Unreviewed stale pairs without a use request go; the others stay with ``fits = false``."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Protocol

from sqlalchemy.orm import Session

from leerstand.models import Match
from leerstand.services.matching.candidates import ACTIVE_PROPOSAL_STATES, execute, run

STORE_CHUNK = 5_000  # rows per upsert statement (and per progress report)

UPSERT = """INSERT INTO match (municipality_id, proposal_id, unit_id, score, reasons,
        distance_m, fits, status, computed_at)
    SELECT %(municipality_id)s, r.proposal_id, r.unit_id, r.score, r.reasons, r.distance_m,
        true, 'suggested', now()
    FROM jsonb_to_recordset(%(rows)s::jsonb)
        AS r(proposal_id int, unit_id int, score int, reasons jsonb, distance_m int)
    ON CONFLICT (proposal_id, unit_id) DO UPDATE SET score = excluded.score,
        reasons = excluded.reasons, distance_m = excluded.distance_m, fits = true,
        computed_at = excluded.computed_at"""
UNREVIEWED = """m.status = 'suggested'
    AND NOT EXISTS (SELECT 1 FROM use_request r WHERE r.match_id = m.id)"""
# The record's side and the other side of a pair, per record kind.
SIDES = {"proposal": ("proposal_id", "unit_id"), "unit": ("unit_id", "proposal_id")}
ACTIVE_PROPOSAL = (
    f"m.proposal_id IN (SELECT id FROM proposal WHERE state IN {ACTIVE_PROPOSAL_STATES!r})"
)

Progress = Callable[[int, int], None]


class Result(Protocol):
    proposal_id: int
    unit_id: int
    score: int
    distance_m: int | None
    reasons: list[dict]


def sync(
    session: Session,
    side: str,
    record_id: int,
    municipality_id: int,
    results: Sequence[Result],
    progress: Progress | None = None,
) -> None:
    """Make the stored pairs of the proposal (``side="proposal"``) or unit (``"unit"``)
    ``record_id`` the fitting ``results``."""
    upsert(session, municipality_id, results, progress)
    other = SIDES[side][1]
    drop_stale(session, side, record_id, {getattr(r, other) for r in results})
    expire_matches(session)


def upsert(
    session: Session,
    municipality_id: int,
    results: Sequence[Result],
    progress: Progress | None = None,
) -> None:
    for start in range(0, len(results), STORE_CHUNK):
        rows = [
            {"proposal_id": r.proposal_id, "unit_id": r.unit_id, "score": r.score,
             "reasons": r.reasons, "distance_m": r.distance_m}
            for r in results[start : start + STORE_CHUNK]
        ]  # fmt: skip
        params = {"municipality_id": municipality_id, "rows": json.dumps(rows, ensure_ascii=False)}
        execute(session, UPSERT, params)
        if progress:
            progress(min(start + STORE_CHUNK, len(results)), len(results))


def drop_stale(session: Session, side: str, record_id: int, keep: set[int]) -> None:
    """Pairs of the record whose other side is not in ``keep``: unreviewed ones without a use
    request go, the others are marked as no longer fitting."""
    own, other = SIDES[side]
    stored = run(session, f"SELECT {other} FROM match WHERE {own} = %(id)s", {"id": record_id})
    stale = sorted({row[0] for row in stored} - keep)
    if not stale:
        return
    params = {"id": record_id, "stale": stale}
    these = f"m.{own} = %(id)s AND m.{other} = ANY(%(stale)s::int[])"
    execute(session, f"DELETE FROM match m WHERE {these} AND {UNREVIEWED}", params, prepare=False)
    only_active = f" AND {ACTIVE_PROPOSAL}" if side == "unit" else ""
    mark = f"UPDATE match m SET fits = false WHERE {these} AND m.fits{only_active}"
    execute(session, mark, params, prepare=False)


def drop_unreviewed(session: Session, proposal_id: int) -> None:
    """A proposal no longer published/matched keeps only its reviewed pairs."""
    gone = f"DELETE FROM match m WHERE m.proposal_id = %(id)s AND {UNREVIEWED}"
    execute(session, gone, {"id": proposal_id})
    expire_matches(session)


def expire_matches(session: Session) -> None:
    """Match rows changed behind the ORM's back: reload them on next access."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Match):
            session.expire(obj)
