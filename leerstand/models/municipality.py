"""Kommune, Ortsteil and Fokusgebiet."""

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leerstand.db import Base


class Municipality(Base):
    __tablename__ = "municipality"
    __table_args__ = (
        CheckConstraint("import_role IN ('staff', 'admin')", name="import_role"),
        CheckConstraint("map_zoom IS NULL OR map_zoom BETWEEN 1 AND 19", name="map_zoom"),
    )

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
    contact_person: Mapped[str | None] = mapped_column(String(120))
    # The maps' start view and tiles; None: the boundary's extent and the installation's TILE_URL.
    map_centre: Mapped[WKBElement | None] = mapped_column(
        Geometry("POINT", srid=4326, spatial_index=False)
    )
    map_zoom: Mapped[int | None] = mapped_column(SmallInteger)
    tile_url: Mapped[str | None] = mapped_column(String(300))
    tile_attribution: Mapped[str | None] = mapped_column(String(300))
    # the lowest role that may import files: "staff" (staff and admins) or "admin"
    import_role: Mapped[str] = mapped_column(String(10), default="staff", server_default="staff")
    # the public information pages; None: the shipped default text
    imprint_text: Mapped[str | None] = mapped_column(Text)
    privacy_text: Mapped[str | None] = mapped_column(Text)
    accessibility_text: Mapped[str | None] = mapped_column(Text)

    districts: Mapped[list["District"]] = relationship(
        back_populates="municipality", order_by="District.name"
    )

    @property
    def municipality_id(self) -> int:
        """The town's own id: the audit log files changes of its settings under the town."""
        return self.id


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
