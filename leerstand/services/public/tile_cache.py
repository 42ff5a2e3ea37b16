"""Built tiles kept in the worker's memory, valid until the public data changes.

A tile of a low zoom level over a million units takes the database a second; the same tile
asked again must not. The key of a tile is its statement, its parameters (filters, tile, day,
labels' language) and the change counter of the public data (``changes.COUNTER``: it takes a
new value at the commit of every write to the tables the tiles are read from – units,
buildings, owners, consents, interim uses, Ortsteile …). The counter is read before the tile is
built, so a tile is never older than its key (at worst newer, when a write commits in between:
it is then filed under a counter no later request reads). A transaction that wrote itself (a
test's) neither reads nor fills the cache: its changes move the counter only at its commit.
Bounded by bytes (``MAX_BYTES`` per worker, least recently used out); each gunicorn worker
keeps its own."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from cachetools import LRUCache

from leerstand.services.public.changes import COUNTER

MAX_BYTES = 64 * 1024 * 1024
STATE = f"SELECT ({COUNTER}), pg_current_xact_id_if_assigned() IS NOT NULL"


@dataclass(frozen=True)
class CachedTile:
    body: bytes
    etag: str  # SHA-1 of the body


_cache: LRUCache = LRUCache(maxsize=MAX_BYTES, getsizeof=lambda tile: len(tile.body) + 200)
_lock = threading.Lock()


def key(cursor, sql: str, params: dict) -> tuple | None:
    """The cache key of ``sql`` with ``params`` at the current state of the public data; None
    in a transaction that wrote (its changes move the counter only when it commits)."""
    counter, wrote = cursor.execute(STATE).fetchone()
    if wrote:
        return None
    values = tuple(sorted((name, repr(value)) for name, value in params.items()))
    return counter, sql, values


def get(cache_key: tuple | None) -> CachedTile | None:
    if cache_key is None:
        return None
    with _lock:
        return _cache.get(cache_key)


def put(cache_key: tuple | None, body: bytes) -> CachedTile:
    tile = CachedTile(body, hashlib.sha1(body).hexdigest())
    if cache_key is None:
        return tile
    with _lock:
        _cache[cache_key] = tile
    return tile


def clear() -> None:
    """Forget every tile (the benchmark measures tiles built, not cached)."""
    with _lock:
        _cache.clear()
