"""Erasure of an owner (Art. 17 DSGVO): what goes, what stays, and doing it.

Goes: the owner's name, contact person, address, e-mail, phone and notes (the name becomes
"gelöscht"); the free texts of their use requests (the staff message and the owner's answer
text); the summaries and outcomes of their contact events; the personal values in audit
entries about them; mail copies to them in the outbox. Consents end (``withdrawn_at``).

Stays: the owner record itself (id, kind, ``erased_at``) with its ownerships, so buildings,
units, counts and statistics do not change; contact cases with their states, the dates and
states of every contact event and use request; the audit trail's actions, times and actors.
One audit event "erased" records who erased which owner id, without a personal value.

The append-only logs are changed only through the database function
``leerstand_erase_owner`` (migration 0011), never by disabling their trigger.

An initiative deletes its own account with ``delete_initiative_account``: name, contact
person, e-mail, phone, website, profile and password go, every session ends; its ideas either
stay under "Initiative (gelöscht)" or are withdrawn, as it chooses. The row itself stays (ideas,
matches and the requests sent to owners about them refer to it)."""

from __future__ import annotations

from datetime import datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from leerstand.messages import Text
from leerstand.models import Consent, Initiative, Owner, Proposal, UseRequest
from leerstand.services.accounts import sessions
from leerstand.services.audit.log import record
from leerstand.services.errors import ServiceError
from leerstand.services.matching import service as matching
from leerstand.services.proposals import service as proposals

ERASED_NAME = "gelöscht"
BLANKED = ("contact_person", "street", "postcode", "city", "email", "phone", "notes")

WHAT_GOES = (
    Text("Name, Ansprechperson, Anschrift, E-Mail-Adresse, Telefon und Notizen"),
    Text("Nachrichten und Antworttexte der Nutzungsanfragen an diese Person"),
    Text("Beschreibungen und Ergebnisse aller Kontakte (Datum und Status bleiben)"),
    Text("Namen und freie Texte in Protokolleinträgen über diese Person"),
    Text("Kopien von E-Mails an diese Person im Postausgang"),
)
WHAT_STAYS = (
    Text("Gebäude, Einheiten, Zuordnungen und alle Zahlen und Statistiken"),
    Text("Ansprachen mit ihrem Status, die Daten der Kontakte und Anfragen"),
    Text("Das Protokoll, was wann von wem getan wurde (ohne Personendaten)"),
    Text("Einwilligungen werden beendet; ihr Verlauf bleibt ohne Personendaten"),
)


def check_erasable(owner: Owner) -> None:
    if owner.erased_at is not None:
        raise ServiceError(Text("Diese Eigentümer:in wurde bereits gelöscht."))
    if owner.is_municipality:
        raise ServiceError(
            Text(
                "Die Kommune selbst ist keine Person und kann nicht gelöscht werden. Bitte nehmen "
                "Sie zuerst das Häkchen „Kommune“ heraus, wenn der Eintrag eine Person ist."
            )
        )


def erase_owner(session: Session, owner: Owner, user_id: int | None, now: datetime) -> dict:
    """Erase ``owner`` (flush only). Returns what was left behind for mail-copy clean-up:
    {"email": old address, "name": old name}."""
    check_erasable(owner)
    former = {"email": owner.email, "name": owner.name}
    owner.name = ERASED_NAME
    for field in BLANKED:
        setattr(owner, field, "")
    owner.preferred_channel = "letter"
    owner.erased_at = now
    session.flush()  # no audit of the old values: the function below writes "erased"
    session.execute(
        update(Consent)
        .where(Consent.owner_id == owner.id, Consent.withdrawn_at.is_(None))
        .values(withdrawn_at=now)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(UseRequest)
        .where(UseRequest.owner_id == owner.id)
        .values(message="", answer_message="")
        .execution_options(synchronize_session=False)
    )
    session.execute(
        text("SELECT leerstand_erase_owner(:owner, :actor)"),
        {"owner": owner.id, "actor": user_id},
    )
    session.expire_all()  # logs, consents and requests changed in SQL
    with matching.batch(session):  # an erased owner is asked no more: scores follow
        for ownership in owner.ownerships:
            matching.contact_changed(session, ownership.building)
    return former


def mail_copies(outbox: Path, email: str, name: str) -> list[Path]:
    """Outbox files (.eml) addressed to ``email`` or naming ``name``."""
    if not outbox.is_dir() or not (email or name):
        return []
    found = []
    for path in sorted(outbox.glob("*.eml")):
        try:
            message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
            body = message.get_body(preferencelist=("plain",))
            content = body.get_content() if body is not None else ""
        except (OSError, ValueError, LookupError):
            continue
        to = str(message.get("To") or "").lower()
        if (email and email.lower() in to) or (name and name in content):
            found.append(path)
    return found


def delete_mail_copies(outbox: Path, email: str, name: str) -> int:
    """Delete the outbox copies of mails to an erased owner (after the commit)."""
    paths = mail_copies(outbox, email, name)
    for path in paths:
        path.unlink(missing_ok=True)
    return len(paths)


def erased_owner_ids(session: Session, municipality_id: int) -> list[int]:
    return list(
        session.scalars(
            select(Owner.id).where(
                Owner.municipality_id == municipality_id, Owner.erased_at.is_not(None)
            )
        )
    )


DELETED_INITIATIVE = "Initiative (gelöscht)"
IDEA_CHOICES = ("keep", "withdraw")
WITHDRAWABLE = ("draft", "submitted", "published", "matched")


def delete_initiative_account(
    session: Session, initiative: Initiative, password: str, ideas: str, unusable_hash: str
) -> int:
    """Erase the initiative's personal data and end its sessions (flush only). ``ideas``:
    "keep" (they stay, under the name "Initiative (gelöscht)") or "withdraw"; returns how many
    ideas were withdrawn. ``unusable_hash``: a password hash no password matches."""
    if not initiative.check_password(password or ""):
        raise ServiceError(
            Text(
                "Das Passwort stimmt nicht. Bitte geben Sie zur Bestätigung Ihr aktuelles "
                "Passwort ein."
            )
        )
    if ideas not in IDEA_CHOICES:
        raise ServiceError(
            Text(
                "Bitte wählen Sie, ob Ihre Ideen ohne Ihren Namen bleiben oder zurückgezogen "
                "werden."
            )
        )
    withdrawn = 0
    if ideas == "withdraw":
        for proposal in session.scalars(
            select(Proposal).where(
                Proposal.initiative_id == initiative.id, Proposal.state.in_(WITHDRAWABLE)
            )
        ):
            proposals.withdraw(session, proposal)
            withdrawn += 1
    initiative.name = DELETED_INITIATIVE
    for field in ("contact_person", "phone", "website", "profile"):
        setattr(initiative, field, "")
    initiative.email = f"geloescht-{initiative.id}@invalid"  # unique, never deliverable
    initiative.pending_email = None
    initiative.password_hash = unusable_hash
    session.flush()
    sessions.end_all(session, initiative)
    record(session, None, "delete", initiative, {"ideas": [None, ideas]})
    return withdrawn
