"""Pages of a FeatureCollection: where a page starts and ends, and its text, streamed.

``/api/*.geojson`` pages by ``offset`` or by key (``after``: the features with an id greater than
it, the ``next`` link's way). ``page_bounds`` finds the page's first and last id and whether more
follow from the ids alone (``matched``: the ids of every row passing the filters; an index walk
that stops at the page's end, no JSON built for skipped rows) and counts ``numberMatched`` only
when the page does not already tell it; a page deep by ``offset`` counts in the same pass.
``stream`` then builds the features of the ids ``first``…``last`` that pass the filters
(``features``: compact JSON text per row, in id order, at most ``%(limit)s``) and yields the
collection in chunks of ``CHUNK`` features: psycopg's chunked-rows mode, so that neither the
database nor the worker ever holds the whole body. Flask runs a streamed answer's generator after
the request's teardown (``stream_with_context`` pushes the contexts again): it then works in a
new transaction of the scoped session, which the second teardown at its end rolls back.
``numberReturned`` is written after the features, counted as they were sent.

``paged_collection(matched, features)`` is the older one-statement form the OGC API builds on:
``matched`` selects the ids, ``features`` builds ``(id, feature)`` for the rows of the CTE ``page``
(``%(limit)s``/``%(offset)s`` applied); the statement returns the finished text and the number
matched."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from psycopg.adapt import Loader
from sqlalchemy.orm import Session

CHUNK = 5000
# JIT compiling costs more than a page's JSON ever saves; the page's ids and columns are sorted
# in memory before the features are built (``features`` ends in LIMIT: PostgreSQL then builds
# the text after the sort instead of sorting the built text); custom plans always (a generic plan
# would parse the label JSON parameters once per row). One round trip, for this transaction.
SETTINGS = """SELECT set_config('jit', 'off', true), set_config('work_mem', '32MB', true),
    set_config('plan_cache_mode', 'force_custom_plan', true)"""

PAGED_COLLECTION = """WITH matched AS ({matched}),
    total AS (SELECT count(*) AS n FROM matched),
    page AS (SELECT id FROM matched ORDER BY id LIMIT %(limit)s OFFSET %(offset)s)
SELECT json_build_object('type', 'FeatureCollection',
    'numberMatched', (SELECT n FROM total), 'numberReturned', count(f.id){members},
    'features', coalesce(json_agg(f.feature ORDER BY f.id), '[]'::json))::text,
    (SELECT n FROM total)
FROM ({features}) AS f"""

# the page: up to limit + 1 ids (the extra one says that more follow), numbered
BOUNDS = """WITH page AS (SELECT m.id FROM ({matched}) m WHERE m.id > %(after)s
        ORDER BY m.id LIMIT %(limit)s + 1 OFFSET %(offset)s),
    numbered AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM page)
SELECT count(*) FILTER (WHERE n <= %(limit)s), min(id), max(id) FILTER (WHERE n <= %(limit)s),
    count(*) > %(limit)s
FROM numbered"""
# a page deep by ``offset``: the ids are read to the page anyway, so they are counted in the
# same pass (the window counts every row before OFFSET/LIMIT apply)
BOUNDS_COUNTED = """WITH page AS (SELECT m.id, count(*) OVER () AS total FROM ({matched}) m
        ORDER BY m.id LIMIT %(limit)s + 1 OFFSET %(offset)s),
    numbered AS (SELECT id, total, row_number() OVER (ORDER BY id) AS n FROM page)
SELECT count(*) FILTER (WHERE n <= %(limit)s), min(id), max(id) FILTER (WHERE n <= %(limit)s),
    count(*) > %(limit)s, max(total)
FROM numbered"""
COUNT = "SELECT count(*) FROM ({matched}) m"
# the page before one starting after ``after``: its first id's predecessor (limit + 1 back)
BEFORE = """SELECT count(*), min(id) FROM (SELECT m.id FROM ({matched}) m
    WHERE m.id <= %(after)s ORDER BY m.id DESC LIMIT %(limit)s + 1) back"""


@dataclass(frozen=True)
class Page:
    body: bytes  # the FeatureCollection as UTF-8, as PostgreSQL sent it
    matched: int  # features matching the filters, on all pages


@dataclass(frozen=True)
class Bounds:
    matched: int  # features matching the filters, on all pages
    returned: int  # on this page
    first: int | None  # the page's first id (None: empty page)
    last: int | None  # the page's last id: the next page is ``after=last``
    more: bool  # features follow after ``last``
    before: int | None = None  # keyset paging: ``after`` of the previous page (0: the start)


def paged_collection(matched: str, features: str, members: str = "") -> str:
    """``members``: further ``, 'name', value`` pairs before ``features`` (the OGC API's
    ``timeStamp`` and links), which may use ``(SELECT n FROM total)`` and ``count(f.id)``."""
    return PAGED_COLLECTION.format(matched=matched, features=features, members=members)


def _settings(session: Session) -> None:
    session.connection().exec_driver_sql(SETTINGS)


def _one(session: Session, sql: str, params: dict) -> tuple:
    return tuple(session.connection().exec_driver_sql(sql, params).one())


def page_bounds(
    session: Session, matched: str, params: dict, limit: int, offset: int, after: int
) -> Bounds:
    """The page of ``limit`` features after the id ``after`` (0: from the start), skipping
    ``offset`` of them. Runs through SQLAlchemy (visible to its statement events)."""
    _settings(session)
    values = {**params, "limit": limit, "offset": offset, "after": after}
    total = None
    if offset > 0 and after == 0:
        returned, first, last, more, total = _one(
            session, BOUNDS_COUNTED.format(matched=matched), values
        )
    else:
        returned, first, last, more = _one(session, BOUNDS.format(matched=matched), values)
    if total is not None:
        matched_count = total
    elif after == 0 and not more and (returned or offset == 0):
        matched_count = offset + returned  # the page reaches the end: nothing else to count
    else:
        (matched_count,) = _one(session, COUNT.format(matched=matched), values)
    before = None
    if after > 0:
        back, earliest = _one(session, BEFORE.format(matched=matched), values)
        before = earliest if back > limit else (0 if back else None)
    return Bounds(matched_count, returned, first, last, more, before)


class BytesLoader(Loader):
    """Text results as the UTF-8 bytes PostgreSQL sent: no decode here, no encode later."""

    def load(self, data) -> bytes:
        return bytes(data)


def driver_cursor(session: Session):
    """A psycopg cursor on the session's connection (same transaction) whose text columns
    come as bytes."""
    cursor = session.connection().connection.driver_connection.cursor()
    cursor.adapters.register_loader("text", BytesLoader)
    return cursor


def stream(
    session: Session, features: str, params: dict, bounds: Bounds, head: bytes
) -> Iterator[bytes]:
    """The collection's text: ``head`` (the members before ``features``), the features of the
    ids ``bounds.first``…``bounds.last`` in chunks, then ``numberReturned``."""
    yield head + b'"features":['
    sent = 0
    if bounds.first is not None:
        values = {**params, "first": bounds.first, "last": bounds.last}
        # a streamed answer runs after its request ended: in a transaction of its own
        _settings(session)
        with driver_cursor(session) as cursor:
            rows: list[bytes] = []
            for (feature,) in cursor.stream(features, values, size=CHUNK):
                rows.append(feature)
                if len(rows) == CHUNK:
                    yield (b"," if sent else b"") + b",".join(rows)
                    sent, rows = sent + len(rows), []
            if rows:
                yield (b"," if sent else b"") + b",".join(rows)
                sent += len(rows)
    yield b'],"numberReturned":%d}' % sent


def collection_head(matched: int) -> bytes:
    return b'{"type":"FeatureCollection","numberMatched":%d,' % matched
