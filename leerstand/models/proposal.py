"""Nutzungsidee: an initiative's proposal for an interim use, its needs, time and place.

States: draft → submitted → published | rejected(reason); published → matched → realised;
withdrawn and expired from the open states. Where: a point with a radius, a drawn area,
one or more Ortsteile, or one specific published unit (``location_kind``)."""

from datetime import date, datetime
from decimal import Decimal

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leerstand.db import Base
from leerstand.models.mixins import MunicipalityScoped, Timestamps, Versioned
from leerstand.vocab import BUDGET_KINDS, LOCATION_KINDS, PROPOSAL_STATES, USE_KINDS, in_vocab

proposal_district = Table(
    "proposal_district",
    Base.metadata,
    Column("proposal_id", ForeignKey("proposal.id", ondelete="CASCADE"), primary_key=True),
    Column("district_id", ForeignKey("district.id", ondelete="CASCADE"), primary_key=True),
)


class Proposal(MunicipalityScoped, Versioned, Timestamps, Base):
    __tablename__ = "proposal"
    __table_args__ = (
        CheckConstraint("area_min IS NULL OR area_min >= 0", name="area_min"),
        CheckConstraint(
            "area_max IS NULL OR area_min IS NULL OR area_max >= area_min", name="area_order"
        ),
        CheckConstraint("radius_m IS NULL OR radius_m > 0", name="radius_positive"),
        CheckConstraint(in_vocab("use_kind", USE_KINDS), name="use_kind"),
        CheckConstraint(in_vocab("budget_kind", BUDGET_KINDS), name="budget_kind"),
        CheckConstraint(in_vocab("location_kind", LOCATION_KINDS), name="location_kind"),
        CheckConstraint(in_vocab("state", PROPOSAL_STATES), name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    use_kind: Mapped[str] = mapped_column(String(20))
    area_min: Mapped[Decimal | None] = mapped_column(Numeric(8, 1))
    area_max: Mapped[Decimal | None] = mapped_column(Numeric(8, 1))
    street_level: Mapped[bool] = mapped_column(Boolean, default=False)
    step_free: Mapped[bool] = mapped_column(Boolean, default=False)
    power: Mapped[bool] = mapped_column(Boolean, default=False)
    water: Mapped[bool] = mapped_column(Boolean, default=False)
    wc: Mapped[bool] = mapped_column(Boolean, default=False)
    heating: Mapped[bool] = mapped_column(Boolean, default=False)
    time_from: Mapped[date | None] = mapped_column(Date)
    time_to: Mapped[date | None] = mapped_column(Date)
    frequency: Mapped[str] = mapped_column(String(200), default="")
    budget_kind: Mapped[str] = mapped_column(String(20), default="costs_only")
    budget_eur_month: Mapped[Decimal | None] = mapped_column(Numeric(9, 2))
    location_kind: Mapped[str] = mapped_column(String(10), default="districts")
    point: Mapped[WKBElement | None] = mapped_column(Geometry("POINT", srid=4326))
    radius_m: Mapped[int | None] = mapped_column(Integer)
    area: Mapped[WKBElement | None] = mapped_column(Geometry("POLYGON", srid=4326))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # when staff were told by mail that this submitted proposal waits for moderation (digest)
    announced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    initiative = relationship("Initiative")
    unit = relationship("Unit")
    districts = relationship("District", secondary=proposal_district, order_by="District.name")
