"""Server-side login sessions (``LoginSession``): start one at login, check it on every
request, end it at logout, end all of an account's sessions when its password, role or active
flag changes.

The browser's session cookie carries the random token; only its SHA-256 is stored. A session
counts only while its row exists and is not ended, so a copied cookie stops working as soon as
the row is ended. Works for staff (``User``) and initiatives (``Initiative``); only flushes."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from leerstand.models import Initiative, LoginSession, User


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _owner_column(account):
    if isinstance(account, User):
        return LoginSession.user_id
    if isinstance(account, Initiative):
        return LoginSession.initiative_id
    raise TypeError(f"no login sessions for {type(account).__name__}")


def start(session: Session, account) -> str:
    """A new session for ``account``; returns the token for the browser's session cookie."""
    token = secrets.token_urlsafe(32)
    row = LoginSession(token_hash=_hash(token))
    setattr(row, _owner_column(account).key, account.id)
    session.add(row)
    session.flush()
    return token


def is_live(session: Session, account, token: str | None) -> bool:
    """True while ``token`` belongs to a session of ``account`` that has not ended."""
    if not token or not isinstance(token, str):
        return False
    found = session.scalar(
        select(LoginSession.id).where(
            LoginSession.token_hash == _hash(token),
            _owner_column(account) == account.id,
            LoginSession.ended_at.is_(None),
        )
    )
    return found is not None


def end(session: Session, token: str | None) -> None:
    """End the session of ``token`` (logout); an unknown or ended token changes nothing."""
    if not token or not isinstance(token, str):
        return
    session.execute(
        update(LoginSession)
        .where(LoginSession.token_hash == _hash(token), LoginSession.ended_at.is_(None))
        .values(ended_at=datetime.now(UTC))
    )


def end_all(session: Session, account) -> int:
    """End every open session of ``account``; returns how many were open."""
    result = session.execute(
        update(LoginSession)
        .where(_owner_column(account) == account.id, LoginSession.ended_at.is_(None))
        .values(ended_at=datetime.now(UTC))
    )
    return result.rowcount
