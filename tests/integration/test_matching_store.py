"""Storing an idea's matches set-based (``matching.store``): the same matches as before the
change on a hand-made Ortsteil world (ids by label, scores written out), stored in chunks with
the progress reported per chunk; stale pairs dropped (unreviewed) or kept as no longer fitting
(reviewed, or with a use request); pairs that stay keep their ``created_at``. And when a save
queues the re-match as a background job instead (more units in the place than the threshold)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select, text, update

from leerstand.models import JobProgress, Match
from leerstand.services.matching import service as matching
from leerstand.services.matching import store
from tests import factories as f
from tests.conftest import post_form

# label: (unit attributes); all in Badeborn unless said otherwise
UNITS = {
    "laden80": {"area_m2": Decimal("80.0")},
    "laden45": {"area_m2": Decimal("45.0"), "power": True, "wc": True},
    "halle140": {"kind": "hall", "area_m2": Decimal("140.0"), "power": True},
    "buero60": {"kind": "office", "area_m2": Decimal("60.0"), "heating": True},
    "laden170": {"area_m2": Decimal("170.0")},  # 150 m² + 15 % = 172.5: still fits
    "laden175": {"area_m2": Decimal("175.0")},  # beyond 172.5 m²: no match
    "wohnung": {"kind": "flat", "area_m2": Decimal("70.0")},  # no exhibition in a flat
    "besetzt": {"vacancy_state": "occupied"},
    "rieder": {"district": "Rieder"},  # another Ortsteil
}
# what the former storing stored (the same candidate SQL and score; written out from its run)
EXPECTED_SCORES = {"laden80": 47, "laden45": 62, "halle140": 62, "buero60": 47, "laden170": 38}


@pytest.fixture
def world(session, base):
    units = {}
    for label, attrs in UNITS.items():
        attrs = dict(attrs)
        district = base.districts[attrs.pop("district", "Badeborn")]
        building = f.building(session, base.municipality, district_id=district.id)
        units[label] = f.unit(session, building, **attrs)
    proposal = f.proposal_in(
        session, base.municipality, location_kind="districts", point=None, radius_m=None,
        area_min=Decimal(40), area_max=Decimal(150), power=True,
    )  # fmt: skip
    proposal.districts = [base.districts["Badeborn"]]
    session.flush()
    return proposal, units


def stored(session, proposal) -> dict[int, Match]:
    stmt = select(Match).where(Match.proposal_id == proposal.id)
    return {m.unit_id: m for m in session.scalars(stmt.execution_options(populate_existing=True))}


def by_label(units, rows: dict[int, Match]) -> dict[str, int]:
    labels = {unit.id: label for label, unit in units.items()}
    return {labels[unit_id]: m.score for unit_id, m in rows.items()}


def test_large_idea_stores_the_same_matches_in_chunks(session, world, monkeypatch):
    proposal, units = world
    monkeypatch.setattr(store, "STORE_CHUNK", 2)
    reports = []
    count = matching.rematch_proposal(session, proposal, progress=lambda *r: reports.append(r))
    assert count == 5
    assert reports == [(2, 5), (4, 5), (5, 5)]
    rows = stored(session, proposal)
    assert by_label(units, rows) == EXPECTED_SCORES
    assert all(m.fits and m.status == "suggested" for m in rows.values())


def test_rematch_drops_stale_pairs_and_keeps_created_at(session, base, world):
    proposal, units = world
    matching.rematch_proposal(session, proposal)
    old = datetime(2025, 1, 2, 3, 4, tzinfo=UTC)
    session.execute(
        update(Match)
        .where(Match.proposal_id == proposal.id)
        .values(created_at=old, computed_at=old)
    )
    rows = stored(session, proposal)
    reviewed = rows[units["laden45"].id]
    matching.set_status(session, reviewed, "shortlisted", base.staff.id)
    requested = rows[units["halle140"].id]
    f.use_request(session, requested, f.owner(session, base.municipality))
    for label in ("laden80", "laden45", "halle140"):  # none of them fits any more
        units[label].vacancy_state = "occupied"
    session.flush()

    assert matching.rematch_proposal(session, proposal) == 2
    rows = stored(session, proposal)
    assert by_label(units, rows) == {
        "laden45": EXPECTED_SCORES["laden45"],
        "halle140": EXPECTED_SCORES["halle140"],
        "buero60": EXPECTED_SCORES["buero60"],
        "laden170": EXPECTED_SCORES["laden170"],
    }
    assert not rows[units["laden45"].id].fits and not rows[units["halle140"].id].fits
    assert rows[units["buero60"].id].fits and rows[units["laden170"].id].fits
    assert {m.created_at for m in rows.values()} == {old}
    assert rows[units["buero60"].id].computed_at > old  # re-stored
    assert rows[units["laden45"].id].computed_at == old  # only marked as no longer fitting


def test_stale_pairs_found_the_same_when_the_statement_is_prepared(session, world):
    """psycopg prepares a statement after its fifth run: the result stays the same."""
    proposal, units = world
    for _ in range(7):
        assert matching.rematch_proposal(session, proposal) == 5
    units["laden80"].vacancy_state = "occupied"
    session.flush()
    assert matching.rematch_proposal(session, proposal) == 4
    assert units["laden80"].id not in stored(session, proposal)


def queued(session, proposal) -> list[tuple]:
    return session.execute(
        text(
            "SELECT j.task_name, j.status::text, j.args, j.lock, p.subject, p.municipality_id"
            " FROM procrastinate_jobs j JOIN job_progress p ON p.job_id = j.id"
            " WHERE j.args ->> 'proposal_id' = :id"
        ),
        {"id": str(proposal.id)},
    ).all()


def test_save_queues_a_job_above_the_threshold(session, base, world):
    proposal, _units = world
    assert matching.units_in_place(session, proposal) == 8  # all of Badeborn's, fitting or not
    assert matching.units_in_place(session, proposal, cap=3) == 3  # counting stops there
    matching.background(session, 7)
    matching.proposal_changed(session, proposal)
    assert stored(session, proposal) == {}
    assert matching.pop_deferred(session) == {proposal.id}
    job = ("rematch_proposal", "todo", {"proposal_id": proposal.id}, f"proposal-{proposal.id}")
    assert queued(session, proposal) == [(*job, "Idee", base.municipality.id)]
    matching.proposal_changed(session, proposal)  # one waits already: not a second one
    assert len(queued(session, proposal)) == 1
    assert session.scalar(select(JobProgress.done).where(JobProgress.task == job[0])) == 0


def test_save_stores_at_the_threshold(session, world):
    proposal, _units = world
    matching.background(session, 8)
    matching.proposal_changed(session, proposal)
    assert len(stored(session, proposal)) == 5
    assert matching.pop_deferred(session) == set() and queued(session, proposal) == []


def test_without_background_every_save_stores(session, world):
    proposal, _units = world
    matching.proposal_changed(session, proposal)
    assert len(stored(session, proposal)) == 5 and queued(session, proposal) == []


@pytest.mark.parametrize(
    ("threshold", "flashed", "matches", "jobs"),
    [
        (7, "Die Vorschläge werden im Hintergrund berechnet", 0, 1),
        (8, "Treffer neu berechnet: 5 passende Einheiten.", 5, 0),
    ],
)
def test_the_staff_button_queues_a_large_place_too(
    app, staff_client, session, world, monkeypatch, threshold, flashed, matches, jobs
):
    proposal, _units = world
    session.commit()
    monkeypatch.setitem(app.config, "MATCH_JOB_THRESHOLD", threshold)
    page = f"/verwaltung/ideen/{proposal.id}/treffer"
    response = post_form(staff_client, f"{page}/neu-berechnen", {}, page=page)
    assert response.status_code == 302
    assert flashed in staff_client.get(page).get_data(as_text=True)
    assert len(stored(session, proposal)) == matches
    assert len(queued(session, proposal)) == jobs
