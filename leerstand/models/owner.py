"""Eigentümer:in and the link to buildings (Ownership: owner, co-owner, manager, heir; share)."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leerstand.db import Base
from leerstand.models.mixins import MunicipalityScoped, Timestamps, Versioned
from leerstand.vocab import CHANNELS, OWNER_KINDS, OWNERSHIP_ROLES, SALUTATIONS, in_vocab


class Owner(MunicipalityScoped, Versioned, Timestamps, Base):
    __tablename__ = "owner"
    __table_args__ = (
        CheckConstraint(in_vocab("salutation", SALUTATIONS), name="salutation"),
        CheckConstraint(in_vocab("kind", OWNER_KINDS), name="kind"),
        CheckConstraint(in_vocab("preferred_channel", CHANNELS), name="preferred_channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="person")
    # how letters greet: "Sehr geehrte Frau …", "Sehr geehrter Herr …", or "Sehr geehrte Damen
    # und Herren" (neutral, organisation)
    salutation: Mapped[str] = mapped_column(String(20), default="neutral", server_default="neutral")
    name: Mapped[str] = mapped_column(String(200))
    contact_person: Mapped[str] = mapped_column(String(200), default="")
    street: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    preferred_channel: Mapped[str] = mapped_column(String(20), default="letter")
    notes: Mapped[str] = mapped_column(Text, default="")
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)
    # Art. 18 (hidden from lists and search, no contact), Art. 21 (no contact), Art. 17 (erased)
    restricted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    objected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    is_municipality: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    ownerships = relationship("Ownership", back_populates="owner", cascade="all, delete-orphan")


class Ownership(Base):
    __tablename__ = "ownership"
    __table_args__ = (
        UniqueConstraint("building_id", "owner_id"),
        CheckConstraint("share IS NULL OR (share > 0 AND share <= 1)", name="share_range"),
        CheckConstraint(in_vocab("role", OWNERSHIP_ROLES), name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(
        ForeignKey("building.id", ondelete="CASCADE"), index=True
    )
    owner_id: Mapped[int] = mapped_column(ForeignKey("owner.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="owner")
    share: Mapped[Decimal | None] = mapped_column(Numeric(5, 4))

    building = relationship("Building", back_populates="ownerships")
    owner = relationship("Owner", back_populates="ownerships")
