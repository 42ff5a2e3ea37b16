"""A town's own settings, read and changed by its admins: name (the AGS stays), letterhead,
contact person, phone, e-mail, signature, the maps' start view (centre inside the boundary,
zoom 1–19), the tile server (an https URL template with {z}, {x}, {y}; empty: the
installation's TILE_URL) with its attribution (plain text, Leaflet shows it as HTML), and who
may import files. Every change is audited; the caller commits.

``map_view`` is what the maps need: the tile URL and attribution to use and the start view."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from shapely.geometry import Point
from sqlalchemy.orm import Session

from leerstand.messages import Text
from leerstand.models import Municipality
from leerstand.services import forms
from leerstand.services.audit.log import save_with_audit
from leerstand.services.errors import ServiceError
from leerstand.spatial.geometry import (
    GeometryError,
    ensure_inside,
    from_db,
    point_from_input,
    to_db,
)

# Who may import: the lowest role (``Municipality.import_role``).
IMPORT_ROLES = {
    "staff": _l("Sachbearbeitung und Administration"),
    "admin": _l("nur Administration"),
}
ZOOM_MIN, ZOOM_MAX = 1, 19
# https://host[:port]/path with {z} {x} {y}; "{s}." may start the host (Leaflet's subdomains).
# No spaces, quotes, angle brackets, ";" or "," (the origin goes into the CSP header).
TILE_URL_RE = re.compile(r"^https://(\{s\}\.)?[A-Za-z0-9.-]+(:\d{1,5})?/[^\s\"'<>;,\\]*$")
TEXT_FIELDS = {  # form key: (column, maximum length, label)
    "letterhead": (400, Text("Briefkopf")),
    "contact_person": (120, Text("Ansprechperson")),
    "contact_phone": (60, Text("Telefon")),
    "letter_signature": (200, Text("Grußzeile / Unterschrift")),
}


@dataclass
class MapView:
    tile_url: str  # "" = no tiles
    tile_attribution: str
    centre: tuple[float, float] | None  # (lat, lon); None: the boundary's extent
    zoom: int | None


def form_values(town: Municipality) -> dict:
    """The stored settings as the form shows them (strings)."""
    centre = from_db(town.map_centre)
    values = {key: getattr(town, key) or "" for key in TEXT_FIELDS}
    values.update(
        name=town.name,
        contact_email=town.contact_email or "",
        centre_lat=f"{centre.y:.6f}" if centre is not None else "",
        centre_lon=f"{centre.x:.6f}" if centre is not None else "",
        map_zoom=str(town.map_zoom or ""),
        tile_url=town.tile_url or "",
        tile_attribution=town.tile_attribution or "",
        import_role=town.import_role,
    )
    return values


def _tile_url(raw: str | None) -> str | None:
    url = str(raw or "").strip()
    if not url:
        return None
    forms.check_length(url, 300, Text("Kachel-URL"))
    missing = [part for part in ("{z}", "{x}", "{y}") if part not in url]
    if not TILE_URL_RE.match(url) or missing or not urlsplit(url.replace("{s}", "a")).hostname:
        raise ServiceError(
            Text(
                "Die Kachel-URL muss mit https:// beginnen und {z}, {x} und {y} enthalten, "
                "z. B. https://tile.openstreetmap.de/{z}/{x}/{y}.png (ohne Leerzeichen, "
                "Anführungszeichen, Komma oder Semikolon). Leer lassen für die Voreinstellung."
            )
        )
    return url


def _attribution(raw: str | None) -> str | None:
    text = forms.text({"a": raw}, "a", 300, Text("Quellenangabe der Karte"))
    if "<" in text or ">" in text:
        raise ServiceError(
            Text("Die Quellenangabe der Karte ist reiner Text: bitte ohne < und > (kein HTML).")
        )
    return text or None


def _centre(town: Municipality, lat: str | None, lon: str | None) -> Point | None:
    lat, lon = str(lat or "").strip(), str(lon or "").strip()
    if not lat and not lon:
        return None
    if not lat or not lon:
        raise ServiceError(
            Text("Kartenmittelpunkt: bitte Breite und Länge angeben (oder beide leer lassen).")
        )
    try:
        point = point_from_input(lon, lat)
        ensure_inside(point, from_db(town.boundary), town.name)
    except GeometryError as exc:
        reason = exc.args[0] if exc.args else str(exc)
        raise ServiceError(Text("Kartenmittelpunkt: %(reason)s", reason=reason)) from None
    return point


def _name(raw: str | None) -> str:
    name = forms.text({"n": raw}, "n", 120, Text("Name"))
    if not name:
        raise ServiceError(Text("Bitte den Namen der Kommune angeben."))
    return name


def update(session: Session, town: Municipality, user_id: int, values: Mapping) -> dict:
    """Check every field, then store and audit; returns the changes ({} when none)."""
    new = {
        "name": _name(values.get("name")),
        "contact_email": forms.email(values.get("contact_email")) or None,
        "map_zoom": forms.parse_int(values.get("map_zoom"), Text("Zoomstufe"), ZOOM_MIN, ZOOM_MAX),
        "tile_url": _tile_url(values.get("tile_url")),
        "tile_attribution": _attribution(values.get("tile_attribution")),
        "import_role": forms.choice(
            values, "import_role", IMPORT_ROLES, Text("Import erlaubt für")
        ),
    }
    for key, (limit, label) in TEXT_FIELDS.items():
        new[key] = forms.text(values, key, limit, label) or None
    centre = _centre(town, values.get("centre_lat"), values.get("centre_lon"))
    for key, value in new.items():
        if getattr(town, key) != value:
            setattr(town, key, value)
    extra = _centre_change(town, centre)
    changes = save_with_audit(session, user_id, town, extra=extra)
    return {**changes, **extra}


def _centre_text(point: Point | None) -> str | None:
    return None if point is None else f"{point.y:.6f}, {point.x:.6f}"


def _centre_change(town: Municipality, centre: Point | None) -> dict:
    """Set the centre when it moved; the audit gets "lat, lon" instead of WKB."""
    old = from_db(town.map_centre)
    if _centre_text(old) == _centre_text(centre):
        return {}
    town.map_centre = to_db(centre) if centre is not None else None
    return {"map_centre": [_centre_text(old), _centre_text(centre)]}


def map_view(town: Municipality | None, tile_url: str, tile_attribution: str) -> MapView:
    """The town's tiles and start view; ``tile_url``/``tile_attribution``: the installation's
    (TILE_URL), used when the town has none of its own."""
    if town is None:
        return MapView(tile_url, tile_attribution, None, None)
    centre = from_db(town.map_centre)
    own = bool(town.tile_url)
    return MapView(
        tile_url=town.tile_url if own else tile_url,
        tile_attribution=(town.tile_attribution or "") if own else tile_attribution,
        centre=(centre.y, centre.x) if centre is not None else None,
        zoom=town.map_zoom,
    )


def form_start(town: Municipality, preferred: tuple[float, float]) -> tuple[float, float]:
    """Where a form's map starts (lat, lon): the town's map centre; else ``preferred`` when it
    lies in the town (Ballenstedt's Allee); else a point inside the boundary."""
    centre = from_db(town.map_centre)
    if centre is not None:
        return centre.y, centre.x
    boundary = from_db(town.boundary)
    if boundary.covers(Point(preferred[1], preferred[0])):
        return preferred
    inside = boundary.point_on_surface()
    return inside.y, inside.x
