"""Counting and paging the register at any size.

Up to ``EXACT_UP_TO`` filtered units are counted exactly (the count stops reading after one
more); above that the number is PostgreSQL's estimate for the filter (EXPLAIN, no rows read),
rounded to two significant digits and marked ``estimated`` (the page says "etwa … (geschätzt)").

Pages count from the start (1, 2, …) or, negative, from the end (-1 the last page, -2 the one
before): a page from the end is read in the reverse order with a short offset and turned
around, so the last page costs what the first does. With an exact count a page in the back half
is read that way too; with an estimate, pages from the start know only whether one follows."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

EXACT_UP_TO = 1000  # above, PostgreSQL would join whole tables to stop counting


@dataclass(frozen=True)
class Count:
    value: int
    estimated: bool = False


@dataclass(frozen=True)
class Window:
    """Which rows a page shows: ``offset`` rows skipped in the order (``reverse``: from the end),
    at most ``limit``."""

    offset: int
    limit: int
    reverse: bool = False


def rounded(value: int) -> int:
    """Two significant digits: 1,234,567 → 1,200,000; 987 → 990."""
    if value < 100:
        return value
    step = 10 ** (len(str(value)) - 2)
    return round(value / step) * step


def planner_rows(session: Session, stmt: Select) -> int:
    """PostgreSQL's estimate of the rows ``stmt`` returns (EXPLAIN, nothing executed)."""
    connection = session.connection()
    compiled = stmt.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    plan = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params)
    return int(plan.scalar_one()[0]["Plan"]["Plan Rows"])


def count(session: Session, rows: Select) -> Count:
    """The number of rows of ``rows`` (a SELECT of the filtered units, any one column)."""
    capped = rows.limit(EXACT_UP_TO + 1).subquery()
    exact = session.scalar(select(func.count()).select_from(capped)) or 0
    if exact <= EXACT_UP_TO:
        return Count(exact)
    return Count(max(EXACT_UP_TO + 1, rounded(planner_rows(session, rows))), estimated=True)


def pages(total: Count, size: int) -> int:
    return max(1, math.ceil(total.value / size))


def window(page: int, size: int, total: Count) -> Window:
    """The rows of ``page`` (already clamped to the pages there are); one more row than the
    page holds when counted from the start of an estimate (it tells whether one follows)."""
    if page < 0:
        return Window((-page - 1) * size, size, reverse=True)
    offset = (page - 1) * size
    if total.estimated:
        return Window(offset, size + 1)
    after = total.value - offset - size  # rows after this page
    if after >= offset:
        return Window(offset, size)
    return Window(max(0, after), size + min(0, after), reverse=True)


def clamp(page: int, total: Count, size: int) -> int:
    """A page that exists: from the start at most the last one (exact) or the estimated last
    one; from the end at least the first one (exact counts turn it into its number). With an
    estimate, a page in the back half is counted from the end (it is read from there)."""
    last = pages(total, size)
    if page < 0 and not total.estimated:
        return max(1, last + 1 + page)
    if page < 0:
        return max(page, -last)
    if total.estimated and page > last / 2:
        return page - last - 1
    return min(page, last)
