"""Gebäude and Nutzungseinheit: a building has one or more units, each vacant or not."""

from datetime import date
from decimal import Decimal

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Numeric,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leerstand.db import Base
from leerstand.models.mixins import MunicipalityScoped, Timestamps, Versioned
from leerstand.vocab import (
    CONDITIONS,
    OWNER_EXPECTATIONS,
    UNIT_KINDS,
    VACANCY_STATES,
    in_vocab,
)


class Building(MunicipalityScoped, Versioned, Timestamps, Base):
    __tablename__ = "building"
    __table_args__ = (
        CheckConstraint("year_built IS NULL OR year_built BETWEEN 800 AND 2100", name="year_built"),
        CheckConstraint(in_vocab("condition", CONDITIONS, nullable=True), name="condition"),
        # Matching asks "within r metres" on the spheroid: ST_DWithin(location::geography, …).
        Index(
            "ix_building_location_geography",
            text("(location::geography)"),
            postgresql_using="gist",
        ),
        # the register's order and search (migration 0019; the same expressions as
        # services/register/search.py's house_number and address)
        Index(
            "ix_building_address",
            "municipality_id",
            "street",
            text("(NULLIF(regexp_replace(house_number, '\\D', '', 'g'), '')::integer)"),
            "house_number",
            "id",
        ),
        Index(
            "ix_building_address_trgm",
            text("(street || CASE WHEN house_number = '' THEN '' ELSE ' ' || house_number END)"),
            postgresql_using="gin",
            postgresql_ops={"anon_1": "gin_trgm_ops"},
        ),
        Index(
            "ix_building_place_trgm",
            "place",
            postgresql_using="gin",
            postgresql_ops={"place": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"), index=True)
    street: Mapped[str] = mapped_column(String(120))
    house_number: Mapped[str] = mapped_column(String(20), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    place: Mapped[str] = mapped_column(String(120), default="")
    location: Mapped[WKBElement] = mapped_column(Geometry("POINT", srid=4326))
    footprint: Mapped[WKBElement | None] = mapped_column(Geometry("POLYGON", srid=4326))
    parcel_id: Mapped[str | None] = mapped_column(String(40))
    alkis_id: Mapped[str | None] = mapped_column(String(40))
    listed: Mapped[bool] = mapped_column(Boolean, default=False)
    condition: Mapped[str | None] = mapped_column(String(20))
    year_built: Mapped[int | None] = mapped_column(SmallInteger)
    notes: Mapped[str] = mapped_column(Text, default="")
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)

    district = relationship("District")
    units: Mapped[list["Unit"]] = relationship(
        back_populates="building", order_by="Unit.id", cascade="all, delete-orphan"
    )
    ownerships = relationship("Ownership", back_populates="building", cascade="all, delete-orphan")

    @property
    def address(self) -> str:
        return f"{self.street} {self.house_number}".strip()


class Unit(MunicipalityScoped, Versioned, Timestamps, Base):
    __tablename__ = "unit"
    __table_args__ = (
        CheckConstraint("area_m2 IS NULL OR area_m2 > 0", name="area_positive"),
        CheckConstraint(
            "available_to IS NULL OR available_from IS NULL OR available_to >= available_from",
            name="availability_order",
        ),
        CheckConstraint(in_vocab("kind", UNIT_KINDS), name="kind"),
        CheckConstraint(in_vocab("vacancy_state", VACANCY_STATES), name="vacancy_state"),
        CheckConstraint(
            in_vocab("owner_expectation", OWNER_EXPECTATIONS), name="owner_expectation"
        ),
        # the register's search by unit name (migration 0019)
        Index(
            "ix_unit_name_trgm",
            "name",
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(
        ForeignKey("building.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    floor: Mapped[str] = mapped_column(String(40), default="")
    area_m2: Mapped[Decimal | None] = mapped_column(Numeric(8, 1))
    street_level: Mapped[bool] = mapped_column(Boolean, default=False)
    step_free: Mapped[bool] = mapped_column(Boolean, default=False)
    shop_window: Mapped[bool] = mapped_column(Boolean, default=False)
    power: Mapped[bool] = mapped_column(Boolean, default=False)
    water: Mapped[bool] = mapped_column(Boolean, default=False)
    wc: Mapped[bool] = mapped_column(Boolean, default=False)
    heating: Mapped[bool] = mapped_column(Boolean, default=False)
    vacancy_state: Mapped[str] = mapped_column(String(20), index=True, default="vacant")
    vacant_since: Mapped[date | None] = mapped_column(Date)
    available_from: Mapped[date | None] = mapped_column(Date)
    available_to: Mapped[date | None] = mapped_column(Date)
    owner_expectation: Mapped[str] = mapped_column(String(20), default="unknown")
    rent_eur_month: Mapped[Decimal | None] = mapped_column(Numeric(9, 2))
    suitable_uses: Mapped[list[str]] = mapped_column(ARRAY(String(30)), default=list)
    publishable: Mapped[bool] = mapped_column(Boolean, default=False)
    public_description: Mapped[str] = mapped_column(Text, default="")
    internal_notes: Mapped[str] = mapped_column(Text, default="")
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)

    building: Mapped[Building] = relationship(back_populates="units")
