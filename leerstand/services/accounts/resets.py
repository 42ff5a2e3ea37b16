"""Forgotten passwords and invitations: a mailed single-use link (``reset_tokens``) lets the
account holder set a new password.

- ``request_reset``: the form "Passwort vergessen". Known or not, the caller answers the same;
  both paths run the same UPDATE and make and hash a token, so they cost alike. Only an
  active staff account or an initiative gets a token (the caller mails it); valid
  ``RESET_LIFETIME``; the view sends the mail after the answer has gone out.
- ``complete``: the POST of the link page. Sets the password (``passwords.set_password``: every
  login session of the account ends, its other links are voided), marks the link used, lifts a
  lockout, confirms an initiative's address (the link proved the mailbox), audits staff.
- Invitations of staff (``services.accounts.staff``) use ``issue`` with ``INVITE_LIFETIME``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from leerstand.messages import Text
from leerstand.models import Initiative, User
from leerstand.services.accounts import passwords, reset_tokens
from leerstand.services.audit import log as audit
from leerstand.services.errors import ServiceError

RESET_LIFETIME = timedelta(minutes=60)
INVITE_LIFETIME = timedelta(days=7)
INVALID = Text(
    "Dieser Link ist ungültig, abgelaufen oder wurde schon benutzt. Bitte fordern Sie über "
    "„Passwort vergessen?“ einen neuen Link an."
)


class InvalidReset(ServiceError):
    """The link does not (or no longer) open."""

    def __init__(self) -> None:
        super().__init__(INVALID)


def _may_reset(account) -> bool:
    return account is not None and (not isinstance(account, User) or account.active)


def request_reset(session: Session, model, email: str, now: datetime):
    """(account, token) for an account that may reset its password, else (None, None) after
    the same work without storing anything."""
    account = passwords.find_by_email(session, model, str(email or "")[:254])
    if not _may_reset(account):
        reset_tokens.spend_like_issue(session, now)
        return None, None
    return account, reset_tokens.issue(session, account, RESET_LIFETIME, now)


def opened(session: Session, token: str | None, now: datetime):
    """The valid reset of a mailed link (for the GET of the link page; changes nothing)."""
    row = reset_tokens.find(session, token, now)
    if row is None or not _may_reset(reset_tokens.account_of(session, row)):
        return None
    return row


def complete(session: Session, reset_id, token_hash, values: Mapping, now: datetime):
    """Set the new password of the remembered reset; the account. ``InvalidReset`` when the
    link is no longer valid, a ``ServiceError`` for a bad password (nothing written)."""
    password = passwords.password_from(values)
    row = reset_tokens.remembered(session, reset_id, token_hash, now, lock=True)
    account = reset_tokens.account_of(session, row) if row is not None else None
    if not _may_reset(account):
        raise InvalidReset()
    row.used_at = now
    passwords.set_password(session, account, password)
    account.failed_logins, account.locked_until = 0, None
    if isinstance(account, Initiative) and account.email_confirmed_at is None:
        account.email_confirmed_at = now
    if isinstance(account, User):
        audit.record(session, account.id, "password_changed", account)
    session.flush()
    return account
