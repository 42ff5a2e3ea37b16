"""The contact funnel (Eigentümeransprache): of the contact cases opened in a period, how many
reached each step not_contacted → contacted → in_dialogue → open_to_interim_use → agreement, the
conversion from the step before, and the median days it took (one SQL statement).

A case reached step k when its state now is step k or later, or one of its events moved it
(``to_state``) to step k or later; declined, closed and unreachable are no steps (a case in them
reached what its events show). The days of step k run from first reaching step k − 1 (for
"contacted": the day the case was opened) to the first event reaching step k or later."""

from __future__ import annotations

from sqlalchemy.orm import Session

from leerstand.services.statistics.scope import (
    Period,
    Scope,
    building_filter,
    local_day,
    params,
    rows,
)

STEPS = ("not_contacted", "contacted", "in_dialogue", "open_to_interim_use", "agreement")
STEPS_SQL = ", ".join(f"('{step}', {rank})" for rank, step in enumerate(STEPS))


def kind_filter(scope: Scope) -> str:
    """A case counts for a kind of unit when its building has a unit of that kind."""
    if scope.kind is None:
        return ""
    return " AND EXISTS (SELECT 1 FROM unit u WHERE u.building_id = b.id AND u.kind = %(kind)s)"


def buildings(scope: Scope) -> str:
    """The join to the cases' buildings, only for a narrowed scope (the whole town needs none)."""
    return " JOIN building b ON b.id = c.building_id" if scope.narrowed else ""


def contact_funnel_sql(scope: Scope) -> str:
    # the first day each step 1… was reached; index 1 (PostgreSQL arrays) is the day opened
    firsts = ", ".join(
        f"min(e.occurred_on) FILTER (WHERE e.rank >= {k})" for k in range(1, len(STEPS))
    )
    return f"""WITH steps (step, rank) AS (VALUES {STEPS_SQL}),
    cases AS (
        SELECT c.id, {local_day("c.created_at")} AS opened, coalesce(s.rank, -1) AS rank_now
        FROM contact_case c{buildings(scope)}
        LEFT JOIN steps s ON s.step = c.state
        WHERE c.municipality_id = %(town)s{building_filter(scope)}{kind_filter(scope)}
          AND c.created_at >= (%(start)s::date::timestamp AT TIME ZONE %(tz)s)
          AND c.created_at < ((%(end)s::date + 1)::timestamp AT TIME ZONE %(tz)s)
    ), per_case AS (
        SELECT c.id, greatest(c.rank_now, coalesce(max(e.rank), -1), 0) AS reached,
               ARRAY[c.opened, {firsts}] AS firsts
        FROM cases c LEFT JOIN LATERAL (
            SELECT ev.occurred_on, s.rank FROM contact_event ev JOIN steps s ON s.step = ev.to_state
            WHERE ev.case_id = c.id) e ON true
        GROUP BY c.id, c.opened, c.rank_now
    ), counted AS (
        SELECT s.step, s.rank, count(p.id) AS cases,
               percentile_cont(0.5) WITHIN GROUP (
                   ORDER BY p.firsts[s.rank + 1] - p.firsts[s.rank]) AS median_days
        FROM steps s LEFT JOIN per_case p ON p.reached >= s.rank
        GROUP BY s.step, s.rank
    )
    SELECT step, cases,
           CASE WHEN rank > 0 THEN cases::float8 / nullif(lag(cases) OVER (ORDER BY rank), 0)
           END AS rate,
           median_days
    FROM counted ORDER BY rank"""


def contact_funnel(session: Session, scope: Scope, period: Period) -> list[dict]:
    """The five steps in order: {"step", "cases", "rate" (cases / cases of the step before; None
    for the first step or after 0 cases), "median_days" (None when no case shows the days)}.
    Cases are those of the scope's buildings opened (created) within ``period``."""
    return rows(session, contact_funnel_sql(scope), params(scope, period))
