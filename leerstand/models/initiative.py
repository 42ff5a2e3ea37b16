"""Initiative: a club, youth group, artist or founder with an account (confirmed e-mail)."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from leerstand.db import Base
from leerstand.models.mixins import MunicipalityScoped, Timestamps, Versioned


class Initiative(UserMixin, MunicipalityScoped, Versioned, Timestamps, Base):
    __tablename__ = "initiative"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    contact_person: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), unique=True)
    phone: Mapped[str] = mapped_column(String(60), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    profile: Mapped[str] = mapped_column(Text, default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    email_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # a new address waiting for its confirmation link; ``email`` stays until then
    pending_email: Mapped[str | None] = mapped_column(String(254))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    municipality = relationship("Municipality")

    is_staff = False
    can_edit = False
    role = "initiative"

    def get_id(self) -> str:  # Flask-Login: staff ids are "s:<id>", initiatives "i:<id>"
        return f"i:{self.id}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def display_name(self) -> str:
        return self.name
