"""ETags of the public API from the change counter (migration 0018): unchanged data → 304 with
no statement but the counter's; every kind of write to the public data, committed, gives a new
tag; writes elsewhere and rolled-back writes keep it; the query, the language and BASE_URL are
part of the tag; two writers do not wait for each other.

The counter moves at COMMIT, so these tests commit for real (not in the rolled-back test
transaction): the ``committed`` fixture builds the data and empties the tables afterwards."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, select, text

from leerstand.dates import local_today
from leerstand.db import db
from leerstand.models import Consent, District, InterimUse, Municipality, Proposal, Unit, User
from leerstand.services.public.geojson import unit_query
from leerstand.services.public.params import PublicFilter
from tests import factories as f
from tests.conftest import make_app, truncate_volatile

UNITS = "/api/units.geojson"


@pytest.fixture
def committed(session):
    """(app, {name: id}) with a public world committed: a unit whose owner consented ("shop"),
    one of the town's own ("hall"), a published idea; emptied afterwards."""
    live = make_app()
    engine = live.extensions["leerstand_db"]
    db.session.remove()  # leave the rolled-back test transaction
    db.sessionmaker.configure(bind=None, join_transaction_mode="conditional_savepoint")
    truncate_volatile(engine)
    try:
        with live.app_context():
            yield live, _world(db.session)
    finally:
        db.session.remove()
        truncate_volatile(engine)
        engine.dispose()


def _world(s) -> dict:
    muni = s.scalar(select(Municipality).where(Municipality.ags == "15085040"))
    owner = f.owner(s, muni)
    f.consent(s, owner)
    shop_building = f.building(s, muni, district_id=s.scalar(select(District.id).limit(1)))
    f.ownership(s, shop_building, owner)
    town = f.owner(s, muni, is_municipality=True)
    hall_building = f.building(s, muni, lonlat=(11.2439, 51.7619))
    f.ownership(s, hall_building, town)
    ids = {
        "shop": f.unit(s, shop_building, publishable=True).id,
        "hall": f.unit(s, hall_building, kind="hall", publishable=True).id,
        "owner": owner.id,
        "shop_building": shop_building.id,
        "town": town.id,
    }
    ids["idea"] = f.proposal(s, f.initiative(s, muni)).id
    s.commit()
    return ids


def _tag(client, url: str = UNITS, **headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.headers["ETag"]


def _statements(app, fn) -> list[str]:
    """The statements ``fn()`` runs through the app's engine."""
    seen: list[str] = []
    engine = app.extensions["leerstand_db"]

    def spy(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", spy)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", spy)
    return seen


def test_unchanged_data_is_a_304_without_building_the_body(committed):
    app, _ids = committed
    client = app.test_client()
    tag = _tag(client)
    answers = []
    ran = _statements(
        app, lambda: answers.append(client.get(UNITS, headers={"If-None-Match": tag}))
    )
    assert answers[0].status_code == 304 and answers[0].get_data() == b""
    assert answers[0].headers["ETag"] == tag
    assert [s.split()[:4] for s in ran] == [["SELECT", "counter", "FROM", "public_change"]]
    # the other side: without If-None-Match the page is built (bounds, then the features)
    full = _statements(app, lambda: client.get(UNITS).get_data())
    assert any("row_number() OVER" in s for s in full), full


@pytest.mark.parametrize("url", ["/api/proposals.geojson", "/api/districts.geojson"])
def test_other_public_collections_answer_304_too(committed, url):
    app, _ids = committed
    client = app.test_client()
    tag = _tag(client, url)
    assert client.get(url, headers={"If-None-Match": tag}).status_code == 304


def _edit_unit(s, ids):
    s.get(Unit, ids["shop"]).area_m2 = 120


def _withdraw_consent(s, ids):
    consent = s.scalar(select(Consent).where(Consent.owner_id == ids["owner"]))
    consent.withdrawn_at = datetime.now(UTC)


def _plan_interim_use(s, ids):
    unit = s.get(Unit, ids["hall"])
    unit.vacancy_state = "interim_use"
    s.add(
        InterimUse(
            municipality_id=unit.municipality_id,
            unit_id=unit.id,
            starts_on=local_today() + timedelta(days=10),
            ends_on=local_today() + timedelta(days=60),
        )
    )


def _move_building(s, ids):
    s.execute(
        text("UPDATE building SET house_number = '99a' WHERE id = :id"),
        {"id": ids["shop_building"]},
    )


def _drop_ownership(s, ids):
    s.execute(text("DELETE FROM ownership WHERE owner_id = :id"), {"id": ids["town"]})


def _touch_district(s, ids):
    """The base data's Ortsteile stay as they are: an UPDATE that keeps the name is a write."""
    s.execute(text("UPDATE district SET name = name WHERE id = (SELECT min(id) FROM district)"))


def _reject_idea(s, ids):
    s.get(Proposal, ids["idea"]).state = "rejected"


WRITES = [
    _edit_unit, _withdraw_consent, _plan_interim_use, _move_building, _drop_ownership,
    _touch_district, _reject_idea,
]  # fmt: skip


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.__name__.strip("_"))
def test_every_kind_of_write_gives_a_new_etag(committed, write):
    app, ids = committed
    client = app.test_client()
    before = {url: _tag(client, url) for url in (UNITS, "/api/proposals.geojson")}
    write(db.session, ids)
    db.session.commit()
    for url, tag in before.items():
        response = client.get(url, headers={"If-None-Match": tag})
        assert response.status_code == 200, url
        assert response.headers["ETag"] != tag


def test_writes_elsewhere_and_rolled_back_writes_keep_the_etag(committed):
    app, ids = committed
    client = app.test_client()
    tag = _tag(client)
    user = db.session.scalar(select(User).limit(1))
    user.last_login_at = datetime.now(UTC)  # not public data
    db.session.commit()
    assert client.get(UNITS, headers={"If-None-Match": tag}).status_code == 304
    _edit_unit(db.session, ids)
    db.session.flush()
    db.session.rollback()  # a write that never commits
    assert client.get(UNITS, headers={"If-None-Match": tag}).status_code == 304


def test_query_language_and_base_url_are_part_of_the_etag(committed, throwaway_app):
    app, _ids = committed
    client = app.test_client()
    plain = _tag(client)
    assert _tag(client) == plain  # same data, same request: same tag
    others = {
        _tag(client, f"{UNITS}?kind=shop"),
        _tag(client, f"{UNITS}?limit=1"),
        _tag(client, f"{UNITS}?limit=1&offset=1"),
        _tag(client, f"{UNITS}?limit=1&after=1"),
        _tag(client, f"{UNITS}?lang=en"),
        _tag(throwaway_app(BASE_URL="https://leerstand.example.org").test_client()),
    }
    assert len(others) == 6 and plain not in others


def test_the_day_is_part_of_the_fingerprint():
    """A planned interim use reads "running" from its first day: the tag changes daily."""
    extra = {"kinds": "{}", "states": "{}", "terms": "{}", "planned_label": "", "unit_url": ""}
    extra["photo_url"] = ""
    first, second = (
        unit_query(PublicFilter(), extra, today=day).fingerprint()
        for day in (date(2026, 12, 1), date(2026, 12, 2))
    )
    assert first != second
    assert unit_query(PublicFilter(), extra, today=date(2026, 12, 1)).fingerprint() == first


def test_two_writers_do_not_wait_for_each_other(committed):
    """The counter row is locked only at commit: a writer whose transaction is open does not
    hold up another one's whole transaction; both commits move the counter."""
    app, ids = committed
    engine = app.extensions["leerstand_db"]
    counter = "SELECT counter FROM public_change"
    with engine.connect() as reader:
        start = reader.execute(text(counter)).scalar()
    with engine.connect() as first, engine.connect() as second:
        first.begin()
        first.execute(text("UPDATE unit SET area_m2 = 90 WHERE id = :id"), {"id": ids["shop"]})
        second.begin()
        second.execute(text("SET LOCAL lock_timeout = '2s'"))
        second.execute(text("UPDATE unit SET area_m2 = 95 WHERE id = :id"), {"id": ids["hall"]})
        second.commit()  # would time out if the first writer held the counter
        after_second = second.execute(text(counter)).scalar()
        first.commit()
        after_first = first.execute(text(counter)).scalar()
    assert len({start, after_second, after_first}) == 3
