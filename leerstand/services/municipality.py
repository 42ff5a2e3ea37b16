"""Municipality look-ups shared by the other services."""

from shapely.geometry.base import BaseGeometry
from sqlalchemy.orm import Session

from leerstand.models import Municipality
from leerstand.services.errors import NotFound
from leerstand.spatial.geometry import from_db


def get(session: Session, municipality_id: int) -> Municipality:
    municipality = session.get(Municipality, municipality_id)
    if municipality is None:
        raise NotFound("Kommune nicht gefunden.")
    return municipality


def boundary(session: Session, municipality_id: int) -> tuple[str, BaseGeometry]:
    """(name, boundary as shapely geometry in WGS84)."""
    municipality = get(session, municipality_id)
    return municipality.name, from_db(municipality.boundary)
