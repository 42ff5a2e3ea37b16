"""Password check with throttling, shared by staff (``User``) and initiatives (``Initiative``).

Both carry ``failed_logins`` and ``locked_until``: after ``max_failures`` wrong passwords the
account is locked for ``lock_minutes``; a right password resets the count. The caller commits,
also after a failure, so that the count is kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leerstand.services.messages import Text

WRONG_LOGIN = Text("E-Mail-Adresse oder Passwort ist falsch.")


def find_by_email(session: Session, model, email: str):
    return session.scalar(select(model).where(func.lower(model.email) == email.strip().lower()))


def check_password(account, password: str, max_failures: int, lock_minutes: int) -> str | None:
    """None when ``password`` is right, else the German reason (wrong, or locked for N minutes)."""
    if account is None:
        return WRONG_LOGIN
    now = datetime.now(UTC)
    if account.locked_until and account.locked_until > now:
        minutes = int((account.locked_until - now).total_seconds() // 60) + 1
        return Text(
            "Zu viele Fehlversuche. Die Anmeldung ist für %(num)d Minuten gesperrt.", num=minutes
        )
    if not account.check_password(password):
        account.failed_logins += 1
        if account.failed_logins >= max_failures:
            account.locked_until = now + timedelta(minutes=lock_minutes)
            account.failed_logins = 0
        return WRONG_LOGIN
    account.failed_logins = 0
    account.locked_until = None
    return None
