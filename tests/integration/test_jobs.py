"""Background jobs in a real worker (procrastinate's, run in-process on the test database):
a job deferred while no worker runs waits and runs when one starts, also in a new app (a
restart); a failing job is retried and then shown as failed with its error; the job of a worker
that died while running it is given back to the queue and runs again. The jobs and their data
are committed for real (the worker has connections of its own), so these tests leave the
rolled-back test transaction and clean up after themselves."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select, text

from leerstand.cli.jobs import configure_runtime, opened, run_async
from leerstand.db import db
from leerstand.models import JobProgress, Match, Municipality, Proposal
from leerstand.services.jobs import queue as jobs
from leerstand.services.jobs import tasks
from leerstand.services.matching import service as matching
from tests import factories as f
from tests.conftest import login, make_app
from tests.integration.jobs_world import job_state, work, worker_takes_a_job_and_dies


def ortsteil_idea(app, units: int = 3) -> int:
    """A published idea for Badeborn with ``units`` fitting units there, committed; its id."""
    with app.app_context():
        town = db.session.scalar(select(Municipality).where(Municipality.ags == "15085040"))
        badeborn = next(d for d in town.districts if d.name == "Badeborn")
        for _ in range(units):
            f.unit(db.session, f.building(db.session, town, district_id=badeborn.id))
        proposal = f.proposal_in(
            db.session, town, location_kind="districts", point=None, radius_m=None,
            title="Jugendraum Badeborn", area_min=Decimal(40), area_max=Decimal(150),
        )  # fmt: skip
        proposal.districts = [badeborn]
        db.session.commit()
        return proposal.id


def match_count(app, proposal_id: int) -> int:
    with app.app_context():
        stmt = select(Match).where(Match.proposal_id == proposal_id)
        count = len(db.session.scalars(stmt).all())
        db.session.remove()
    return count


def test_a_job_deferred_without_worker_waits_and_survives_a_restart(live):
    proposal_id = ortsteil_idea(live)
    with live.app_context():
        matching.background(db.session, 2)  # 3 units in Badeborn: more than 2
        matching.proposal_changed(db.session, db.session.get(Proposal, proposal_id))
        db.session.commit()
        db.session.remove()
    assert job_state(live) == [("rematch_proposal", "todo", 0, 0, None, None)]
    assert match_count(live, proposal_id) == 0
    live.extensions["leerstand_db"].dispose()  # the app goes away; the job stays

    restarted = make_app()
    try:
        work(restarted)
        assert job_state(restarted) == [("rematch_proposal", "succeeded", 1, 3, 3, None)]
        assert match_count(restarted, proposal_id) == 3
    finally:
        restarted.extensions["leerstand_db"].dispose()


def test_a_failing_job_is_retried_then_failed_with_its_error(live):
    with live.app_context():
        town = db.session.scalar(select(Municipality).where(Municipality.ags == "15085040"))
        # a job whose argument the database refuses: every run fails the same way
        jobs.defer(
            db.session, jobs.REMATCH_PROPOSAL, municipality_id=town.id, subject="kaputt",
            lock="proposal-kaputt", proposal_id="kaputt",
        )  # fmt: skip
        db.session.commit()
        db.session.remove()
    work(live, max_attempts=2)
    ((task, status, attempts, done, total, error),) = job_state(live)
    assert (task, status, attempts, done, total) == ("rematch_proposal", "failed", 2, 0, None)
    assert error.startswith("DataError: ") and 'integer: "kaputt"' in error


def _dies_while_running(app, proposal_id: int) -> None:
    """Defer the idea's job; a worker takes it and dies (its heartbeat stopped a minute ago)."""
    with app.app_context():
        jobs.defer_rematch_proposal(db.session, db.session.get(Proposal, proposal_id))
        db.session.commit()
        db.session.remove()
    worker_takes_a_job_and_dies(app, jobs.MATCHING)


def test_the_job_of_a_dead_worker_runs_again(live):
    proposal_id = ortsteil_idea(live, units=2)
    _dies_while_running(live, proposal_id)
    assert job_state(live) == [("rematch_proposal", "doing", 0, 0, None, None)]
    work(live)
    assert job_state(live) == [("rematch_proposal", "succeeded", 2, 2, 2, None)]
    assert match_count(live, proposal_id) == 2


def test_the_job_of_a_dead_worker_fails_after_its_last_attempt(live):
    proposal_id = ortsteil_idea(live, units=2)
    _dies_while_running(live, proposal_id)
    work(live, max_attempts=1)
    error = "WorkerLost: the worker stopped while running the job"
    assert job_state(live) == [("rematch_proposal", "failed", 1, 0, None, error)]
    assert match_count(live, proposal_id) == 0


def test_staff_see_a_running_job_with_its_progress(live):
    """The page shows what the job reported while its own transaction is still open."""
    proposal_id = ortsteil_idea(live, units=1)
    with live.app_context():
        job_id = jobs.defer_rematch_proposal(db.session, db.session.get(Proposal, proposal_id))
        db.session.commit()
        db.session.remove()
    configure_runtime(live, 3, 0)
    from leerstand.services.jobs import runtime

    client = live.test_client()
    with runtime.running(job_id) as (job_session, progress):
        # the job's own time limits, longer than a web request's
        assert job_session.execute(text("SHOW statement_timeout")).scalar() == "30min"
        progress(12_000, 80_000)
        login(client, "staff@test.example")
        html = client.get("/verwaltung/hintergrundaufgaben").get_data(as_text=True)
        assert "12.000 von 80.000 Einheiten" in html
        assert 'value="12000"' in html and 'max="80000"' in html
        assert "Jugendraum Badeborn" in html and "Treffer einer Idee berechnen" in html


def test_rematch_command_queues_one_job_per_town_and_the_worker_runs_it(live):
    proposal_id = ortsteil_idea(live, units=2)
    runner = live.test_cli_runner()
    first = runner.invoke(args=["rematch", "--background"])
    assert first.exit_code == 0, first.output
    assert "Ballenstedt: Aufgabe " in first.output
    again = runner.invoke(args=["rematch", "--background"])
    assert "Ballenstedt: wartet schon" in again.output
    towns = job_state(live)
    assert len(towns) == 2  # Ballenstedt and the other test town, one job each
    work(live)
    # Ballenstedt has the one idea, the other town none
    assert sorted(job_state(live)) == [
        ("rematch_town", "succeeded", 1, 0, 0, None),
        ("rematch_town", "succeeded", 1, 1, 1, None),
    ]
    assert match_count(live, proposal_id) == 2


def test_jobs_ended_more_than_30_days_ago_are_forgotten(live):
    ids = {}
    for name in ("old", "recent", "waiting"):
        proposal_id = ortsteil_idea(live, units=1)
        with live.app_context():
            proposal = db.session.get(Proposal, proposal_id)
            ids[name] = jobs.defer_rematch_proposal(db.session, proposal)
            db.session.commit()
            db.session.remove()
    with live.app_context():
        ended = "UPDATE procrastinate_jobs SET status = 'failed' WHERE id = ANY(:ids)"
        db.session.execute(text(ended), {"ids": [ids["old"], ids["recent"]]})
        event = (  # when it ended: the queue's events of the job (deferred, failed)
            "UPDATE procrastinate_events SET at = now() - make_interval(days => :days)"
            " WHERE job_id = :id"
        )
        db.session.execute(text(event), {"id": ids["old"], "days": 31})
        db.session.execute(text(event), {"id": ids["recent"], "days": 29})
        db.session.commit()
        db.session.remove()
    configure_runtime(live, 3, 0)

    async def prune():
        async with opened(live) as queue:
            await tasks.prune(queue)

    run_async(prune)
    with live.app_context():
        left = db.session.scalars(select(JobProgress.job_id).order_by(JobProgress.job_id)).all()
        queued = db.session.scalars(text("SELECT id FROM procrastinate_jobs ORDER BY id")).all()
        db.session.remove()
    assert left == queued == [ids["recent"], ids["waiting"]]
