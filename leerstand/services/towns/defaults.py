"""The shipped default texts of a town's information pages (German, the binding language of a
German public body): Impressum, Datenschutzerklärung (purposes, legal bases, origin of the
owners' data (Art. 14 DSGVO), recipients, retention periods, rights) and Erklärung zur
Barrierefreiheit (BITV 2.0 / WCAG 2.1 AA, known gaps, feedback contact, enforcement).

Filled with the town's settings; a line whose value is not set is left out. The retention
periods come from the configuration (``Retention.from_config``: the RETENTION_… keys of the
retention command, with its defaults)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from leerstand.models import Municipality

# When the accessibility of this software was assessed (automatic checks with axe-core and
# keyboard tests); the default statement names this date.
ASSESSED_ON = "1. Dezember 2026"


@dataclass(frozen=True)
class Retention:
    """Retention periods as the retention command applies them (config keys RETENTION_…)."""

    owner_without_ownership_years: int = 3
    declined_contact_years: int = 5
    unconfirmed_initiative_days: int = 30
    request_secret_days: int = 90
    mail_copy_days: int = 90
    report_email_days: int = 90

    @classmethod
    def from_config(cls, config: Mapping) -> Retention:
        def get(key: str, default: int) -> int:
            value = config.get(f"RETENTION_{key.upper()}")
            return int(value) if value not in (None, "") else default

        return cls(**{name: get(name, value) for name, value in cls().__dict__.items()})


def _years(n: int) -> str:
    return "einem Jahr" if n == 1 else f"{n} Jahren"


def _days(n: int) -> str:
    return "einem Tag" if n == 1 else f"{n} Tagen"


def _office(town: Municipality) -> str:
    """The town's address block: its letterhead, else "Stadtverwaltung <name>"."""
    return (town.letterhead or "").strip() or f"Stadtverwaltung {town.name}"


def _contact_lines(town: Municipality, person: bool = True) -> list[str]:
    lines = []
    if person and town.contact_person:
        lines.append(f"Ansprechperson: {town.contact_person}")
    if town.contact_phone:
        lines.append(f"Telefon: {town.contact_phone}")
    if town.contact_email:
        lines.append(f"E-Mail: {town.contact_email}")
    return lines


def _text(*parts: str | list[str] | None) -> str:
    """Paragraphs (a list: lines of one paragraph) joined with blank lines; empty ones dropped."""
    out = []
    for part in parts:
        text = "\n".join(part) if isinstance(part, list) else (part or "")
        if text.strip():
            out.append(text.strip())
    return "\n\n".join(out) + "\n"


def imprint(town: Municipality, retention: Retention, tile_host: str | None) -> str:
    contact = _contact_lines(town)
    responsible = town.contact_person or town.letter_signature
    return _text(
        "## Herausgeberin",
        _office(town),
        f"Die Stadtverwaltung {town.name} ist eine Behörde einer Körperschaft des öffentlichen "
        "Rechts. Sie wird durch die Bürgermeisterin oder den Bürgermeister vertreten.",
        "## Kontakt" if contact else None,
        contact,
        "## Verantwortlich für den Inhalt" if responsible else None,
        f"{responsible}, Anschrift wie oben." if responsible else None,
        "## Ideen von Initiativen",
        "Ideen von Initiativen erscheinen erst, nachdem die Stadtverwaltung sie geprüft hat. "
        "Für ihren Inhalt sind die Initiativen verantwortlich.",
        "## Karten",
        "Die Quellenangabe der Kartendaten steht auf jeder Karte.",
    )


def _purposes() -> list[str]:
    return [
        "- Leerstandskataster: Gebäude und leerstehende Räume mit ihren Eigentümer:innen "
        "(Name, Anschrift, Telefon, E-Mail, Rolle, z. B. Erbengemeinschaft oder Verwaltung)",
        "- Ansprache von Eigentümer:innen: Kontaktverlauf, Anfragen, Briefe, E-Mails und Ihre "
        "Antworten",
        "- Vermittlung (Matching): passende Räume und Ideen von Initiativen zusammenbringen",
        "- Zwischennutzungen: Vereinbarungen mit Zeitraum und Beteiligten",
        "- Konten von Initiativen: Name, Ansprechperson, E-Mail, Telefon, Webseite und Ideen",
        "- Nachweis der Verwaltungstätigkeit: wer wann was geändert oder eingesehen hat",
        "- Leerstandsmeldungen von Bürger:innen: Ort, Art und Foto eines leeren Raums und, "
        "freiwillig, eine E-Mail-Adresse für Nachrichten zur Meldung (nie veröffentlicht)",
    ]


def _legal_bases() -> list[str]:
    return [
        "- Kataster, Ansprache, Vermittlung und Zwischennutzungen: Art. 6 Abs. 1 lit. e DSGVO "
        "i. V. m. den Aufgaben der Kommune (Stadtentwicklung, Wirtschaftsförderung, Belebung "
        "der Ortskerne).",
        "- Veröffentlichung eines Raums auf der öffentlichen Karte und Weitergabe Ihrer "
        "Kontaktdaten an eine Initiative: nur mit Ihrer Einwilligung, Art. 6 Abs. 1 lit. a "
        "DSGVO. Sie können sie jederzeit mit Wirkung für die Zukunft widerrufen.",
        "- Konten von Initiativen: Art. 6 Abs. 1 lit. b DSGVO (Nutzung dieses Angebots auf "
        "Ihren Antrag).",
        "- E-Mail-Adresse bei einer Leerstandsmeldung: Ihre Einwilligung, Art. 6 Abs. 1 lit. a "
        "DSGVO; wir nutzen sie erst, nachdem Sie sie über den zugesandten Link bestätigt haben.",
    ]


def _retention(r: Retention) -> list[str]:
    return [
        "- Eigentümer:innen, denen im Kataster kein Gebäude mehr zugeordnet ist: "
        f"nach {_years(r.owner_without_ownership_years)}",
        "- Ansprachen, die abgelehnt wurden: nach "
        f"{_years(r.declined_contact_years)} (Namen und freie Texte; Datum und Ergebnis "
        "bleiben ohne Personenbezug)",
        f"- Nicht bestätigte Konten von Initiativen: nach {_days(r.unconfirmed_initiative_days)}",
        "- Antwortlinks und Antwortcodes beantworteter oder abgelaufener Anfragen: nach "
        f"{_days(r.request_secret_days)}",
        f"- Kopien versandter E-Mails: nach {_days(r.mail_copy_days)}",
        f"- E-Mail-Adressen aus Leerstandsmeldungen: nach {_days(r.report_email_days)} (ab der "
        "Entscheidung über die Meldung, nicht bestätigte Adressen ab der Meldung)",
    ]


def _recipients(tile_host: str | None) -> list[str]:
    tiles = (
        f"Ihr Browser lädt die Kartenkacheln von {tile_host}; dieser Server erhält dabei Ihre "
        "IP-Adresse."
        if tile_host
        else None
    )
    return [
        "Innerhalb der Stadtverwaltung sehen Personendaten nur die zuständigen Mitarbeitenden. "
        "Den Betrieb der Technik kann ein Dienstleister im Auftrag der Stadtverwaltung "
        "übernehmen (Art. 28 DSGVO). Initiativen erhalten Kontaktdaten von Eigentümer:innen "
        "nur mit deren Einwilligung. Die öffentliche Karte zeigt Räume ohne Personendaten.",
        "Wir übermitteln keine personenbezogenen Daten in Drittländer.",
        tiles or "",
    ]


def privacy(town: Municipality, retention: Retention, tile_host: str | None) -> str:
    email = town.contact_email
    dpo = (
        f"Die oder den behördlichen Datenschutzbeauftragten erreichen Sie unter {email} "
        "(Betreff „Datenschutz“) oder unter der oben genannten Anschrift mit dem Zusatz "
        "„Datenschutzbeauftragte:r“."
        if email
        else "Die oder den behördlichen Datenschutzbeauftragten erreichen Sie unter der oben "
        "genannten Anschrift mit dem Zusatz „Datenschutzbeauftragte:r“."
    )
    recipients = _recipients(tile_host)
    return _text(
        "## Verantwortliche Stelle",
        [_office(town), *_contact_lines(town, person=False)],
        "## Datenschutzbeauftragte:r",
        dpo,
        "## Wofür wir Daten verarbeiten",
        _purposes(),
        "## Rechtsgrundlagen",
        _legal_bases(),
        "## Woher die Daten stammen",
        "Angaben zu Eigentümer:innen stammen von Ihnen selbst, aus eigenen Erhebungen der "
        "Stadtverwaltung (z. B. Begehungen) und aus Unterlagen der Verwaltung, soweit sie für "
        "diesen Zweck genutzt werden dürfen (Art. 14 DSGVO).",
        "## Empfänger",
        recipients[0],
        recipients[1],
        recipients[2],
        "## Speicherdauer",
        "Wir löschen oder anonymisieren Daten, sobald sie nicht mehr gebraucht werden, spätestens:",
        _retention(retention),
        "Das Protokoll, wer wann was geändert hat, bleibt als Nachweis erhalten; gelöschte "
        "Namen erscheinen darin nicht mehr.",
        "## Cookies",
        "Diese Seiten setzen nur ein technisch notwendiges Sitzungs-Cookie (Anmeldung, "
        "gewählte Sprache, Schutz von Formularen); es wird nicht zur Analyse verwendet.",
        "## Ihre Rechte",
        "Sie haben das Recht auf Auskunft (Art. 15 DSGVO), Berichtigung (Art. 16), Löschung "
        "(Art. 17), Einschränkung der Verarbeitung (Art. 18), Datenübertragbarkeit (Art. 20) "
        "und Widerspruch (Art. 21), insbesondere gegen die Ansprache durch die "
        "Stadtverwaltung. Eine Einwilligung können Sie jederzeit widerrufen (Art. 7 Abs. 3).",
        "Sie können sich bei einer Datenschutz-Aufsichtsbehörde beschweren (Art. 77 DSGVO), "
        "z. B. bei der oder dem Landesbeauftragten für den Datenschutz Ihres Landes.",
        f"Schreiben Sie uns dafür an {email}." if email else None,
    )


def _gaps() -> list[str]:
    return [
        "- Karten: Orte und Flächen werden mit Maus oder Finger in die Karte gezeichnet; die "
        "Karten sind für Screenreader nur eingeschränkt nutzbar. Alle Räume der öffentlichen "
        "Karte stehen zusätzlich in der Liste unter der Karte.",
        "- Gedruckte Briefe und Antwortbögen sind nicht auf Barrierefreiheit geprüft.",
        "- Erläuterungen in Leichter Sprache und in Deutscher Gebärdensprache fehlen noch.",
    ]


def accessibility(town: Municipality, retention: Retention, tile_host: str | None) -> str:
    contact = _contact_lines(town)
    return _text(
        f"Die Stadtverwaltung {town.name} möchte dieses Angebot (die öffentliche Karte, die "
        "Seiten für Initiativen und Eigentümer:innen und die Verwaltung) barrierefrei "
        "zugänglich machen. Diese Erklärung gilt nach den Anforderungen der BITV 2.0 und der "
        "WCAG 2.1 (Stufe AA).",
        "## Stand der Vereinbarkeit",
        "Dieses Angebot ist mit den Anforderungen teilweise vereinbar. Nicht barrierefrei sind:",
        _gaps(),
        "## Erstellung dieser Erklärung",
        f"Diese Erklärung wurde am {ASSESSED_ON} erstellt. Sie beruht auf einer "
        "Selbstbewertung mit automatischen Prüfungen (axe-core) und Tests mit der Tastatur.",
        "## Feedback und Kontakt",
        "Sind Ihnen Mängel aufgefallen oder brauchen Sie Inhalte in einer anderen Form? "
        + ("Schreiben Sie uns oder rufen Sie an:" if town.contact_phone else "Schreiben Sie uns:"),
        [_office(town), *contact],
        "## Durchsetzungsverfahren",
        "Antworten wir nicht innerhalb von sechs Wochen oder nicht zufriedenstellend, können "
        "Sie sich an die Durchsetzungs- oder Ombudsstelle für barrierefreie "
        "Informationstechnik Ihres Landes wenden; sie ist im Behindertengleichstellungsgesetz "
        "des Landes benannt. Für Stellen des Bundes ist es die Schlichtungsstelle nach § 16 "
        "BGG beim Beauftragten der Bundesregierung für die Belange von Menschen mit "
        "Behinderungen, Mauerstraße 53, 10117 Berlin, https://www.schlichtungsstelle-bgg.de.",
    )


DEFAULTS = {"imprint": imprint, "privacy": privacy, "accessibility": accessibility}
