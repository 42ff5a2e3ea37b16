"""Two concurrent answers with one secret record exactly one. These tests need committed rows
(each answer runs in its own connection and transaction), so they do not use the rolled-back
test transaction: the ``committed`` fixture builds the data for real and removes it after."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from leerstand.db import AppSession, db
from leerstand.models import ContactEvent, Municipality, UseRequest
from leerstand.services.use_requests import answer as answer_service
from leerstand.services.use_requests import send as service
from tests import factories as f
from tests.conftest import csrf_token, make_app, truncate_volatile


@pytest.fixture
def committed(session):
    """(app, engine, request id, secret) with every row committed; cleaned up afterwards."""
    live = make_app()
    engine = live.extensions["leerstand_db"]
    # leave the rolled-back test transaction: sessions of this test use the live engine
    db.session.remove()
    db.sessionmaker.configure(bind=None, join_transaction_mode="conditional_savepoint")
    truncate_volatile(engine)
    try:
        with live.app_context():
            municipality = db.session.scalar(
                select(Municipality).where(Municipality.ags == "15085040")
            )
            world = f.request_world(db.session, municipality)
            (issued,) = service.send_requests(
                db.session, world.match, None, {world.owner.id: "email"}, "", _now(), 30, 14
            )
            db.session.commit()
            request_id, secret = issued.request.id, issued.secret
            db.session.remove()
        yield live, engine, request_id, secret
    finally:
        db.session.remove()
        truncate_volatile(engine)
        engine.dispose()


def _now() -> datetime:
    return datetime.now(UTC)


def _answer_rows(engine, request_id: int) -> tuple[int, int]:
    with engine.connect() as conn:
        answered = conn.scalar(
            text("SELECT count(*) FROM use_request WHERE id = :id AND answered_at IS NOT NULL"),
            {"id": request_id},
        )
        incoming = conn.scalar(
            text("SELECT count(*) FROM contact_event WHERE direction = 'in' AND channel = 'online'")
        )
    return answered, incoming


def test_two_concurrent_posts_record_exactly_one_answer(committed):
    live, engine, request_id, secret = committed
    clients = [live.test_client() for _ in range(2)]
    tokens = [csrf_token(c.get(f"/antwort/{secret}").get_data(as_text=True)) for c in clients]
    barrier = threading.Barrier(2)
    statuses: list[int] = []
    answers = ["yes", "no"]

    def post(i: int) -> None:
        barrier.wait()
        response = clients[i].post(
            f"/antwort/anfrage/{request_id}",
            data={"csrf_token": tokens[i], "answer": answers[i], "message": f"Antwort {i}"},
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(statuses) == [200, 404]
    assert _answer_rows(engine, request_id) == (1, 1)


def test_second_answer_waits_for_the_row_lock_and_is_refused(committed):
    live, engine, request_id, secret = committed
    data = answer_service.AnswerInput("yes", "", None, None, {})
    first = AppSession(bind=engine, expire_on_commit=False)
    second = AppSession(bind=engine, expire_on_commit=False)
    outcome: dict[str, object] = {}

    def late_answer() -> None:
        try:
            answer_service.answer(second, secret, data, _now())
            second.commit()
            outcome["result"] = "answered"
        except answer_service.InvalidSecret:
            second.rollback()
            outcome["result"] = "invalid"

    with live.app_context():
        try:
            answer_service.answer(first, secret, data, _now())  # holds the row lock
            thread = threading.Thread(target=late_answer)
            thread.start()
            time.sleep(0.5)
            assert thread.is_alive(), "the second answer must wait for the first"
            first.commit()
            thread.join(30)
        finally:
            first.close()
            second.close()
    assert outcome["result"] == "invalid"
    assert _answer_rows(engine, request_id) == (1, 1)
    with AppSession(bind=engine) as check:
        req = check.get(UseRequest, request_id)
        assert req.answer == "yes"
        events = check.scalars(select(ContactEvent).where(ContactEvent.case_id == req.case_id))
        assert [e.direction for e in events].count("in") == 1
