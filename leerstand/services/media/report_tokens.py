"""The confirmation link of a reporter's e-mail address: signed (itsdangerous, salt
``SALT``), expiring (``VALID_DAYS``, checked by the signature's age and by the stored expiry)
and single-use (only its SHA-256 is stored, and removed when it is used).

Opening the link (``check``) changes nothing; only ``confirm`` (the POST of the link's page)
marks the address confirmed. A forged, expired, used or replaced link is refused with the same
German message. Only flushes."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from leerstand.messages import Text
from leerstand.models import VacancyReport
from leerstand.services.errors import ServiceError

SALT = "vacancy-report-email"
VALID_DAYS = 7
MAX_TOKEN = 300  # longer input is not one of ours: refused before it is parsed
INVALID = Text(
    "Dieser Bestätigungslink ist ungültig, abgelaufen (gültig 7 Tage) oder schon benutzt. "
    "Ihre Meldung ist trotzdem bei uns angekommen; Nachrichten dazu können wir Ihnen ohne "
    "bestätigte Adresse aber nicht schicken."
)


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def issue(secret_key: str, report: VacancyReport, now: datetime) -> str:
    """A new link token for ``report`` (flushed: id known); its hash and expiry are stored on
    the report. The raw token exists only in the return value (and the mail)."""
    raw = _serializer(secret_key).dumps({"r": report.id, "n": secrets.token_urlsafe(16)})
    report.email_token_hash = hash_token(raw)
    report.email_token_expires_at = now + timedelta(days=VALID_DAYS)
    return raw


def check(session: Session, secret_key: str, raw: str | None, now: datetime) -> VacancyReport:
    """The report whose address the link ``raw`` confirms; ServiceError(INVALID) otherwise."""
    if not raw or len(raw) > MAX_TOKEN:
        raise ServiceError(INVALID)
    try:
        data = _serializer(secret_key).loads(raw, max_age=VALID_DAYS * 24 * 3600)
    except (SignatureExpired, BadSignature):
        raise ServiceError(INVALID) from None
    stmt = select(VacancyReport).where(VacancyReport.email_token_hash == hash_token(raw))
    report = session.scalar(stmt.with_for_update())
    if report is None or not isinstance(data, dict) or data.get("r") != report.id:
        raise ServiceError(INVALID)
    expires = report.email_token_expires_at
    if expires is None or expires <= now or not report.email or report.email_confirmed_at:
        raise ServiceError(INVALID)
    return report


def confirm(session: Session, secret_key: str, raw: str | None, now: datetime) -> VacancyReport:
    """Mark the address of the link's report confirmed; the link stops working."""
    report = check(session, secret_key, raw, now)
    report.email_confirmed_at = now
    report.email_token_hash = None
    report.email_token_expires_at = None
    session.flush()
    return report
