"""Initiative accounts: register, confirm the e-mail address, log in (with lockout), profile
(a password change there ends the account's login sessions, ``services.accounts``).

No Flask imports: the secret key and the lockout limits are passed in. Every problem raises
``ServiceError`` with a German message before anything is flushed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from leerstand.messages import Text
from leerstand.models import Initiative, Municipality
from leerstand.services import forms
from leerstand.services.accounts import passwords as accounts
from leerstand.services.errors import NotFound, ServiceError
from leerstand.services.forms import text
from leerstand.services.locking import check_version

CONFIRM_SALT = "confirm-email"
CONFIRM_MAX_AGE_S = 3 * 24 * 3600
URL_RE = re.compile(r"^https?://[^\s<>\"']+\.[^\s<>\"']+$", re.IGNORECASE)


def default_municipality_id(session: Session, ags: str | None = None) -> int:
    query = select(Municipality.id).order_by(Municipality.id).limit(1)
    if ags:
        query = select(Municipality.id).where(Municipality.ags == ags)
    municipality_id = session.scalar(query)
    if municipality_id is None:
        raise NotFound(Text("Es ist noch keine Kommune eingerichtet."))
    return municipality_id


def _email(values: Mapping) -> str:
    return forms.email(values.get("email"), required=True).lower()


def _website(values: Mapping) -> str:
    website = text(values, "website", 300, Text("Webseite"))
    if website and not URL_RE.match(website):
        raise ServiceError(
            Text("Die Webseite muss mit http:// oder https:// beginnen (z. B. https://verein.de).")
        )
    return website


def profile_values(values: Mapping) -> dict:
    name = text(values, "name", 200, Text("Name der Initiative / Organisation"))
    if not name:
        raise ServiceError(Text("Bitte den Namen der Initiative oder Organisation angeben."))
    return {
        "name": name,
        "contact_person": text(values, "contact_person", 200, Text("Ansprechperson")),
        "phone": text(values, "phone", 60, Text("Telefon")),
        "website": _website(values),
        "profile": text(values, "profile", 5_000, Text("Kurzprofil")),
    }


def register(session: Session, municipality_id: int, values: Mapping) -> tuple[Initiative, bool]:
    """(new initiative, True); or (the existing account, False) when the address has one
    already: nothing is written and the caller mails that account instead, so that the answer
    never tells whether an address is registered. Both paths spend one password hash."""
    attrs = profile_values(values)
    email = _email(values)
    password = accounts.password_from(values)
    existing = accounts.find_by_email(session, Initiative, email)
    if existing is not None:
        accounts.spend_hash_time(password)
        return existing, False
    initiative = Initiative(municipality_id=municipality_id, email=email, **attrs)
    initiative.set_password(password)
    session.add(initiative)
    session.flush()
    return initiative, True


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=CONFIRM_SALT)


def confirmation_token(secret_key: str, initiative: Initiative) -> str:
    return _serializer(secret_key).dumps({"id": initiative.id, "email": initiative.email})


def check_token(session: Session, secret_key: str, token: str) -> Initiative:
    """The initiative a confirmation token belongs to; changes nothing."""
    try:
        data = _serializer(secret_key).loads(token, max_age=CONFIRM_MAX_AGE_S)
    except SignatureExpired:
        raise ServiceError(
            Text(
                "Der Bestätigungslink ist abgelaufen (gültig 3 Tage). "
                "Bitte fordern Sie einen neuen Link an."
            )
        ) from None
    except BadSignature:
        raise ServiceError(
            Text(
                "Der Bestätigungslink ist ungültig. Bitte kopieren Sie den Link vollständig aus "
                "der E-Mail oder fordern Sie einen neuen an."
            )
        ) from None
    initiative = session.get(Initiative, data.get("id")) if isinstance(data, dict) else None
    if initiative is None or initiative.email != data.get("email"):
        raise ServiceError(Text("Der Bestätigungslink passt zu keinem Konto."))
    return initiative


def confirm(session: Session, secret_key: str, token: str) -> Initiative:
    initiative = check_token(session, secret_key, token)
    if initiative.email_confirmed_at is None:
        initiative.email_confirmed_at = datetime.now(UTC)
        session.flush()
    return initiative


def find_unconfirmed(session: Session, email: str) -> Initiative | None:
    initiative = accounts.find_by_email(session, Initiative, email)
    return initiative if initiative is not None and not initiative.confirmed else None


def authenticate(
    session: Session, email: str, password: str, max_failures: int, lock_minutes: int
) -> tuple[Initiative | None, str | None]:
    """(initiative, None) or (None, German message). Failed attempts are flushed: commit them."""
    initiative = accounts.find_by_email(session, Initiative, email)
    error = accounts.check_password(initiative, password, max_failures, lock_minutes)
    if error is None and not initiative.confirmed:
        error = Text(
            "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse über den Link in der "
            "Bestätigungs-E-Mail. Danach können Sie sich anmelden."
        )
    session.flush()
    return (initiative, None) if error is None else (None, error)


def update_profile(session: Session, initiative: Initiative, values: Mapping) -> Initiative:
    check_version(initiative, values.get("version"))
    attrs = profile_values(values)
    new_password = None
    if values.get("password"):
        if not initiative.check_password(str(values.get("current_password") or "")):
            raise ServiceError(
                Text("Das bisherige Passwort ist falsch. Das Passwort bleibt unverändert.")
            )
        new_password = accounts.password_from(values)
    for key, value in attrs.items():
        if getattr(initiative, key) != value:
            setattr(initiative, key, value)
    if new_password:
        accounts.set_password(session, initiative, new_password)  # ends its login sessions
    session.flush()
    return initiative
