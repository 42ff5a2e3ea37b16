"""Leerstandsmeldung: a vacant space reported by a citizen on the public map, without an account.

A report is never public: staff decide it in their queue (accept: a unit made from it; merge:
linked to an existing unit; reject: with a reason). ``unit_id`` with status ``accepted`` is the
source of a vacancy ("aus einer Bürgermeldung", counted by the statistics); ``merged`` links a
report to a unit that existed already. The reporter's optional e-mail address is used only for
updates after its confirmation link (stored hashed, single use) was answered, is shown nowhere
(staff see only whether there is a confirmed one) and is deleted by the retention rule
``report_email`` some time after the decision. Another reporter saying "this is the same
place" counts as a ``confirmations`` of an open report."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leerstand.db import Base
from leerstand.models.mixins import MunicipalityScoped, Timestamps
from leerstand.vocab import UNIT_KINDS, in_vocab

# Roughly since when the space has been empty ("date": the month in ``since_month``).
REPORT_SINCE = {
    "weeks": _l("seit wenigen Wochen"),
    "months": _l("seit einigen Monaten"),
    "year": _l("seit über einem Jahr"),
    "unknown": _l("weiß nicht"),
    "date": _l("seit Monat/Jahr"),
}
REPORT_STATES = {
    "new": _l("neu"),
    "accepted": _l("übernommen"),
    "merged": _l("zusammengeführt"),
    "rejected": _l("abgelehnt"),
}


class VacancyReport(MunicipalityScoped, Timestamps, Base):
    __tablename__ = "vacancy_report"
    __table_args__ = (
        CheckConstraint(in_vocab("kind", UNIT_KINDS), name="kind"),
        CheckConstraint(in_vocab("since", REPORT_SINCE), name="since"),
        CheckConstraint(in_vocab("status", REPORT_STATES), name="status"),
        CheckConstraint("(since = 'date') = (since_month IS NOT NULL)", name="since_month"),
        CheckConstraint("(status = 'new') = (decided_at IS NULL)", name="decided"),
        CheckConstraint(
            "status NOT IN ('accepted', 'merged') OR unit_id IS NOT NULL", name="unit_linked"
        ),
        CheckConstraint("location IS NOT NULL OR street <> ''", name="place_given"),
        # "within 50 m" on the spheroid: ST_DWithin(location::geography, …)
        Index(
            "ix_vacancy_report_location_geography",
            text("(location::geography)"),
            postgresql_using="gist",
        ),
        Index("ix_vacancy_report_queue", "municipality_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    location: Mapped[WKBElement | None] = mapped_column(Geometry("POINT", srid=4326))
    street: Mapped[str] = mapped_column(String(120), default="")
    house_number: Mapped[str] = mapped_column(String(20), default="")
    kind: Mapped[str] = mapped_column(String(20))
    since: Mapped[str] = mapped_column(String(10), default="unknown")
    since_month: Mapped[date | None] = mapped_column(Date)
    comment: Mapped[str] = mapped_column(Text, default="")
    # the re-encoded photo (no metadata) in the media store, until the report is decided
    photo_key: Mapped[str | None] = mapped_column(String(80))
    photo_mime: Mapped[str | None] = mapped_column(String(40))
    photo_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    email: Mapped[str | None] = mapped_column(String(254))
    email_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    email_token_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    email_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # the public unit the reporter said it is ("Das ist dieser Ort")
    suggested_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit.id", ondelete="SET NULL"), index=True
    )
    confirmations: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(10), default="new")
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit.id", ondelete="SET NULL"), index=True
    )

    unit = relationship("Unit", foreign_keys=[unit_id])
    suggested_unit = relationship("Unit", foreign_keys=[suggested_unit_id])
    decided_by = relationship("User")

    @property
    def address(self) -> str:
        return f"{self.street} {self.house_number}".strip()

    @property
    def has_confirmed_email(self) -> bool:
        return bool(self.email) and self.email_confirmed_at is not None
