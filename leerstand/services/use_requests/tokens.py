"""Secrets of use requests: the e-mail link token and the letter's answer code.

- link token: ``secrets.token_urlsafe(32)`` (43 characters, case-sensitive);
- answer code: 12 characters from an alphabet without look-alikes (no 0/O/1/I/L), printed as
  ``XXXX-XXXX-XXXX``; typed input is normalised (spaces and dashes dropped, upper case).

Only the SHA-256 (hex) of the secret is stored (``UseRequest.token_hash``); the secret itself
exists only in the mail and on the printed letter. After the first look-up the owner's browser
keeps the request id and the hash in its (signed) session (``find_remembered``), so that no
later address carries the secret."""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from leerstand.models import UseRequest

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0, O, 1, I, L
CODE_LENGTH = 12
CODE_GROUP = 4
LINK_TOKEN_BYTES = 32
MAX_SECRET_LENGTH = 100  # anything longer is not one of ours
_SEPARATORS = re.compile(r"[\s\-‐‑–—]+")


def new_link_token() -> str:
    return secrets.token_urlsafe(LINK_TOKEN_BYTES)


def new_letter_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_secret(channel: str) -> str:
    return new_letter_code() if channel == "letter" else new_link_token()


def format_code(code: str) -> str:
    """``ABCDEFGHJKMN`` -> ``ABCD-EFGH-JKMN`` (for print)."""
    code = normalise_code(code) or code
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def normalise_code(raw: str | None) -> str | None:
    """The answer code in canonical form, or None when ``raw`` cannot be an answer code."""
    candidate = _SEPARATORS.sub("", str(raw or "")).upper()
    if len(candidate) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in candidate):
        return candidate
    return None


def canonical(secret: str | None) -> str | None:
    """The form of ``secret`` that was hashed: an answer code normalised, a link token as is."""
    raw = str(secret or "").strip()
    if not raw or len(raw) > MAX_SECRET_LENGTH:
        return None
    return normalise_code(raw) or raw


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def find_by_secret(session: Session, secret: str | None, lock: bool = False) -> UseRequest | None:
    """The request whose stored hash matches ``secret`` (any state), or None.

    ``lock=True`` takes a row lock (SELECT … FOR UPDATE) until the transaction ends, so that
    two answers with one secret are decided one after the other."""
    value = canonical(secret)
    if value is None:
        return None
    return _find(session, UseRequest.token_hash == hash_secret(value), lock)


def find_remembered(
    session: Session, request_id: int, token_hash: str | None, lock: bool = False
) -> UseRequest | None:
    """The request ``request_id`` while its stored hash is still ``token_hash`` (the owner
    opened it with that secret; a reissued secret no longer matches), or None."""
    if not token_hash:
        return None
    condition = (UseRequest.id == request_id) & (UseRequest.token_hash == token_hash)
    return _find(session, condition, lock)


def _find(session: Session, condition, lock: bool) -> UseRequest | None:
    stmt = select(UseRequest).where(condition)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return session.scalar(stmt)
