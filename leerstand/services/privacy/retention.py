"""Retention: what is due for anonymisation or deletion, and doing it (``flask retention``).

Periods come from the configuration (``leerstand.config``: RETENTION_*); each rule lists its
due records as ``Due(kind, id, since)`` and handles one record at a time with one audit entry:

- ``owner``: an owner without any ownership since N years (the later of the record's creation
  and the last removed link) is erased like an Art. 17 erasure (``erasure.erase_owner``);
- ``declined_contact``: a contact case declined N years ago loses the texts of its contact log
  (through the database's erasure path), state and dates stay;
- ``initiative``: an initiative account never confirmed N days after registration is deleted;
- ``request_secret``: the stored hash of the secret of a request answered or expired N days
  ago is replaced by a marker (the link or code could never work again anyway);
- ``report_email``: the reporter's e-mail address of a citizen's report decided N days ago
  (or never confirmed and N days old) is deleted, with its confirmation token;
- ``mail_copy``: outbox copies of mails older than N days are deleted (files, no audit entry:
  they belong to no municipality's record).

Every rule selects only what it has not handled yet, so a second run finds nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import exists, func, or_, select, text
from sqlalchemy.orm import Session, aliased

from leerstand.models import (
    AuditEvent,
    ContactCase,
    ContactEvent,
    Initiative,
    Owner,
    Ownership,
    UseRequest,
    VacancyReport,
)
from leerstand.services.audit.log import record
from leerstand.services.privacy.erasure import ERASED_NAME, erase_owner

RETIRED_PREFIX = "retired-"  # token_hash of a request whose secret is gone (never hex)
DAYS_PER_YEAR = 365


@dataclass(frozen=True)
class Periods:
    owner_years: int = 3
    declined_years: int = 5
    initiative_days: int = 30
    secret_days: int = 90
    mail_days: int = 90
    report_email_days: int = 90

    @classmethod
    def from_config(cls, config) -> Periods:
        return cls(
            owner_years=int(config["RETENTION_OWNER_WITHOUT_OWNERSHIP_YEARS"]),
            declined_years=int(config["RETENTION_DECLINED_CONTACT_YEARS"]),
            initiative_days=int(config["RETENTION_UNCONFIRMED_INITIATIVE_DAYS"]),
            secret_days=int(config["RETENTION_REQUEST_SECRET_DAYS"]),
            mail_days=int(config["RETENTION_MAIL_COPY_DAYS"]),
            report_email_days=int(config.get("RETENTION_REPORT_EMAIL_DAYS") or 90),
        )


@dataclass(frozen=True)
class Due:
    kind: str
    id: int | str
    since: datetime


def _owners(session: Session, cutoff: datetime) -> list[Due]:
    last_unlink = (
        select(func.max(AuditEvent.at))
        .where(
            AuditEvent.entity == "owner",
            AuditEvent.entity_id == Owner.id,
            AuditEvent.action == "unlink",
        )
        .scalar_subquery()
    )
    since = func.greatest(Owner.created_at, func.coalesce(last_unlink, Owner.created_at))
    stmt = (
        select(Owner.id, since)
        .where(
            Owner.erased_at.is_(None),
            Owner.is_municipality.is_(False),
            ~exists().where(Ownership.owner_id == Owner.id),
            since < cutoff,
        )
        .order_by(Owner.id)
    )
    return [Due("owner", oid, at) for oid, at in session.execute(stmt)]


def _declined(session: Session, cutoff: datetime) -> list[Due]:
    declined_on = func.max(ContactEvent.occurred_on)
    other = aliased(ContactEvent)
    unscrubbed = (
        select(other.id)
        .where(
            other.case_id == ContactCase.id,
            or_(other.summary != ERASED_NAME, other.outcome != ""),
        )
        .correlate(ContactCase)
        .exists()
    )
    stmt = (
        select(ContactCase.id, declined_on)
        .join(ContactEvent, ContactEvent.case_id == ContactCase.id)
        .where(ContactCase.state == "declined", ContactEvent.to_state == "declined", unscrubbed)
        .group_by(ContactCase.id)
        .having(declined_on < cutoff.date())
        .order_by(ContactCase.id)
    )
    return [Due("declined_contact", cid, day) for cid, day in session.execute(stmt)]


def _initiatives(session: Session, cutoff: datetime) -> list[Due]:
    stmt = (
        select(Initiative.id, Initiative.created_at)
        .where(Initiative.email_confirmed_at.is_(None), Initiative.created_at < cutoff)
        .order_by(Initiative.id)
    )
    return [Due("initiative", iid, at) for iid, at in session.execute(stmt)]


def _secrets(session: Session, cutoff: datetime, now: datetime) -> list[Due]:
    since = func.coalesce(UseRequest.answered_at, UseRequest.expires_at)
    stmt = (
        select(UseRequest.id, since)
        .where(
            ~UseRequest.token_hash.startswith(RETIRED_PREFIX),
            or_(UseRequest.answered_at.is_not(None), UseRequest.expires_at <= now),
            since < cutoff,
        )
        .order_by(UseRequest.id)
    )
    return [Due("request_secret", rid, at) for rid, at in session.execute(stmt)]


def _report_emails(session: Session, cutoff: datetime) -> list[Due]:
    since = func.coalesce(VacancyReport.decided_at, VacancyReport.created_at)
    decided_or_unconfirmed = or_(
        VacancyReport.decided_at.is_not(None), VacancyReport.email_confirmed_at.is_(None)
    )
    stmt = (
        select(VacancyReport.id, since)
        .where(VacancyReport.email.is_not(None), decided_or_unconfirmed, since < cutoff)
        .order_by(VacancyReport.id)
    )
    return [Due("report_email", rid, at) for rid, at in session.execute(stmt)]


def _mail_copies(outbox: Path | None, cutoff: datetime) -> list[Due]:
    if outbox is None or not outbox.is_dir():
        return []
    due = []
    for path in sorted(outbox.glob("*.eml")):
        written = datetime.fromtimestamp(path.stat().st_mtime, tz=cutoff.tzinfo)
        if written < cutoff:
            due.append(Due("mail_copy", path.name, written))
    return due


def due_records(
    session: Session, periods: Periods, now: datetime, outbox: Path | None = None
) -> list[Due]:
    """Everything due at ``now`` (timezone-aware), rule by rule."""
    years = timedelta(days=DAYS_PER_YEAR)
    return [
        *_owners(session, now - periods.owner_years * years),
        *_declined(session, now - periods.declined_years * years),
        *_initiatives(session, now - timedelta(days=periods.initiative_days)),
        *_secrets(session, now - timedelta(days=periods.secret_days), now),
        *_report_emails(session, now - timedelta(days=periods.report_email_days)),
        *_mail_copies(outbox, now - timedelta(days=periods.mail_days)),
    ]


def _audit(session: Session, obj, kind: str) -> None:
    record(session, None, "retention", obj, {"rule": [None, kind]})


def apply(session: Session, item: Due, now: datetime, outbox: Path | None = None) -> None:
    """Anonymise or delete one due record (flush only; mail copies are deleted at once)."""
    if item.kind == "owner":
        erase_owner(session, session.get(Owner, item.id), None, now)
    elif item.kind == "declined_contact":
        case = session.get(ContactCase, item.id)
        session.execute(text("SELECT leerstand_erase_case_texts(:case)"), {"case": case.id})
        _audit(session, case, item.kind)
    elif item.kind == "initiative":
        initiative = session.get(Initiative, item.id)
        _audit(session, initiative, item.kind)
        session.delete(initiative)
    elif item.kind == "request_secret":
        req = session.get(UseRequest, item.id)
        req.token_hash = f"{RETIRED_PREFIX}{req.id}"
        _audit(session, req, item.kind)
    elif item.kind == "report_email":
        report = session.get(VacancyReport, item.id)
        report.email = report.email_token_hash = report.email_token_expires_at = None
        _audit(session, report, item.kind)
    elif item.kind == "mail_copy" and outbox is not None:
        (outbox / str(item.id)).unlink(missing_ok=True)
    session.flush()
