"""Pages of a FeatureCollection: where a page starts and ends, and its text, streamed.

``/api/*.geojson`` pages by ``offset`` or by key (``after``: the features with an id greater than
it, the ``next`` link's way). ``page_bounds`` finds the page's first and last id and whether more
follow from the ids alone (``matched``: the ids of every row passing the filters; an index walk
that stops at the page's end, no JSON built for skipped rows) and takes ``numberMatched`` from
``counts`` (kept per filter until the public data changes; counted only when the page does not
tell it); a page deep by ``offset`` starts at the nearest of the ids ``counts`` notes every
``STRIDE`` features, so it costs what a keyset page costs.
``stream`` then builds the features of the ids ``first``…``last`` that pass the filters
(``features``: compact JSON text per row, in id order, at most ``%(limit)s``) and yields the
collection in chunks of ``CHUNK`` features: psycopg's chunked-rows mode, so that neither the
database nor the worker ever holds the whole body. Flask runs a streamed answer's generator after
the request's teardown (``stream_with_context`` pushes the contexts again): it then works in a
new transaction of the scoped session, which the second teardown at its end rolls back.
``numberReturned`` is written after the features, counted as they were sent.

``paged_collection`` is the one-statement form the OGC API builds on: ``matched`` selects the
ids, ``features`` builds ``(id, feature)`` for the rows of the CTE ``page`` (the page's ids only:
JSON is built after the offset, which starts from a checkpoint of ``counts`` when deep); the
statement returns the finished text and the number matched (counted only when not known)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from psycopg.adapt import Loader
from sqlalchemy.orm import Session

from leerstand.services.public import counts

CHUNK = 5000
# JIT compiling costs more than a page's JSON ever saves; the page's ids and columns are sorted
# in memory before the features are built (``features`` ends in LIMIT: PostgreSQL then builds
# the text after the sort instead of sorting the built text); custom plans always (a generic plan
# would parse the label JSON parameters once per row). One round trip, for this transaction.
SETTINGS = """SELECT set_config('jit', 'off', true), set_config('work_mem', '32MB', true),
    set_config('plan_cache_mode', 'force_custom_plan', true)"""

PAGED_COLLECTION = """WITH matched AS ({matched}),
    total AS ({total}),
    page AS (SELECT id FROM matched WHERE id > %(after)s ORDER BY id
        LIMIT %(limit)s OFFSET %(skip)s)
SELECT json_build_object('type', 'FeatureCollection',
    'numberMatched', (SELECT n FROM total), 'numberReturned', count(f.id){members},
    'features', coalesce(json_agg(f.feature ORDER BY f.id), '[]'::json))::text,
    (SELECT n FROM total)
FROM ({features}) AS f"""
TOTAL_COUNTED = "SELECT count(*) AS n FROM matched"
TOTAL_KNOWN = "SELECT %(matched_count)s::bigint AS n"

# the page: up to limit + 1 ids (the extra one says that more follow), numbered
BOUNDS = """WITH page AS (SELECT m.id FROM ({matched}) m WHERE m.id > %(after)s
        ORDER BY m.id LIMIT %(limit)s + 1 OFFSET %(skip)s),
    numbered AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM page)
SELECT count(*) FILTER (WHERE n <= %(limit)s), min(id), max(id) FILTER (WHERE n <= %(limit)s),
    count(*) > %(limit)s
FROM numbered"""
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


def paged_collection(
    session: Session, matched: str, features: str, members: str, params: dict
) -> tuple[str, dict, tuple | None]:
    """The one statement of the page ``params["offset"]`` deep (``limit`` features), its
    parameters and the key under which ``remember`` keeps the count it makes (None: the count
    was known). ``members``: further ``, 'name', value`` pairs before ``features`` (the OGC
    API's ``timeStamp`` and links), which may use ``(SELECT n FROM total)`` and
    ``count(f.id)``. ``numberMatched`` comes from ``counts`` when known (a deep page: counted
    with its checkpoints first, then started at the nearest), else the statement counts."""
    count_key = counts.key(session, matched, params)
    offset = params["offset"]
    if offset >= counts.STRIDE:
        known = counts.deep(session, matched, params, count_key)
    else:
        known = counts.get(count_key)
    after, skip = known.seek(offset) if known else (0, offset)
    sql = PAGED_COLLECTION.format(
        matched=matched, total=TOTAL_KNOWN if known else TOTAL_COUNTED, features=features,
        members=members,
    )  # fmt: skip
    values = {**params, "after": after, "skip": skip, "matched_count": known and known.matched}
    return sql, values, None if known else count_key


def remember(count_key: tuple | None, matched: int) -> None:
    """Keep the count a ``paged_collection`` statement made."""
    if count_key is not None:
        counts.put(count_key, counts.Count(matched))


def _settings(session: Session) -> None:
    session.connection().exec_driver_sql(SETTINGS)


def _one(session: Session, sql: str, params: dict) -> tuple:
    return tuple(session.connection().exec_driver_sql(sql, params).one())


def page_bounds(
    session: Session, matched: str, params: dict, limit: int, offset: int, after: int
) -> Bounds:
    """The page of ``limit`` features after the id ``after`` (0: from the start), skipping
    ``offset`` of them. ``numberMatched`` and a deep page's start come from ``counts`` (kept
    until the public data changes); a page that reaches the end tells the count itself. Runs
    through SQLAlchemy (visible to its statement events)."""
    _settings(session)
    count_key = counts.key(session, matched, params)
    known = counts.get(count_key)
    start, skip = after, offset
    if offset >= counts.STRIDE and after == 0:
        known = counts.deep(session, matched, params, count_key)
        start, skip = known.seek(offset)
    values = {**params, "limit": limit, "skip": skip, "after": start}
    returned, first, last, more = _one(session, BOUNDS.format(matched=matched), values)
    if known is not None:
        matched_count = known.matched
    elif after == 0 and not more and (returned or offset == 0):
        matched_count = offset + returned  # the page reaches the end: nothing else to count
        counts.put(count_key, counts.Count(matched_count))
    else:
        matched_count = counts.count(session, matched, params, count_key).matched
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
