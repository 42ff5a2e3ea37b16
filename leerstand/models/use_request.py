"""Nutzungsanfrage: a use request to one owner about one match (proposal + unit).

The owner answers without an account, through a secret: a long random link token (e-mail) or
a short answer code (letter, typed at ``/antwort`` or scanned as a QR code). Only the SHA-256 of
the secret is stored. A request accepts one answer; staff can revoke it or reissue the secret
(the old one stops working). Expired, revoked and answered requests no longer open."""

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leerstand.db import Base
from leerstand.models.mixins import MunicipalityScoped, Timestamps
from leerstand.vocab import ANSWER_CHANNELS, ANSWERS, REQUEST_CHANNELS, in_vocab

YES_ANSWERS = ("yes", "yes_conditions")  # an owner's agreement (with or without conditions)


class UseRequest(MunicipalityScoped, Timestamps, Base):
    __tablename__ = "use_request"
    __table_args__ = (
        CheckConstraint(in_vocab("channel", REQUEST_CHANNELS), name="channel"),
        CheckConstraint(in_vocab("answer", ANSWERS, nullable=True), name="answer"),
        CheckConstraint(
            "(answer IS NULL) = (answered_at IS NULL)", name="answer_and_time_together"
        ),
        CheckConstraint(
            in_vocab("answer_channel", ANSWER_CHANNELS, nullable=True), name="answer_channel"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("match.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owner.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact_case.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[str] = mapped_column(String(10))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issue_count: Mapped[int] = mapped_column(Integer, default=1)
    message: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reminder_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answer: Mapped[str | None] = mapped_column(String(20))
    answer_message: Mapped[str] = mapped_column(Text, default="")
    answer_channel: Mapped[str | None] = mapped_column(String(10))
    answer_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    match = relationship("Match", back_populates="requests")
    owner = relationship("Owner")
    case = relationship("ContactCase")
    created_by = relationship("User", foreign_keys=[created_by_id])
    answer_recorded_by = relationship("User", foreign_keys=[answer_recorded_by_id])

    def state(self, now: datetime) -> str:
        """answered | revoked | expired | open (in this order of precedence)."""
        if self.answered_at is not None:
            return "answered"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "open"
