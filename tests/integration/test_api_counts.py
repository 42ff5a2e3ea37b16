"""``numberMatched`` kept per filter until the public data changes, and deep pages by ``offset``
started from the count's checkpoints (``services.public.counts``), in ``/api/units.geojson`` and
the OGC API: the same features as a page counted from the start, on both sides of each
checkpoint; a committed change moves the counter and the next answer counts again; an
unchanged request does not count at all; GDAL-style paging by ``next`` links returns every
feature exactly once.

The counter moves at COMMIT, so these tests commit for real: 2,500 units of the town's own
(public), every 10th not publishable, so the public ids are those not divisible by 10 – the
public unit number i (from 0) has the id (i // 9) · 10 + i % 9 + 1; 2,250 are public."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy import event, text

from leerstand.db import db
from leerstand.services.public import counts
from tests.conftest import make_app, truncate_volatile

UNITS = "/api/units.geojson"
OGC = "/ogc/collections/units/items"
FILL = [
    """INSERT INTO owner (municipality_id, kind, name, contact_person, street, postcode, city,
        email, phone, preferred_channel, notes, is_municipality, version)
    SELECT id, 'public', 'Stadt', '', '', '', '', '', '', 'letter', '', true, 1
    FROM municipality WHERE ags = '15085040'""",
    """INSERT INTO building (municipality_id, street, house_number, postcode, place, location,
        listed, notes, version)
    SELECT m.id, 'Teststraße', g::text, '06493', 'Ballenstedt',
        ST_SetSRID(ST_MakePoint(11.20 + (g % 50) * 0.001, 51.70 + (g / 50) * 0.0005), 4326),
        false, '', 1
    FROM (SELECT id FROM municipality WHERE ags = '15085040') m, generate_series(1, 2500) g""",
    "INSERT INTO ownership (building_id, owner_id, role) SELECT id, 1, 'owner' FROM building",
    """INSERT INTO unit (municipality_id, building_id, name, kind, floor, area_m2, street_level,
        step_free, shop_window, power, water, wc, heating, vacancy_state, owner_expectation,
        suitable_uses, publishable, public_description, internal_notes, version)
    SELECT municipality_id, id, 'EG', 'shop', 'EG', 50, true, false, false, true, true, true,
        true, 'vacant', 'costs_only', '{}', id % 10 <> 0, '', 'intern', 1
    FROM building ORDER BY id""",
]


@pytest.fixture(scope="module")
def live(app):
    """An app on 2,500 committed units (ids 1…2500); emptied afterwards."""
    live_app = make_app()
    engine = live_app.extensions["leerstand_db"]
    truncate_volatile(engine)
    with engine.begin() as conn:
        for statement in FILL:
            conn.execute(text(statement))
    counts.clear()
    yield live_app
    truncate_volatile(engine)
    counts.clear()
    engine.dispose()


@pytest.fixture(autouse=True)
def _own_transactions(session):
    """Requests in transactions of their own (not the rolled-back test transaction)."""
    db.session.remove()
    db.sessionmaker.configure(bind=None, join_transaction_mode="conditional_savepoint")
    yield
    db.session.remove()


def _commit(app, sql: str) -> None:
    with app.extensions["leerstand_db"].begin() as conn:
        conn.execute(text(sql))


@pytest.fixture
def restored(live):
    """Unit 1111 public again after a test that withdrew it."""
    yield live
    _commit(live, "UPDATE unit SET publishable = true WHERE id = 1111")


def _page(client, url: str) -> tuple[list[int], int, object]:
    response = client.get(url, headers={"Accept": "application/geo+json"})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    doc = response.get_json()
    return [feature["id"] for feature in doc["features"]], doc["numberMatched"], response


@pytest.mark.parametrize("base", [UNITS, OGC])
@pytest.mark.parametrize(
    ("offset", "ids"),
    [
        (0, [1, 2, 3]),
        (998, [1109, 1111, 1112]),  # the page crosses the first checkpoint
        (999, [1111, 1112, 1113]),
        (1000, [1112, 1113, 1114]),  # just after it
        (1001, [1113, 1114, 1115]),
        (1999, [2222, 2223, 2224]),
        (2000, [2223, 2224, 2225]),
        (2248, [2498, 2499]),  # the last page
        (2250, []),  # beyond the end
    ],
)
def test_deep_offset_pages_are_the_counted_ones(live, base, offset, ids):
    client = live.test_client()
    for _ in range(2):  # counted, then from the kept count and its checkpoints
        got, matched, _response = _page(client, f"{base}?limit=3&offset={offset}")
        assert (got, matched) == (ids, 2250)


def _statements(app, fn) -> list[str]:
    seen: list[str] = []

    def spy(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()))

    engine = app.extensions["leerstand_db"]
    event.listen(engine, "before_cursor_execute", spy)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", spy)
    return seen


def _counting(statement: str) -> bool:
    """A statement counting the matched ids (plain, or with the checkpoints)."""
    return statement.startswith(("SELECT count(*) FROM", "SELECT cardinality(a)"))


@pytest.mark.parametrize("url", [f"{UNITS}?limit=5", f"{UNITS}?limit=5&offset=1500"])
def test_an_unchanged_filter_is_counted_once(live, url):
    counts.clear()
    client = live.test_client()
    first = _statements(live, lambda: client.get(url).get_data())
    again = _statements(live, lambda: client.get(url).get_data())
    assert any(_counting(s) for s in first), first
    assert not any(_counting(s) for s in again), again
    # the other side: another filter is counted on its own
    other = _statements(live, lambda: client.get(f"{url}&kind=shop").get_data())
    assert any(_counting(s) for s in other), other


@pytest.mark.parametrize("base", [UNITS, OGC])
def test_a_change_is_counted_at_the_next_answer(restored, base):
    client = restored.test_client()
    assert _page(client, f"{base}?limit=3&offset=999")[:2] == ([1111, 1112, 1113], 2250)
    _commit(restored, "UPDATE unit SET publishable = false WHERE id = 1111")
    assert _page(client, f"{base}?limit=3&offset=999")[:2] == ([1112, 1113, 1114], 2249)
    assert _page(client, f"{base}?limit=3")[1] == 2249


def test_a_rolled_back_change_keeps_the_count(live):
    client = live.test_client()
    assert _page(client, f"{UNITS}?limit=3&offset=999")[:2] == ([1111, 1112, 1113], 2250)
    with live.extensions["leerstand_db"].connect() as conn:
        conn.execute(text("UPDATE unit SET publishable = false WHERE id = 1111"))
        conn.rollback()
    assert _page(client, f"{UNITS}?limit=3&offset=999")[:2] == ([1111, 1112, 1113], 2250)


@pytest.mark.parametrize("base", [UNITS, OGC])
def test_next_links_return_every_feature_exactly_once(live, base):
    client = live.test_client()
    url, seen, pages = f"{base}?limit=1000", [], 0
    while url:
        got, matched, response = _page(client, url)
        assert matched == 2250
        seen += got
        pages += 1
        url = _next(response)
    assert pages == 3
    assert len(seen) == 2250 and len(set(seen)) == 2250
    assert seen == sorted(seen) and seen[0] == 1 and seen[-1] == 2499
    assert not any(unit_id % 10 == 0 for unit_id in seen)


def _next(response) -> str | None:
    """The ``next`` link of a GeoJSON API answer (Link header) or an OGC one (body)."""
    doc = response.get_json()
    if "links" in doc:
        hrefs = [link["href"] for link in doc["links"] if link["rel"] == "next"]
    else:
        hrefs = [
            part.split(">")[0].lstrip(" <")
            for part in response.headers.get("Link", "").split(",")
            if 'rel="next"' in part
        ]
    if not hrefs:
        return None
    parts = urlsplit(hrefs[0])
    return f"{parts.path}?{parts.query}"
