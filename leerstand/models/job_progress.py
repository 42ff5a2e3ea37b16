"""How far a background job got: one row per job of the queue (procrastinate's
``procrastinate_jobs``, whose id it carries without a foreign key, so that the queue's schema
stays the library's). The job's state and attempts come from the queue; what it works on, its
progress and its last error from here."""

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from leerstand.db import Base


class JobProgress(Base):
    __tablename__ = "job_progress"

    job_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    task: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(300), server_default="")
    done: Mapped[int] = mapped_column(Integer, server_default="0")
    total: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
