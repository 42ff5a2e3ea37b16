"""Zwischennutzung: an agreed interim use of a unit by an initiative, from–to, with its terms.

While it runs the unit's ``vacancy_state`` is ``interim_use`` (maps show "in Zwischennutzung").
When it ends, staff record the outcome, which later statistics use."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leerstand.db import Base
from leerstand.models.mixins import MunicipalityScoped, Timestamps, Versioned
from leerstand.vocab import INTERIM_OUTCOMES, in_vocab


class InterimUse(MunicipalityScoped, Versioned, Timestamps, Base):
    __tablename__ = "interim_use"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="period_order"),
        CheckConstraint(in_vocab("outcome", INTERIM_OUTCOMES, nullable=True), name="outcome"),
        CheckConstraint("(outcome IS NULL) = (ended_on IS NULL)", name="outcome_and_end_together"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposal.id", ondelete="SET NULL"), index=True
    )
    initiative_id: Mapped[int | None] = mapped_column(
        ForeignKey("initiative.id", ondelete="SET NULL"), index=True
    )
    use_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("use_request.id", ondelete="SET NULL")
    )
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date, index=True)
    costs: Mapped[str] = mapped_column(Text, default="")
    insurance: Mapped[str] = mapped_column(Text, default="")
    key_handover: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    ended_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(20))
    end_reminder_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    unit = relationship("Unit")
    proposal = relationship("Proposal")
    initiative = relationship("Initiative")
    use_request = relationship("UseRequest")
    created_by = relationship("User")

    @property
    def active(self) -> bool:
        return self.outcome is None
