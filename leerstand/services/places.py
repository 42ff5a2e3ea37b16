"""Place search for the maps where staff and initiatives place or draw something.

``search`` finds streets, addresses, Ortsteile and focus areas of ONE municipality in its own
data (one SQL statement, ILIKE with the escaped pattern of ``forms.contains_pattern``) plus the
packaged reference points (landmarks) of the demo municipality; it works offline. Staff see the
addresses of every building of their municipality, initiatives only those of buildings with a
public unit (``public.UNIT_IS_PUBLIC``). ``external`` asks an optional Nominatim-compatible
geocoder (setting ``GEOCODER_URL`` with a ``{q}`` placeholder) from the server and keeps only
results inside the municipality's boundary.
"""

from __future__ import annotations

import json
import logging
import urllib.parse
import urllib.request
from collections.abc import Mapping

from sqlalchemy.orm import Session

from leerstand.geodata import load_boundary, load_reference_points
from leerstand.messages import Text
from leerstand.services.forms import contains_pattern
from leerstand.services.public.geojson import UNIT_IS_PUBLIC
from leerstand.services.public.params import ParamError

log = logging.getLogger(__name__)

MAX_QUERY = 100
LIMIT = 10
GEOCODER_TIMEOUT = 3.0
USER_AGENT = "Leerstand/1 (Leerstandsregister; place search)"

# kind → order of the kinds in the answer (Ortsteile before streets before single addresses)
KINDS = ("district", "focus_area", "landmark", "street", "address", "geocoder")

PUBLIC_BUILDING = f"""AND EXISTS (SELECT 1 FROM unit u
    WHERE u.building_id = b.id AND {UNIT_IS_PUBLIC})"""
SEARCH_SQL = """
SELECT label, kind, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM (
  SELECT DISTINCT ON (kind, label) label, kind, geom FROM (
    SELECT name AS label, 'district' AS kind, coalesce(centre, ST_PointOnSurface(boundary)) AS geom
    FROM district WHERE municipality_id = %(m)s AND name ILIKE %(p)s ESCAPE '\\'
    UNION ALL
    SELECT name, 'focus_area', ST_PointOnSurface(area)
    FROM focus_area WHERE municipality_id = %(m)s AND name ILIKE %(p)s ESCAPE '\\'
    UNION ALL
    SELECT b.street, 'street', ST_Centroid(ST_Collect(b.location))
    FROM building b WHERE b.municipality_id = %(m)s AND b.street ILIKE %(p)s ESCAPE '\\' {visible}
    GROUP BY b.street
    UNION ALL
    SELECT trim(b.street || ' ' || b.house_number), 'address', b.location
    FROM building b WHERE b.municipality_id = %(m)s AND b.house_number <> ''
      AND (b.street || ' ' || b.house_number) ILIKE %(p)s ESCAPE '\\' {visible}
  ) AS hit WHERE geom IS NOT NULL ORDER BY kind, label
) AS found
ORDER BY NOT (label ILIKE %(prefix)s ESCAPE '\\'), array_position(%(kinds)s, kind), label
LIMIT %(limit)s"""


def parse_query(args: Mapping) -> str:
    """The search text of ``?q=``; ParamError (German) when it is missing or too long."""
    query = " ".join(str(args.get("q") or "").split())
    if not query:
        raise ParamError(
            Text("Bitte einen Suchbegriff angeben, z. B. eine Straße, Adresse oder einen Ortsteil.")
        )
    if len(query) > MAX_QUERY:
        raise ParamError(
            Text(
                "Der Suchbegriff ist zu lang (höchstens %(max)s Zeichen). Bitte kürzer fassen.",
                max=MAX_QUERY,
            )
        )
    return query


def _place(label: str, kind: str, lon: float, lat: float) -> dict:
    return {"label": label, "kind": kind, "lon": round(lon, 6), "lat": round(lat, 6)}


def _landmarks(ags: str, query: str) -> list[dict]:
    """Reference points of the packaged demo geography, only for that municipality."""
    if ags != load_boundary()[0].get("AGS"):
        return []
    needle = query.casefold()
    found = []
    for props, point in load_reference_points():
        label = props["name"].split(" = ")[0].strip()
        if props.get("kind") == "landmark" and needle in label.casefold():
            found.append(_place(label, "landmark", point.x, point.y))
    return found


def search(
    session: Session, municipality_id: int, ags: str, query: str, *, staff: bool
) -> list[dict]:
    """Up to ``LIMIT`` places of the municipality matching ``query`` (prefix matches first)."""
    sql = SEARCH_SQL.format(visible="" if staff else PUBLIC_BUILDING)
    pattern = contains_pattern(query)
    params = {
        "m": municipality_id,
        "p": pattern,
        "prefix": pattern[1:],
        "kinds": list(KINDS),
        "limit": LIMIT,
    }
    driver = session.connection().connection.driver_connection
    with driver.cursor() as cursor:
        rows = cursor.execute(sql, params).fetchall()
    places = [_place(*row) for row in rows]
    return (places + _landmarks(ags, query))[:LIMIT]


def _fetch(url_template: str, query: str) -> list:
    url = url_template.replace("{q}", urllib.parse.quote(query))
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=GEOCODER_TIMEOUT) as response:
        data = json.loads(response.read(1_000_000).decode("utf-8"))
    return data if isinstance(data, list) else []


def _candidates(data: list) -> list[dict]:
    found = []
    for item in data[:50]:
        try:
            lon, lat = float(item["lon"]), float(item["lat"])
            label = str(item.get("display_name") or item.get("name") or "").strip()[:200]
        except (KeyError, TypeError, ValueError):
            continue
        if label and abs(lon) <= 180 and abs(lat) <= 90:
            found.append(_place(label, "geocoder", lon, lat))
    return found


INSIDE_SQL = """SELECT ord FROM unnest(%(lons)s::float8[], %(lats)s::float8[])
    WITH ORDINALITY AS c(lon, lat, ord)
    JOIN municipality m ON m.id = %(m)s
    WHERE ST_Intersects(m.boundary, ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326))
    ORDER BY ord"""


def external(session: Session, url_template: str, municipality_id: int, query: str) -> list[dict]:
    """Results of the configured geocoder inside the municipality; [] when it fails."""
    try:
        candidates = _candidates(_fetch(url_template, query))
    except (OSError, ValueError) as exc:
        log.warning("Geocoder nicht erreichbar: %s", exc)
        return []
    if not candidates:
        return []
    params = {
        "lons": [c["lon"] for c in candidates],
        "lats": [c["lat"] for c in candidates],
        "m": municipality_id,
    }
    driver = session.connection().connection.driver_connection
    with driver.cursor() as cursor:
        inside = [row[0] for row in cursor.execute(INSIDE_SQL, params).fetchall()]
    return [candidates[i - 1] for i in inside][:LIMIT]
