"""Use requests (Nutzungsanfragen) by channel: sent in a period, answered, answered yes and the
yes rate (one SQL statement). A yes is an owner's agreement with or without conditions
(``models.use_request.YES_ANSWERS``); a request counts for the scope of its match's unit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from leerstand.models.use_request import YES_ANSWERS
from leerstand.services.statistics.scope import Period, Scope, params, rows, unit_filter
from leerstand.vocab import REQUEST_CHANNELS

CHANNELS_SQL = ", ".join(f"('{code}', {pos})" for pos, code in enumerate(REQUEST_CHANNELS))
YES_SQL = "(" + ", ".join(f"'{answer}'" for answer in YES_ANSWERS) + ")"
# a timestamptz column within the period's local days
SENT_IN_PERIOD = """r.sent_at >= (%(start)s::date::timestamp AT TIME ZONE %(tz)s)
          AND r.sent_at < ((%(end)s::date + 1)::timestamp AT TIME ZONE %(tz)s)"""


def requests_by_channel_sql(scope: Scope) -> str:
    return f"""WITH channels (channel, pos) AS (VALUES {CHANNELS_SQL}),
    sent AS (
        SELECT r.channel, r.answered_at IS NOT NULL AS answered,
               coalesce(r.answer IN {YES_SQL}, false) AS yes
        FROM use_request r JOIN match m ON m.id = r.match_id
        JOIN unit u ON u.id = m.unit_id JOIN building b ON b.id = u.building_id
        WHERE r.municipality_id = %(town)s{unit_filter(scope)}
          AND {SENT_IN_PERIOD}
    )
    SELECT c.channel, count(s.channel) AS sent,
           count(*) FILTER (WHERE s.answered) AS answered,
           count(*) FILTER (WHERE s.yes) AS yes,
           (count(*) FILTER (WHERE s.yes))::float8
               / nullif(count(*) FILTER (WHERE s.answered), 0) AS yes_rate
    FROM channels c LEFT JOIN sent s ON s.channel = c.channel
    GROUP BY c.channel, c.pos ORDER BY c.pos"""


def requests_by_channel(session: Session, scope: Scope, period: Period) -> list[dict]:
    """One row per channel of ``vocab.REQUEST_CHANNELS`` (email, letter), zeros included:
    requests sent within ``period`` (local days), how many of them are answered (whenever),
    answered yes, and yes / answered (None when none is answered)."""
    return rows(session, requests_by_channel_sql(scope), params(scope, period))
