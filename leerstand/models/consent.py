"""Einwilligung: what an owner allowed, per scope, with when, how and which text version.

One row per owner and scope; withdrawing sets ``withdrawn_at`` (giving again clears it).
The audit log keeps the history of every change."""

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leerstand.db import Base
from leerstand.models.mixins import MunicipalityScoped, Timestamps
from leerstand.vocab import CHANNELS, CONSENT_SCOPES, in_vocab

SCOPES = tuple(CONSENT_SCOPES)


class Consent(MunicipalityScoped, Timestamps, Base):
    __tablename__ = "consent"
    __table_args__ = (
        UniqueConstraint("owner_id", "scope"),
        CheckConstraint(in_vocab("scope", CONSENT_SCOPES), name="scope"),
        CheckConstraint(in_vocab("channel", CHANNELS), name="channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owner.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(20))
    given_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    channel: Mapped[str] = mapped_column(String(20), default="letter")
    text_version: Mapped[str] = mapped_column(String(40), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    owner = relationship("Owner")

    @property
    def active(self) -> bool:
        return self.given_at is not None and self.withdrawn_at is None
