"""Interim uses (Zwischennutzungen) of a period: started in it, running on its last day, ended in
it (``ended_on``), per kind of use (the idea's ``use_kind``; None: without an idea), and the
outcomes of the ended ones (one SQL statement).

Running on day E: started on or before E and not ended by E (``ended_on`` after E, or not ended
and planned to end on or after E)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from leerstand.services.statistics.scope import Period, Scope, params, rows, unit_filter
from leerstand.vocab import INTERIM_OUTCOMES


def interim_uses_sql(scope: Scope) -> str:
    outcomes = ", ".join(
        f"count(*) FILTER (WHERE ended AND outcome = '{code}') AS {code}"
        for code in INTERIM_OUTCOMES
    )
    return f"""WITH flagged AS (
        SELECT p.use_kind, iu.outcome,
               iu.starts_on >= %(start)s AS started,
               CASE WHEN iu.ended_on IS NULL THEN iu.ends_on >= %(end)s
                    ELSE iu.ended_on > %(end)s END AS running,
               coalesce(iu.ended_on >= %(start)s AND iu.ended_on <= %(end)s, false) AS ended
        FROM interim_use iu JOIN unit u ON u.id = iu.unit_id
        JOIN building b ON b.id = u.building_id
        LEFT JOIN proposal p ON p.id = iu.proposal_id
        WHERE iu.municipality_id = %(town)s{unit_filter(scope)} AND iu.starts_on <= %(end)s
          AND (iu.ended_on IS NULL OR iu.ended_on >= %(start)s)
    )
    SELECT grouping(use_kind) = 1 AS total, use_kind,
           count(*) FILTER (WHERE started) AS started, count(*) FILTER (WHERE running) AS running,
           count(*) FILTER (WHERE ended) AS ended, {outcomes}
    FROM flagged WHERE started OR running OR ended
    GROUP BY ROLLUP (use_kind) ORDER BY total DESC, use_kind NULLS LAST"""


def interim_uses(session: Session, scope: Scope, period: Period) -> dict:
    """{"started", "running", "ended", "by_use_kind": [{"use_kind", "started", "running",
    "ended"}] (kinds with any of them, None last), "outcomes": {code: ended with it}}."""
    found = rows(session, interim_uses_sql(scope), params(scope, period))
    total = next((row for row in found if row["total"]), None) or dict.fromkeys(
        ("started", "running", "ended", *INTERIM_OUTCOMES), 0
    )
    keys = ("use_kind", "started", "running", "ended")
    return {
        "started": total["started"],
        "running": total["running"],
        "ended": total["ended"],
        "by_use_kind": [{k: row[k] for k in keys} for row in found if not row["total"]],
        "outcomes": {code: total[code] for code in INTERIM_OUTCOMES},
    }
