"""Accounts of staff (``User``) and initiatives (``Initiative``): the password check with
throttling, the password rules, and the one place where a password, role or active flag
changes (which ends every login session of the account, ``services.sessions``, voids its
password-reset links, ``reset_tokens``, and writes an audit event for a staff account:
``password_changed``, ``role_changed`` with old and new role, ``activated`` /
``deactivated``; never the password or its hash). Deactivating also revokes the account's API
tokens (``api_tokens.revoke_all``). A successful staff login stamps ``last_login_at``.

Login answers never tell whether an address has an account: an unknown address, a wrong
password, a locked and an inactive account all get ``LOGIN_FAILED``, and each costs one
password hash check (a dummy hash of the same method for an unknown address), so they also
take the same time. After ``max_failures`` wrong passwords an account is locked for
``lock_minutes``; a right password resets the count. The caller commits, also after a failure,
so that the count is kept."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from leerstand.messages import Text
from leerstand.models import User
from leerstand.services.accounts import api_tokens, reset_tokens, sessions
from leerstand.services.audit import log as audit
from leerstand.services.errors import ServiceError
from leerstand.vocab import ROLES

LOGIN_FAILED = Text(
    "Die Anmeldung hat nicht geklappt: E-Mail-Adresse oder Passwort ist falsch, oder das Konto "
    "ist nach mehreren Fehlversuchen für einige Minuten gesperrt. Bitte prüfen Sie Ihre Eingaben "
    "und versuchen Sie es später noch einmal."
)
MIN_PASSWORD = 10
MAX_PASSWORD = 200


@cache
def _dummy_hash() -> str:
    """A hash made like the real ones (werkzeug's default method), checked for unknown addresses."""
    return generate_password_hash("kein-konto-nur-fuer-gleiche-rechenzeit")


def spend_hash_time(password: str) -> None:
    """Check ``password`` against the dummy hash: as slow as a real check, always False."""
    check_password_hash(_dummy_hash(), password)


def find_by_email(session: Session, model, email: str):
    return session.scalar(select(model).where(func.lower(model.email) == email.strip().lower()))


def check_password(account, password: str, max_failures: int, lock_minutes: int) -> str | None:
    """None when ``account`` exists, is not locked and ``password`` is right, else
    ``LOGIN_FAILED``. Every path checks one hash."""
    if account is None:
        spend_hash_time(password)
        return LOGIN_FAILED
    now = datetime.now(UTC)
    right = account.check_password(password)
    if account.locked_until and account.locked_until > now:
        return LOGIN_FAILED
    if not right:
        account.failed_logins += 1
        if account.failed_logins >= max_failures:
            account.locked_until = now + timedelta(minutes=lock_minutes)
            account.failed_logins = 0
        return LOGIN_FAILED
    account.failed_logins = 0
    account.locked_until = None
    return None


def authenticate_staff(
    session: Session, email: str, password: str, max_failures: int, lock_minutes: int
) -> tuple[User | None, str | None]:
    """(user, None) or (None, ``LOGIN_FAILED``); an inactive account fails like a wrong
    password. A success stamps ``last_login_at``. Failed attempts are flushed: commit them."""
    user = find_by_email(session, User, email)
    error = check_password(user, password, max_failures, lock_minutes)
    if error is None and not user.active:
        error = LOGIN_FAILED
    if error is None:
        user.last_login_at = datetime.now(UTC)
    session.flush()
    return (user, None) if error is None else (None, error)


def password_from(values: Mapping, key: str = "password") -> str:
    """The new password of a form (``key`` and its repetition ``key + "2"``), checked."""
    password = str(values.get(key) or "")
    if len(password) < MIN_PASSWORD:
        raise ServiceError(
            Text("Das Passwort muss mindestens %(num)d Zeichen lang sein.", num=MIN_PASSWORD)
        )
    if len(password) > MAX_PASSWORD:
        raise ServiceError(Text("Das Passwort ist zu lang (höchstens 200 Zeichen)."))
    if password != str(values.get(key + "2") or ""):
        raise ServiceError(Text("Die beiden Passwörter stimmen nicht überein."))
    return password


def set_password(session: Session, account, password: str) -> None:
    """Store a new password, void the account's reset links and end every login session of
    the account (also this one: the view starts a fresh session for the browser that made
    the change)."""
    account.set_password(password)
    reset_tokens.void_all(session, account, datetime.now(UTC))
    sessions.end_all(session, account)
    session.flush()


def change_own_password(session: Session, user: User, values: Mapping) -> None:
    """The staff form "Passwort ändern": the current password, then the new one twice."""
    if not user.check_password(str(values.get("current_password") or "")):
        raise ServiceError(
            Text("Das bisherige Passwort ist falsch. Das Passwort bleibt unverändert.")
        )
    set_password(session, user, password_from(values))
    audit.record(session, user.id, "password_changed", user)


def update_user(
    session: Session,
    user: User,
    role: str | None = None,
    active: bool | None = None,
    password: str | None = None,
    actor_id: int | None = None,
) -> list[str]:
    """Change a staff account's role, active flag and/or password; the names of what changed.
    Any change ends every login session of the account; each is an audit event by
    ``actor_id`` (None: the command line, "System")."""
    if role is not None and role not in ROLES:
        raise ServiceError(Text("Unbekannte Rolle „%(role)s“.", role=role))
    if password is not None:
        password_from({"password": password, "password2": password})
    changed = []
    if role is not None and role != user.role:
        audit.record(session, actor_id, "role_changed", user, {"role": [user.role, role]})
        user.role = role
        changed.append("role")
    if active is not None and active != user.active:
        action = "activated" if active else "deactivated"
        audit.record(session, actor_id, action, user, {"active": [user.active, active]})
        user.active = active
        changed.append("active")
        if not active:
            api_tokens.revoke_all(session, user, datetime.now(UTC))
    if password is not None:
        audit.record(session, actor_id, "password_changed", user)
        user.set_password(password)
        changed.append("password")
    if changed:
        sessions.end_all(session, user)
    if "password" in changed or active is False:
        reset_tokens.void_all(session, user, datetime.now(UTC))
    session.flush()
    return changed
