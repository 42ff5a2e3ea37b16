"""The staff page "Hintergrundaufgaben" and the web side of the background re-matching: who may
see the page (every staff role of the town; initiatives and the public not, other towns' staff
not their jobs), what it shows (state, progress in the reader's number format, attempts, the
error), and a save that queues the re-match of a large idea tells staff so (threshold on both
sides). The jobs here are deferred inside the rolled-back test transaction; that a worker runs
them is tests/integration/test_jobs.py."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from leerstand.models import JobProgress, Match, Proposal
from leerstand.services.jobs import queue as jobs
from tests import factories as f
from tests.conftest import login, post_form
from tests.initiatives import initiative, login_initiative

URL = "/verwaltung/hintergrundaufgaben"


def _queued(session, municipality, subject="Galerie Badeborn", **progress) -> int:
    job_id = jobs.defer(
        session, jobs.REMATCH_PROPOSAL, municipality_id=municipality.id, subject=subject,
        lock=f"proposal-{subject}", proposal_id=1,
    )  # fmt: skip
    for key, value in progress.items():
        setattr(session.get(JobProgress, job_id), key, value)
    session.commit()
    return job_id


def _set_job(session, job_id: int, status: str, attempts: int) -> None:
    session.execute(
        text("UPDATE procrastinate_jobs SET status = :s, attempts = :a WHERE id = :id"),
        {"s": status, "a": attempts, "id": job_id},
    )
    session.commit()


def _row(html: str, job_id: int) -> str:
    start = html.index(f'data-job="{job_id}"')
    return html[start : html.index("</tr>", start)]


def test_staff_see_state_progress_attempts_and_error(staff_client, session, base):
    running = _queued(session, base.municipality, done=12_000, total=80_000)
    _set_job(session, running, "doing", 1)
    failed = _queued(session, base.municipality, subject="Kaputt", error="DataError: kaputt")
    _set_job(session, failed, "failed", 3)
    html = staff_client.get(URL).get_data(as_text=True)
    row = _row(html, running)
    assert "läuft" in row and "12.000 von 80.000 Einheiten" in row
    assert '<td class="num">2</td>' in row  # the second run
    row = _row(html, failed)
    assert "fehlgeschlagen" in row and "DataError: kaputt" in row
    assert '<td class="num">3</td>' in row and "von" not in row  # no progress reported
    assert 'href="/verwaltung/hintergrundaufgaben"' in html  # in the menu


def test_english_numbers_and_words(staff_client, session, base):
    job_id = _queued(session, base.municipality, done=12_000, total=80_000)
    assert staff_client.get("/verwaltung/?lang=en").status_code == 200
    row = _row(staff_client.get(URL).get_data(as_text=True), job_id)
    assert "12,000 of 80,000 units" in row and "waiting" in row


def test_a_waiting_retry_says_from_when(staff_client, session, base):
    job_id = _queued(session, base.municipality)
    session.execute(
        text(
            "UPDATE procrastinate_jobs SET attempts = 1,"
            " scheduled_at = '2026-12-01 10:15+01' WHERE id = :id"
        ),
        {"id": job_id},
    )
    session.commit()
    row = _row(staff_client.get(URL).get_data(as_text=True), job_id)
    assert "neuer Versuch ab 01.12.2026 10:15" in row


def test_viewer_sees_the_page_other_towns_do_not_see_our_jobs(client, session, base):
    job_id = _queued(session, base.municipality)
    login(client, base.viewer.email)
    assert f'data-job="{job_id}"' in client.get(URL).get_data(as_text=True)
    client.get("/logout")
    post_form(client, "/logout", {}, page="/verwaltung/")
    login(client, base.stranger.email)
    html = client.get(URL).get_data(as_text=True)
    assert f'data-job="{job_id}"' not in html and "Noch keine Hintergrundaufgaben." in html


def test_public_and_initiatives_have_no_access(client, session, base):
    _queued(session, base.municipality)
    response = client.get(URL)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    ini = initiative(session, base.municipality, email="ini-jobs@example.org")
    login_initiative(client, ini.email)
    assert client.get(URL).status_code == 403


def _submitted_idea(session, base, units: int) -> Proposal:
    badeborn = base.districts["Badeborn"]
    for _ in range(units):
        f.unit(session, f.building(session, base.municipality, district_id=badeborn.id))
    proposal = f.proposal_in(
        session, base.municipality, state="submitted", location_kind="districts",
        point=None, radius_m=None,
    )  # fmt: skip
    proposal.districts = [badeborn]
    session.commit()
    return proposal


@pytest.mark.parametrize(("threshold", "queued"), [(2, True), (3, False)])
def test_publishing_a_large_idea_queues_its_matches(
    throwaway_app, session, base, threshold, queued
):
    proposal = _submitted_idea(session, base, units=3)
    title, client = proposal.title, throwaway_app(MATCH_JOB_THRESHOLD=threshold).test_client()
    login(client, base.staff.email)
    url = f"/verwaltung/ideen-pruefen/{proposal.id}"
    response = post_form(client, url + "/veroeffentlichen", {}, page=url, follow_redirects=True)
    html = response.get_data(as_text=True)
    told = "Die Vorschläge werden im Hintergrund berechnet" in html
    matches = session.query(Match).filter_by(proposal_id=proposal.id).count()
    jobs_queued = session.query(JobProgress).filter_by(subject=title).count()
    assert (told, matches, jobs_queued) == ((True, 0, 1) if queued else (False, 3, 0))
