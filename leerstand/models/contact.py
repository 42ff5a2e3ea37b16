"""Eigentümeransprache: one contact case per building and owner, with an append-only event log.

The allowed state transitions live in ``leerstand.services.contact.cases``; the database refuses
UPDATE and DELETE on ``contact_event`` (trigger in the first migration)."""

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leerstand.db import Base
from leerstand.models.mixins import MunicipalityScoped, Timestamps, Versioned
from leerstand.vocab import CHANNELS, CONTACT_STATES, DIRECTIONS, in_vocab


class ContactCase(MunicipalityScoped, Versioned, Timestamps, Base):
    __tablename__ = "contact_case"
    __table_args__ = (
        UniqueConstraint("building_id", "owner_id"),
        CheckConstraint(in_vocab("state", CONTACT_STATES), name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(
        ForeignKey("building.id", ondelete="CASCADE"), index=True
    )
    owner_id: Mapped[int] = mapped_column(ForeignKey("owner.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(30), default="not_contacted", index=True)
    next_follow_up: Mapped[date | None] = mapped_column(Date, index=True)
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    building = relationship("Building")
    owner = relationship("Owner")
    responsible = relationship("User")
    events: Mapped[list["ContactEvent"]] = relationship(
        back_populates="case", order_by="(ContactEvent.occurred_on.desc(), ContactEvent.id.desc())"
    )


class ContactEvent(Base):
    __tablename__ = "contact_event"
    __table_args__ = (
        CheckConstraint(in_vocab("channel", CHANNELS, nullable=True), name="channel"),
        CheckConstraint(in_vocab("direction", DIRECTIONS), name="direction"),
        CheckConstraint(in_vocab("from_state", CONTACT_STATES, nullable=True), name="from_state"),
        CheckConstraint(in_vocab("to_state", CONTACT_STATES, nullable=True), name="to_state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("contact_case.id", ondelete="CASCADE"), index=True
    )
    occurred_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str | None] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(10), default="internal")
    summary: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    from_state: Mapped[str | None] = mapped_column(String(30))
    to_state: Mapped[str | None] = mapped_column(String(30))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    case: Mapped[ContactCase] = relationship(back_populates="events")
    user = relationship("User")
