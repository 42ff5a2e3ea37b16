"""All mapped classes, imported here so that ``Base.metadata`` knows every table."""

from leerstand.models.audit import AuditEvent
from leerstand.models.building import Building, Unit
from leerstand.models.contact import ContactCase, ContactEvent
from leerstand.models.municipality import District, FocusArea, Municipality
from leerstand.models.owner import Owner, Ownership
from leerstand.models.user import User

__all__ = [
    "AuditEvent",
    "Building",
    "ContactCase",
    "ContactEvent",
    "District",
    "FocusArea",
    "Municipality",
    "Owner",
    "Ownership",
    "Unit",
    "User",
]
