"""The audit event of an export that contains personal data (owner names, addresses, phone,
e-mail): who (the event's user and record), when, which export, the filter in words, how many
rows and which owners' data left the system. The Protokoll shows it as "… exportierte Daten
mit Eigentümerdaten: Export …, Filter …, Zeilen …, Eigentümer:innen (Nr.) …"."""

from __future__ import annotations

from sqlalchemy.orm import Session

from leerstand import vocab
from leerstand.models import District, FocusArea, User
from leerstand.services.audit.log import record
from leerstand.services.privacy import access_log
from leerstand.services.register.filters import RegisterFilter

NO_FILTER = "kein Filter (alle)"


def _name(session: Session, model, ident: int | None) -> str | None:
    if ident is None:
        return None
    found = session.get(model, ident)
    return found.name if found is not None else f"Nr. {ident}"


def describe(session: Session, f: RegisterFilter) -> str:
    """The register filter in words, e.g. "Ortsteil Badeborn; Art Ladenlokal"."""
    parts = [
        ("Suche", f"„{f.q}“" if f.q else None),
        ("Ortsteil", _name(session, District, f.district_id)),
        ("Fokusgebiet", _name(session, FocusArea, f.focus_area_id)),
        ("Art", vocab.german(vocab.UNIT_KINDS, f.kind) if f.kind else None),
        ("Leerstand", vocab.german(vocab.VACANCY_STATES, f.vacancy_state) or None),
        ("leer seit mehr als", None if f.vacant_months is None else f"{f.vacant_months} Monaten"),
        ("Ansprache", vocab.german(vocab.CONTACT_STATES, f.contact_state) or None),
        ("Wiedervorlage", "fällig" if f.follow_up_due else None),
    ]
    return "; ".join(f"{what} {value}" for what, value in parts if value) or NO_FILTER


def record_export(
    session: Session, user: User, export: str, filter_text: str, rows: int, owner_ids: list
) -> None:
    """One audit event for an export with owner data (values stored as [None, value]) and one
    access-log entry per owner."""
    changes = {
        "export": [None, export],
        "filter": [None, filter_text],
        "rows": [None, rows],
        "owner_ids": [None, list(owner_ids)],
    }
    record(session, user.id, "export", user, changes)
    detail = {"export": export, "filter": filter_text, "rows": rows}
    access_log.record_many(
        session, user.municipality_id, user.id, "export", "owner", owner_ids, detail
    )  # one access entry per owner, so that the log finds every person's exports
    session.flush()
