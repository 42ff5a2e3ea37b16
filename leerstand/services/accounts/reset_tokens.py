"""Password-reset tokens (``PasswordReset``) of staff and initiatives, stored and looked up:
``secrets.token_urlsafe(32)`` goes into the mail, only its SHA-256 into the table. A token
counts while it is unused and not expired; issuing a new one, a password change and a
deactivation void the account's older tokens (``void_all``, called by ``passwords``). The
flows that use them (forgotten password, invitation) are ``services.accounts.resets``."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from leerstand.models import Initiative, PasswordReset, User
from leerstand.services.accounts.api_tokens import hash_token

MAX_TOKEN = 200  # longer input is not a token: refused before hashing


def _column(account):
    if isinstance(account, User):
        return PasswordReset.user_id
    if isinstance(account, Initiative):
        return PasswordReset.initiative_id
    raise TypeError(f"no password reset for {type(account).__name__}")


def void_all(session: Session, account, now: datetime) -> None:
    """Mark every unused token of ``account`` as used: none of them works any more."""
    session.execute(
        update(PasswordReset)
        .where(_column(account) == account.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )


def issue(session: Session, account, lifetime: timedelta, now: datetime) -> str:
    """A new token for ``account`` valid for ``lifetime``; its older tokens are voided."""
    void_all(session, account, now)
    token = secrets.token_urlsafe(32)
    row = PasswordReset(token_hash=hash_token(token), expires_at=now + lifetime, created_at=now)
    setattr(row, _column(account).key, account.id)
    session.add(row)
    session.flush()
    return token


def spend_like_issue(session: Session, now: datetime) -> None:
    """The work of ``issue`` without an account (for an unknown address, so that both answers
    cost alike): the same UPDATE (it matches nothing) and one token made and hashed."""
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id.is_(None), PasswordReset.initiative_id.is_(None))
        .values(used_at=now)
    )
    hash_token(secrets.token_urlsafe(32))


def _valid(row: PasswordReset | None, now: datetime) -> PasswordReset | None:
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    return row


def find(session: Session, token: str | None, now: datetime) -> PasswordReset | None:
    """The valid reset of the mailed ``token``, or None (unknown, used, voided, expired)."""
    if not token or not isinstance(token, str) or len(token) > MAX_TOKEN:
        return None
    row = session.scalar(select(PasswordReset).where(PasswordReset.token_hash == hash_token(token)))
    return _valid(row, now)


def remembered(
    session: Session, reset_id, token_hash, now: datetime, lock: bool = False
) -> PasswordReset | None:
    """The valid reset with ``reset_id`` whose hash is ``token_hash`` (what the browser's
    session remembers after opening the link), or None. ``lock`` takes a row lock, so that
    two POSTs with one token are decided one after the other."""
    if not isinstance(reset_id, int) or not isinstance(token_hash, str):
        return None
    query = select(PasswordReset).where(
        PasswordReset.id == reset_id, PasswordReset.token_hash == token_hash
    )
    row = session.scalar(query.with_for_update() if lock else query)
    return _valid(row, now)


def account_of(session: Session, row: PasswordReset):
    """The ``User`` or ``Initiative`` a reset belongs to."""
    if row.user_id is not None:
        return session.get(User, row.user_id)
    return session.get(Initiative, row.initiative_id)
