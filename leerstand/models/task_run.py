"""When a scheduled command last succeeded (``reminders``, ``retention``): one row per command,
written at its end (migration 0020). /metrics reports it, so monitoring notices a timer that
stopped running."""

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from leerstand.db import Base


class TaskRun(Base):
    __tablename__ = "task_run"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    succeeded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
