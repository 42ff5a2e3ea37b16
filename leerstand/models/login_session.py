"""Server-side login sessions: the cookie carries a random token, only its SHA-256 is stored.

A session counts only while its row exists and is not ended. Logout ends the row of that
session; a password change, a deactivation or a role change ends every row of the account, so a
copied cookie stops working at once (the signed cookie alone is never enough)."""

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from leerstand.db import Base


class LoginSession(Base):
    __tablename__ = "login_session"
    __table_args__ = (
        CheckConstraint("(user_id IS NULL) <> (initiative_id IS NULL)", name="one_principal"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), index=True
    )
    initiative_id: Mapped[int | None] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
