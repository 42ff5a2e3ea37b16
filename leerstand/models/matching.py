"""Treffer: one proposal (Idee) and one unit that fit, with a score and its reasons.

Rows are written by ``leerstand.services.matching.service`` whenever a proposal or a unit changes.
``status`` is the staff review: suggested → shortlisted | dismissed. A reviewed match that no
longer fits after a change is kept with ``fits = false`` (its review and any use requests stay);
an unreviewed one is deleted."""

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leerstand.db import Base
from leerstand.models.mixins import MunicipalityScoped
from leerstand.vocab import MATCH_STATUSES, in_vocab


class Match(MunicipalityScoped, Base):
    __tablename__ = "match"
    __table_args__ = (
        UniqueConstraint("proposal_id", "unit_id"),
        CheckConstraint("score BETWEEN 0 AND 100", name="score_range"),
        CheckConstraint(in_vocab("status", MATCH_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    score: Mapped[int] = mapped_column(SmallInteger)
    # [{"criterion": "area", "points": 22.5, "max": 25, "text": "92 m² – passt (…)"}, …]
    reasons: Mapped[list[dict]] = mapped_column(JSONB, default=list)
    distance_m: Mapped[int | None] = mapped_column(Integer)
    fits: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    status: Mapped[str] = mapped_column(String(20), default="suggested", index=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    computed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    # when the pair was first found (re-matching moves ``computed_at``, never this)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    proposal = relationship("Proposal")
    unit = relationship("Unit")
    reviewed_by = relationship("User")
    requests: Mapped[list["UseRequest"]] = relationship(  # noqa: F821
        back_populates="match", order_by="UseRequest.id"
    )
