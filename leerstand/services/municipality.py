"""Municipality look-ups shared by the other services."""

from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from leerstand.messages import Text
from leerstand.models import Municipality
from leerstand.services.errors import NotFound
from leerstand.spatial.geometry import from_db


def get(session: Session, municipality_id: int) -> Municipality:
    municipality = session.get(Municipality, municipality_id)
    if municipality is None:
        raise NotFound(Text("Kommune nicht gefunden."))
    return municipality


def boundary(session: Session, municipality_id: int) -> tuple[str, BaseGeometry]:
    """(name, boundary as shapely geometry in WGS84)."""
    municipality = get(session, municipality_id)
    return municipality.name, from_db(municipality.boundary)


def get_scoped(session: Session, model, record_id: int, municipality_id: int, message: str):
    """The record of ``model`` with that id in the user's municipality; anything else (missing,
    or another municipality's) is ``NotFound`` with ``message``, never a hint that it exists."""
    record = session.get(model, record_id)
    if record is None or record.municipality_id != municipality_id:
        raise NotFound(message)
    return record


def installed(session: Session) -> Municipality | None:
    """The municipality this installation serves (the first by id), for pages without a
    record of their own (e.g. the owners' code entry); None before the seed."""
    return session.scalar(select(Municipality).order_by(Municipality.id).limit(1))
