"""Part of scripts/bench_matching.py: storing one proposal's matches three ways on the same
rows, in the same run — the service (``matching.store.sync``: JSON in chunks, upserts, the
stale pairs by an anti join), the bare SQL of its statements (psycopg, the JSON made
beforehand) and the former service's storing (one upsert, ``<> ALL(array)`` prepared as psycopg
prepares a statement after its fifth run; the baseline, JSON made in the call like the
service). Every run is rolled back, so each one re-stores nine tenths of the stored set and
finds the last tenth stale (a re-match after an edit). The service is timed beside each of the
other two."""

from __future__ import annotations

import json
import os

import benchdb
import psycopg
from benchdb import medians_ms, say

FORMER_RUNS = int(os.environ.get("BENCH_FORMER_RUNS", "3"))  # seconds each at 1M
FORMER_STALE = "m.proposal_id = %(id)s AND m.unit_id <> ALL(%(keep)s::int[])"


def _former(conn, municipality_id: int, results: list, keep: dict) -> None:
    """The former service's storing: every row in one upsert, then the stale pairs by
    ``<> ALL(array)``, prepared with PostgreSQL's generic plan: what the app ran once psycopg
    had prepared the statements (a connection's sixth re-match) and PostgreSQL had switched to
    the generic plan (after five more), where the array is no constant to hash."""
    from leerstand.services.matching.store import UNREVIEWED, UPSERT

    conn.execute("SET LOCAL plan_cache_mode = force_generic_plan")

    rows = [
        {"proposal_id": r.proposal_id, "unit_id": r.unit_id, "score": r.score,
         "reasons": r.reasons, "distance_m": r.distance_m}
        for r in results
    ]  # fmt: skip
    params = {"municipality_id": municipality_id, "rows": json.dumps(rows, ensure_ascii=False)}
    conn.execute(UPSERT, params, prepare=True)
    delete = f"DELETE FROM match m WHERE {FORMER_STALE} AND {UNREVIEWED}"
    conn.execute(delete, keep, prepare=True)
    conn.execute(f"UPDATE match m SET fits = false WHERE {FORMER_STALE} AND m.fits", keep,
                 prepare=True)  # fmt: skip
    conn.rollback()


def _bare(conn, chunks: list[dict], keep: dict) -> None:
    """The service's statements with the JSON made beforehand."""
    from leerstand.services.matching.store import UNREVIEWED, UPSERT

    for params in chunks:
        conn.execute(UPSERT, params)
    stored = conn.execute("SELECT unit_id FROM match WHERE proposal_id = %s", (keep["id"],))
    stale = sorted({row[0] for row in stored} - set(keep["keep"]))
    if stale:
        these = "m.proposal_id = %(id)s AND m.unit_id = ANY(%(stale)s::int[])"
        params = {"id": keep["id"], "stale": stale}
        conn.execute(f"DELETE FROM match m WHERE {these} AND {UNREVIEWED}", params,
                     prepare=False)  # fmt: skip
        conn.execute(f"UPDATE match m SET fits = false WHERE {these} AND m.fits", params,
                     prepare=False)  # fmt: skip
    conn.rollback()


def _chunks(municipality_id: int, results: list) -> list[dict]:
    from leerstand.services.matching.store import STORE_CHUNK

    chunks = []
    for start in range(0, len(results), STORE_CHUNK):
        rows = [
            {"proposal_id": r.proposal_id, "unit_id": r.unit_id, "score": r.score,
             "reasons": r.reasons, "distance_m": r.distance_m}
            for r in results[start : start + STORE_CHUNK]
        ]  # fmt: skip
        chunks.append({"municipality_id": municipality_id, "rows": json.dumps(rows)})
    return chunks


def measure_store(session, proposal, results: list, n: int) -> tuple:
    """(units, matches, service ms, bare SQL ms, former service ms, service ms beside it) for
    ``proposal``'s ``results``."""
    from leerstand.services.matching import store

    town = proposal.municipality_id  # read before the rollbacks expire the proposal
    store.sync(session, "proposal", proposal.id, town, results)
    session.commit()  # the stored set; every run re-stores nine tenths, a tenth is stale
    results = results[: len(results) * 9 // 10]
    sync_args = ("proposal", proposal.id, town, results)

    def service():
        store.sync(session, *sync_args)
        session.rollback()

    chunks = _chunks(town, results)
    keep = {"id": proposal.id, "keep": [r.unit_id for r in results]}
    url = session.get_bind().url.render_as_string(hide_password=False)
    with psycopg.connect(benchdb.plain(url)) as conn:
        # one warm-up: the upsert is prepared within the first run (a statement per chunk)
        service_ms, bare_ms = medians_ms(service, lambda: _bare(conn, chunks, keep), warm_up=1)
        again_ms, former_ms = medians_ms(
            service,
            lambda: _former(conn, town, results, keep),
            runs=FORMER_RUNS,
            warm_up=1,
        )
    say(
        f"  Speichern ({len(results)} Treffer): Dienst {service_ms:.1f} ms, SQL {bare_ms:.1f} ms,"
        f" bisheriger Dienst {former_ms:.1f} ms (Dienst daneben {again_ms:.1f} ms)"
    )
    return n, len(results), service_ms, bare_ms, former_ms, again_ms
