"""One page of a FeatureCollection in one SQL statement, with how many features match.

``paged_collection(matched, features)`` wraps two queries: ``matched`` selects the ``id`` of
every row that passes the filters (no JSON is built for it), ``features`` builds
``(id, feature)`` for the rows of the CTE ``page`` (``matched`` ordered by id, ``%(limit)s``
and ``%(offset)s`` applied). The statement returns the finished text with ``numberMatched``
and ``numberReturned`` (as in OGC API – Features) and, as a second column, the number matched
for the ``Link`` header; ``run_page`` returns both without decoding the text."""

from __future__ import annotations

from dataclasses import dataclass

PAGED_COLLECTION = """WITH matched AS ({matched}),
    total AS (SELECT count(*) AS n FROM matched),
    page AS (SELECT id FROM matched ORDER BY id LIMIT %(limit)s OFFSET %(offset)s)
SELECT json_build_object('type', 'FeatureCollection',
    'numberMatched', (SELECT n FROM total), 'numberReturned', count(f.id){members},
    'features', coalesce(json_agg(f.feature ORDER BY f.id), '[]'::json))::text,
    (SELECT n FROM total)
FROM ({features}) AS f"""


@dataclass(frozen=True)
class Page:
    body: bytes  # the FeatureCollection as UTF-8, as PostgreSQL sent it
    matched: int  # features matching the filters, on all pages


def paged_collection(matched: str, features: str, members: str = "") -> str:
    """``members``: further ``, 'name', value`` pairs before ``features`` (the OGC API's
    ``timeStamp`` and links), which may use ``(SELECT n FROM total)`` and ``count(f.id)``."""
    return PAGED_COLLECTION.format(matched=matched, features=features, members=members)
