"""Append-only log of who read, exported or printed whose personal data (Art. 5(2), 32 DSGVO):
the database refuses UPDATE and DELETE (trigger ``access_event_append_only``)."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leerstand.db import Base


class AccessEvent(Base):
    __tablename__ = "access_event"
    __table_args__ = (Index("ix_access_event_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    action: Mapped[str] = mapped_column(String(20))  # e.g. "read", "export", "print"
    entity: Mapped[str] = mapped_column(String(40))  # e.g. "owner", "initiative", "app_user"
    entity_id: Mapped[int] = mapped_column(Integer)
    detail: Mapped[dict] = mapped_column(JSONB, default=dict)

    user = relationship("User")
