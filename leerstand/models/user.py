"""Staff accounts (roles admin / staff / viewer)."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from leerstand.db import Base
from leerstand.models.mixins import Timestamps
from leerstand.vocab import ROLES, in_vocab

WRITE_ROLES = frozenset({"admin", "staff"})


class User(UserMixin, Timestamps, Base):
    __tablename__ = "app_user"
    __table_args__ = (CheckConstraint(in_vocab("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(10), default="viewer")
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    municipality = relationship("Municipality")

    is_staff = True

    def get_id(self) -> str:  # Flask-Login: staff ids are "s:<id>", initiatives "i:<id>"
        return f"s:{self.id}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def can_edit(self) -> bool:
        return self.role in WRITE_ROLES

    @property
    def display_name(self) -> str:
        return self.name or self.email
