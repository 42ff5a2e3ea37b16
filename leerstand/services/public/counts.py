"""``numberMatched`` of a public collection and where its deep pages start, kept in the worker's
memory until the public data changes.

Counting a million public units takes the database about a second and a half, and a page deep
by ``offset`` must read every id before it. Both depend only on the filters and the data, so a
``Count`` is kept per key: the change counter of the public data (``changes.COUNTER``, moved at
the commit of every write to the tables the collections are read from), the statement that
selects the matched ids and the parameters it uses (not paging, labels or links). The counter
is read before counting, so a count is never older than its key (at worst newer, when a write
commits in between: it is then filed under a counter no later request reads); a change moves
the counter, and the next answer counts again. A transaction that wrote itself (a test's)
neither reads nor fills the cache: its changes move the counter only at its commit.

``checkpoints`` (asked for by the first page deep by ``offset``) are the ids of every
``STRIDE``-th matched feature, counted in the same pass: a page ``offset`` deep then starts
after the checkpoint before it and skips fewer than ``STRIDE`` ids, as fast at the end of a
million units as at the start. At most ``MAX_ENTRIES`` keys per worker (least recently used
out); each gunicorn worker keeps its own. Never builds JSON, never decides what is public."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from cachetools import LRUCache
from sqlalchemy.orm import Session

from leerstand.services.public.changes import COUNTER

STRIDE = 1000
MAX_ENTRIES = 512  # a million matched ids: 1,000 checkpoints, about 40 KB
STATE = f"SELECT ({COUNTER}), pg_current_xact_id_if_assigned() IS NOT NULL"
COUNT = "SELECT count(*) FROM ({matched}) m"
# every STRIDE-th id in id order: one sort inside the aggregate (cheaper than numbering every
# row with a window), the array of all ids (4 MB at a million) stays in the database
CHECKPOINTS = """SELECT cardinality(a),
    ARRAY(SELECT a[i] FROM generate_series({stride}, cardinality(a), {stride}) AS i)
FROM (SELECT coalesce(array_agg(m.id ORDER BY m.id), '{{}}') AS a FROM ({matched}) m) ids"""
NOT_PAGING = frozenset({"limit", "offset", "after", "first", "last"})


@dataclass(frozen=True)
class Count:
    matched: int  # features passing the rule and the filters
    checkpoints: tuple[int, ...] | None = None  # [k]: id of the (k + 1) · STRIDE-th feature

    def seek(self, offset: int) -> tuple[int, int]:
        """(after, skip): the page ``offset`` deep starts after the id ``after``, skipping
        ``skip`` features (fewer than STRIDE with checkpoints)."""
        k = min(offset // STRIDE, len(self.checkpoints or ()))
        if k == 0:
            return 0, offset
        return self.checkpoints[k - 1], offset - k * STRIDE


_cache: LRUCache = LRUCache(maxsize=MAX_ENTRIES)
_lock = threading.Lock()


def key(session: Session, matched: str, params: dict) -> tuple | None:
    """The key of the ids ``matched`` selects at the current state of the public data; None in
    a transaction that wrote. Only the parameters the statement names are part of it."""
    counter, wrote = session.connection().exec_driver_sql(STATE).one()
    if wrote:
        return None
    names = set(re.findall(r"%\((\w+)\)s", matched)) - NOT_PAGING
    values = tuple(sorted((name, repr(params.get(name))) for name in names))
    return counter, matched, values


def get(count_key: tuple | None) -> Count | None:
    if count_key is None:
        return None
    with _lock:
        return _cache.get(count_key)


def put(count_key: tuple | None, count: Count) -> Count:
    if count_key is not None:
        with _lock:
            _cache[count_key] = count
    return count


def clear() -> None:
    """Forget every count (the benchmark measures a first answer after a change too)."""
    with _lock:
        _cache.clear()


def _one(session: Session, sql: str, params: dict) -> tuple:
    return tuple(session.connection().exec_driver_sql(sql, params).one())


def counted(session: Session, matched: str, params: dict, checkpoints: bool = False) -> Count:
    """Count the ids ``matched`` selects now (with ``checkpoints``: and note every STRIDE-th)."""
    if not checkpoints:
        return Count(_one(session, COUNT.format(matched=matched), params)[0])
    total, ids = _one(session, CHECKPOINTS.format(matched=matched, stride=STRIDE), params)
    return Count(total, tuple(ids))


def count(session: Session, matched: str, params: dict, count_key: tuple | None) -> Count:
    """The cached count of ``count_key``, else counted now and kept."""
    return get(count_key) or put(count_key, counted(session, matched, params))


def deep(session: Session, matched: str, params: dict, count_key: tuple | None) -> Count:
    """The cached count with checkpoints, else counted with them now and kept."""
    known = get(count_key)
    if known is not None and known.checkpoints is not None:
        return known
    return put(count_key, counted(session, matched, params, checkpoints=True))
