"""The vacancy history of a unit: one row per state and period ``[started_on, ended_on)``, and
the vacancies (runs of vacant periods) derived from it.

Written only by the database (trigger ``leerstand_vacancy_history`` on ``unit``, migration
0012), read by the statistics. ``ended_on`` is None for today's state."""

from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column

from leerstand.db import Base
from leerstand.vocab import VACANCY_STATES, in_vocab


class VacancyPeriod(Base):
    __tablename__ = "vacancy_period"
    __table_args__ = (
        CheckConstraint(in_vocab("state", VACANCY_STATES), name="state"),
        CheckConstraint("ended_on IS NULL OR ended_on > started_on", name="order"),
        Index(
            "vacancy_period_open", "unit_id", unique=True, postgresql_where=text("ended_on IS NULL")
        ),
        Index("vacancy_period_town", "municipality_id", "state", "started_on"),
        Index("vacancy_period_ended", "municipality_id", "ended_on"),
        Index("vacancy_period_unit", "unit_id", "started_on"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"))
    state: Mapped[str] = mapped_column(String(20))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)


class VacancyRun(Base):
    """One vacancy: a run of consecutive vacant periods of a unit (migration 0013, kept by the
    triggers on ``vacancy_period``); ``ended_on`` None while it lasts."""

    __tablename__ = "vacancy_run"
    __table_args__ = (
        CheckConstraint("ended_on IS NULL OR ended_on > started_on", name="order"),
        Index("vacancy_run_unit", "unit_id", "started_on", unique=True),
        Index(
            "vacancy_run_town",
            "municipality_id",
            "started_on",
            postgresql_include=["ended_on", "unit_id", "kind", "area_m2"],
        ),
        # the vacancies lasting on a day: the open ones and those ending later (migration 0016)
        Index(
            "vacancy_run_open",
            "municipality_id",
            "started_on",
            postgresql_include=["kind", "area_m2"],
            postgresql_where=text("ended_on IS NULL"),
        ),
        Index(
            "vacancy_run_ended",
            "municipality_id",
            "ended_on",
            postgresql_include=["started_on", "kind", "area_m2"],
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    # the unit's kind and area, kept by the database (migration 0015) for the statistics
    kind: Mapped[str] = mapped_column(String(20))
    area_m2: Mapped[Decimal | None] = mapped_column(Numeric(8, 1))
