"""An initiative changes its e-mail address: ``request_change`` (the current password and the
new address) stores the new address in ``pending_email``; a signed link (``change_token``,
valid ``MAX_AGE_S``) goes to the new address, a notice to the old one (the caller mails
both). Only ``confirm`` (the POST of the link page) moves ``pending_email`` into ``email``.

An address that another account already uses is answered like any other (no enumeration):
``pending_email`` is set the same way, but the caller mails that other account instead of a
link, and a confirmation for a taken address is refused."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from leerstand.messages import Text
from leerstand.models import Initiative
from leerstand.services import forms
from leerstand.services.accounts import passwords, reset_tokens
from leerstand.services.errors import ServiceError

SALT = "change-email"
MAX_AGE_S = 3 * 24 * 3600
INVALID = Text(
    "Der Bestätigungslink ist ungültig oder abgelaufen (gültig 3 Tage), oder die Adresse wurde "
    "inzwischen anders geändert. Bitte ändern Sie die Adresse in Ihrem Profil noch einmal."
)


def request_change(session: Session, initiative: Initiative, values: Mapping):
    """Check the form and set ``pending_email``; the account that already uses the new
    address (mail it instead of the link), or None."""
    new = forms.email(
        values.get("new_email"),
        required=True,
        message=Text("Bitte eine gültige neue E-Mail-Adresse angeben, z. B. name@verein.de."),
    ).lower()
    if new == initiative.email.lower():
        raise ServiceError(Text("Das ist schon Ihre E-Mail-Adresse. Es hat sich nichts geändert."))
    if not initiative.check_password(str(values.get("email_password") or "")):
        raise ServiceError(Text("Das Passwort ist falsch. Die E-Mail-Adresse bleibt unverändert."))
    owner = passwords.find_by_email(session, Initiative, new)
    initiative.pending_email = new
    session.flush()
    return owner


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def change_token(secret_key: str, initiative: Initiative) -> str:
    return _serializer(secret_key).dumps({"id": initiative.id, "email": initiative.pending_email})


def check_token(session: Session, secret_key: str, token: str) -> Initiative:
    """The initiative whose pending address the link confirms; changes nothing."""
    try:
        data = _serializer(secret_key).loads(token, max_age=MAX_AGE_S)
    except (SignatureExpired, BadSignature):
        raise ServiceError(INVALID) from None
    initiative = session.get(Initiative, data.get("id")) if isinstance(data, dict) else None
    if initiative is None or not initiative.pending_email:
        raise ServiceError(INVALID)
    if initiative.pending_email != data.get("email"):
        raise ServiceError(INVALID)
    if passwords.find_by_email(session, Initiative, initiative.pending_email) is not None:
        raise ServiceError(INVALID)
    return initiative


def confirm(session: Session, secret_key: str, token: str, now: datetime) -> Initiative:
    """Switch to the confirmed new address; the old address's reset links are voided."""
    initiative = check_token(session, secret_key, token)
    initiative.email, initiative.pending_email = initiative.pending_email, None
    initiative.email_confirmed_at = now
    reset_tokens.void_all(session, initiative, now)
    session.flush()
    return initiative
