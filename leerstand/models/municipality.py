"""Kommune, Ortsteil and Fokusgebiet."""

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leerstand.db import Base


class Municipality(Base):
    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    ags: Mapped[str] = mapped_column(String(8), unique=True)
    postcode: Mapped[str | None] = mapped_column(String(10))
    boundary: Mapped[WKBElement] = mapped_column(Geometry("MULTIPOLYGON", srid=4326))
    letterhead: Mapped[str | None] = mapped_column(String(400))
    # Sender of letters and owner answers: the office's e-mail, phone and the signature line.
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(60))
    letter_signature: Mapped[str | None] = mapped_column(String(200))

    districts: Mapped[list["District"]] = relationship(
        back_populates="municipality", order_by="District.name"
    )


class District(Base):
    __tablename__ = "district"
    __table_args__ = (UniqueConstraint("municipality_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    boundary: Mapped[WKBElement | None] = mapped_column(Geometry("MULTIPOLYGON", srid=4326))
    centre: Mapped[WKBElement | None] = mapped_column(Geometry("POINT", srid=4326))

    municipality: Mapped[Municipality] = relationship(back_populates="districts")


class FocusArea(Base):
    __tablename__ = "focus_area"
    __table_args__ = (UniqueConstraint("municipality_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(String(500))
    area: Mapped[WKBElement] = mapped_column(Geometry("MULTIPOLYGON", srid=4326))
