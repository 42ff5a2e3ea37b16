"""Texts in an Art. 15 answer that were sent to a person: a use request's letter as it was
printed (the answer code is not stored and is replaced by a note) and the copies of mails in
the outbox folder (``OUTBOX_DIR``, written only when no SMTP server is configured; with SMTP
no copy is kept). Personal links and codes in mail copies are replaced by a note, so that an
answer never carries a secret."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.parser import BytesParser
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path

from leerstand.dates import day
from leerstand.links import absolute_url
from leerstand.models import Municipality, UseRequest
from leerstand.services.owners.service import owner_greeting
from leerstand.services.use_requests.send import reference
from leerstand.vocab import USE_KINDS, german
from leerstand.wording import period

CODE_NOTE = "[persönlicher Antwortcode – wird nicht gespeichert und hier nicht gezeigt]"
LINK_NOTE = "[persönlicher Link – hier nicht gezeigt]"
URL = re.compile(r"https?://\S+")
SECRET_PART = re.compile(r"[A-Za-z0-9_\-.]{16,}")
MAX_MAIL_FILES = 20_000


def letter_text(req: UseRequest, municipality: Municipality) -> str:
    """The letter of a use request by post, as printed (without the answer code)."""
    m, owner = municipality, req.owner
    proposal, unit = req.match.proposal, req.match.unit
    building = unit.building
    head = m.letterhead or f"Stadtverwaltung {m.name}"
    recipient = [owner.name]
    if owner.contact_person:
        recipient.append(f"z. Hd. {owner.contact_person}")
    recipient += [owner.street, f"{owner.postcode} {owner.city}".strip()]
    facts = [
        f"Idee: {proposal.title}",
        f"Initiative: {proposal.initiative.name}",
        f"Art der Nutzung: {german(USE_KINDS, proposal.use_kind)}",
        f"Zeitraum: {period(proposal.time_from, proposal.time_to)}"
        + (f"; {proposal.frequency}" if proposal.frequency else ""),
    ]
    if proposal.description:
        facts.append(f"Beschreibung: {proposal.description[:600]}")
    parts = [
        head,
        "\n".join(line for line in recipient if line),
        f"{m.name}, {day(req.sent_at)}",
        f"Anfrage zur Zwischennutzung: {building.address}, {unit.name}\n"
        f"Unser Zeichen: {reference(req)}",
        str(owner_greeting(owner)),
        "die Stadtverwaltung unterstützt Initiativen, die leerstehende Räume vorübergehend "
        "nutzen möchten – das belebt den Ort und schützt die Gebäude. Für Ihren Raum "
        f"{unit.name} in {building.address}, {building.place} gibt es eine passende Idee:",
        "\n".join(facts),
        req.message,
        "Können Sie sich das vorstellen? Ihre Antwort ist unverbindlich. Antworten Sie bitte "
        f"bis zum {day(req.expires_at)} online – ohne Anmeldung:",
        f"1. Öffnen Sie {absolute_url('owner.code')}\n"
        f"2. Geben Sie Ihren persönlichen Antwortcode ein: {CODE_NOTE}",
        "Ohne Internet? Füllen Sie einfach den beiliegenden Antwortbogen aus und senden Sie "
        "ihn uns zurück.",
        "Mit freundlichen Grüßen",
        m.letter_signature or f"Ihre Stadtverwaltung {m.name}",
    ]
    return "\n\n".join(part for part in parts if part)


def without_secrets(text: str) -> str:
    """``text`` with every link that carries a token-like part replaced by a note."""

    def replace(found: re.Match) -> str:
        url = found.group(0)
        path = url.split("://", 1)[1].partition("/")[2]
        return LINK_NOTE if SECRET_PART.search(path) else url

    return URL.sub(replace, text)


@dataclass
class MailCopy:
    sent_at: datetime | None
    to: str
    subject: str
    body: str
    file: str


def _read(path: Path) -> MailCopy | None:
    try:
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        sent = parsedate_to_datetime(message["Date"]) if message["Date"] else None
    except (OSError, ValueError, TypeError, LookupError):
        return None
    return MailCopy(sent, str(message["To"] or ""), str(message["Subject"] or ""), text, path.name)


def mail_copies(outbox_dir: str | None, addresses: set[str]) -> list[MailCopy]:
    """The outbox's mails to one of ``addresses`` (oldest first), secrets removed."""
    wanted = {a.strip().lower() for a in addresses if a and a.strip()}
    folder = Path(outbox_dir) if outbox_dir else None
    if not wanted or folder is None or not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.eml"))[:MAX_MAIL_FILES]:
        copy = _read(path)
        if copy is None or parseaddr(copy.to)[1].lower() not in wanted:
            continue
        copy.body = without_secrets(copy.body)
        copy.subject = without_secrets(copy.subject)
        found.append(copy)
    return found
