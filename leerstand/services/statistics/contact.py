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
# the rank of a state (0 … 4), NULL for states that are no step (declined, closed, unreachable)
RANK = (
    "CASE {state} "
    + " ".join(f"WHEN '{step}' THEN {rank}" for rank, step in enumerate(STEPS))
    + " END"
)


def kind_filter(scope: Scope) -> str:
    """A case counts for a kind of unit when its building has a unit of that kind."""
    if scope.kind is None:
        return ""
    return " AND EXISTS (SELECT 1 FROM unit u WHERE u.building_id = b.id AND u.kind = %(kind)s)"


def buildings(scope: Scope) -> str:
    """The join to the cases' buildings, only for a narrowed scope (the whole town needs none)."""
    return " JOIN building b ON b.id = c.building_id" if scope.narrowed else ""


def _totals() -> str:
    """One pass over the cases: how many reached each step, and the median days per step."""
    counts = [f"count(*) FILTER (WHERE reached >= {k}) AS n{k}" for k in range(len(STEPS))]
    medians = [
        f"percentile_cont(0.5) WITHIN GROUP (ORDER BY firsts[{k + 1}] - firsts[{k}])"
        f" FILTER (WHERE reached >= {k}) AS d{k}"
        for k in range(1, len(STEPS))
    ]
    return ", ".join(counts + medians)


def _unpivot() -> str:
    """The totals row as one row per step: (step, rank, cases, cases before, median days)."""
    first = f"('{STEPS[0]}', 0, t.n0, NULL::bigint, NULL::float8)"
    rest = [f"('{step}', {k}, t.n{k}, t.n{k - 1}, t.d{k})" for k, step in enumerate(STEPS) if k]
    return ", ".join([first, *rest])


def contact_funnel_sql(scope: Scope) -> str:
    # the first day each step 1… was reached; index 1 (PostgreSQL arrays) is the day opened
    firsts = ", ".join(
        f"min(e.occurred_on) FILTER (WHERE e.rank >= {k})" for k in range(1, len(STEPS))
    )
    return f"""WITH cases AS (
        SELECT c.id, {local_day("c.created_at")} AS opened,
               coalesce({RANK.format(state="c.state")}, -1) AS rank_now
        FROM contact_case c{buildings(scope)}
        WHERE c.municipality_id = %(town)s{building_filter(scope)}{kind_filter(scope)}
          AND c.created_at >= (%(start)s::date::timestamp AT TIME ZONE %(tz)s)
          AND c.created_at < ((%(end)s::date + 1)::timestamp AT TIME ZONE %(tz)s)
    ), per_case AS (
        SELECT c.id, greatest(c.rank_now, coalesce(max(e.rank), -1), 0) AS reached,
               ARRAY[c.opened, {firsts}] AS firsts
        FROM cases c LEFT JOIN (
            SELECT ev.case_id, ev.occurred_on, {RANK.format(state="ev.to_state")} AS rank
            FROM contact_event ev) AS e ON e.case_id = c.id
        GROUP BY c.id, c.opened, c.rank_now
    ), totals AS (SELECT {_totals()} FROM per_case)
    SELECT v.step, v.cases, v.cases::float8 / nullif(v.before, 0) AS rate, v.median_days
    FROM totals t CROSS JOIN LATERAL (VALUES {_unpivot()})
        AS v (step, rank, cases, before, median_days)
    ORDER BY v.rank"""


def contact_funnel(session: Session, scope: Scope, period: Period) -> list[dict]:
    """The five steps in order: {"step", "cases", "rate" (cases / cases of the step before; None
    for the first step or after 0 cases), "median_days" (None when no case shows the days)}.
    Cases are those of the scope's buildings opened (created) within ``period``."""
    return rows(session, contact_funnel_sql(scope), params(scope, period))
