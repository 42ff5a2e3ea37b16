"""Personal, read-only API tokens of staff (``ApiToken``) for GIS clients such as QGIS or GDAL.

A token is ``lst_`` + ``secrets.token_urlsafe(32)``; it is returned once by ``create`` and only
its SHA-256 (hex) is stored. It counts while it is neither revoked nor expired and its user is
active staff (every staff role may read, so a role change keeps the tokens; a password change
keeps them too: they are a credential of their own, listed and revocable on their own page).
Deactivating a user revokes all their tokens for good (``revoke_all``, called by
``passwords.update_user``): a later reactivation does not bring them back.
Creating and revoking are audit events on the user (``api_token_created`` /
``api_token_revoked`` with the token's name, never the token or its hash). Only flushes."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from leerstand.messages import Text
from leerstand.models import ApiToken, User
from leerstand.services.audit import log as audit
from leerstand.services.errors import NotFound, ServiceError
from leerstand.services.forms import parse_int, text

PREFIX = "lst_"
MIN_DAYS, MAX_DAYS, DEFAULT_DAYS = 1, 365, 90
MAX_NAME = 80
TOUCH_EVERY = timedelta(minutes=1)
MAX_RAW = 200  # longer input is not a token: refused before hashing


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def parse_form(values: Mapping) -> tuple[str, int]:
    """(name, days) of the form "Neuer Zugang"; a German ServiceError when one is wrong."""
    name = text(values, "name", MAX_NAME, Text("Bezeichnung"))
    if not name:
        raise ServiceError(
            Text("Bitte eine Bezeichnung angeben, z. B. „QGIS Arbeitsplatz“, damit Sie den "
                 "Zugang später wiedererkennen.")
        )  # fmt: skip
    days = parse_int(values.get("days"), Text("Gültig für (Tage)"), MIN_DAYS, MAX_DAYS)
    return name, DEFAULT_DAYS if days is None else days


def create(
    session: Session, user: User, name: str, days: int, now: datetime
) -> tuple[ApiToken, str]:
    """A new token of ``user`` valid for ``days`` days from ``now``: (row, raw token). The raw
    token exists only in the return value."""
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise ServiceError(Text("Gültig für (Tage): erlaubt sind 1 bis 365 Tage."))
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=hash_token(raw),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(token)
    session.flush()
    changes = {"api_token": [None, name], "expires_at": [None, token.expires_at.isoformat()]}
    audit.record(session, user.id, "api_token_created", user, changes)
    return token, raw


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    """All tokens of ``user``, newest first (revoked and expired ones included)."""
    query = select(ApiToken).where(ApiToken.user_id == user.id)
    return list(session.scalars(query.order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke(session: Session, user: User, token_id: int, now: datetime) -> ApiToken:
    """Revoke one of ``user``'s own tokens (someone else's is "not found"); revoking twice
    changes nothing."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(
            Text("Diesen API-Zugang gibt es nicht (mehr). Bitte laden Sie die Liste neu.")
        )
    if token.revoked_at is None:
        token.revoked_at = now
        session.flush()
        audit.record(session, user.id, "api_token_revoked", user, {"api_token": [token.name, None]})
    return token


def revoke_all(session: Session, user: User, now: datetime) -> int:
    """Revoke every live token of ``user`` (deactivation); the number revoked."""
    result = session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount


def is_live(token: ApiToken, now: datetime) -> bool:
    """Neither revoked nor expired at ``now`` (the expiry instant itself is expired)."""
    return token.revoked_at is None and now < token.expires_at


def authenticate(session: Session, raw: str | None, now: datetime) -> User | None:
    """The active staff user whose live token ``raw`` is, else None. Notes the use in
    ``last_used_at`` at most once a minute (left in the session: the caller commits)."""
    if not raw or not isinstance(raw, str) or len(raw) > MAX_RAW or not raw.startswith(PREFIX):
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(raw)))
    if token is None or not is_live(token, now):
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.active or not getattr(user, "is_staff", False):
        return None
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        token.last_used_at = now
    return user
