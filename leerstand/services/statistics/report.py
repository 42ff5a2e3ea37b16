"""The public progress report (``/bericht``): aggregate counts of a town or one Ortsteil and the
stories of realised interim uses. Allowlist as in ``services.public``: counts, and of a story
only the published idea's title, kind of use and description, the Ortsteil and the dates; never
owners, addresses, terms, notes or the initiative's contact data."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from leerstand.services.public.pages import SHOWN_STATES
from leerstand.services.statistics.ideas import in_scope, scope_matches
from leerstand.services.statistics.scope import (
    VACANT_SQL,
    Scope,
    building_filter,
    local_day,
    params,
    rows,
    year_before,
)

STORIES = 6  # the newest realised interim uses shown
SHOWN_SQL = "(" + ", ".join(f"'{state}'" for state in SHOWN_STATES) + ")"


def vacant_count(day: str, scope: Scope) -> str:
    return f"""(SELECT count(*) FROM vacancy_period vp JOIN unit u ON u.id = vp.unit_id
        JOIN building b ON b.id = u.building_id
        WHERE vp.municipality_id = %(town)s{building_filter(scope)}
          AND vp.state IN {VACANT_SQL} AND vp.started_on <= %({day})s
          AND (vp.ended_on IS NULL OR vp.ended_on > %({day})s))"""


def counts_sql(scope: Scope) -> str:
    with_matches = f"WITH {scope_matches(scope).rstrip(',')}" if scope.narrowed else ""
    return f"""{with_matches} SELECT {vacant_count("day", scope)} AS vacant_now,
        {vacant_count("year_ago", scope)} AS vacant_year_ago,
        (SELECT count(*) FROM interim_use iu JOIN unit u ON u.id = iu.unit_id
         JOIN building b ON b.id = u.building_id
         WHERE iu.municipality_id = %(town)s{building_filter(scope)}
           AND iu.starts_on <= %(day)s) AS interim_realised,
        (SELECT count(*) FROM proposal p WHERE p.municipality_id = %(town)s
           AND {local_day("p.published_at")} <= %(day)s{in_scope(scope)}) AS ideas_published"""


def stories_sql(scope: Scope) -> str:
    return f"""SELECT p.title, p.use_kind, d.name AS district, iu.starts_on,
            coalesce(iu.ended_on, iu.ends_on) AS ends_on, p.description
        FROM interim_use iu JOIN proposal p ON p.id = iu.proposal_id
        JOIN unit u ON u.id = iu.unit_id JOIN building b ON b.id = u.building_id
        LEFT JOIN district d ON d.id = b.district_id
        WHERE iu.municipality_id = %(town)s{building_filter(scope)}
          AND iu.starts_on <= %(day)s
          AND p.state IN {SHOWN_SQL} AND p.published_at IS NOT NULL
        ORDER BY iu.starts_on DESC, iu.id DESC LIMIT {STORIES}"""


def public_report(
    session: Session, municipality_id: int, district_id: int | None, day: date
) -> dict:
    """{"vacant_now", "vacant_year_ago" (units vacant on ``day`` and a year before),
    "interim_realised" (interim uses started by ``day``), "ideas_published" (ideas published by
    ``day``), "stories": the newest realised interim uses whose idea is on show: [{"title",
    "use_kind", "district", "starts_on", "ends_on" (actual or planned end), "description"}]}."""
    scope = Scope(municipality_id, district_id=district_id)
    values = params(scope, day=day, year_ago=year_before(day))
    report = rows(session, counts_sql(scope), values)[0]
    report["stories"] = rows(session, stories_sql(scope), values)
    return report
