"""A seeded owner with data of every kind (and a second owner on the same building) for the
Art. 15 tests (integration and browser)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from leerstand import mail
from leerstand.models import ContactEvent, Municipality
from leerstand.services.audit.log import record
from leerstand.services.owners.consent import ConsentInput, record_consent
from leerstand.services.use_requests.answer import CONSENT_TEXT_VERSION
from tests import factories as f

OWNER = {
    "name": "Dorothea Auskunftsreich",
    "contact_person": "Konrad Auskunftsreich",
    "street": "Lindenweg 7",
    "postcode": "06493",
    "city": "Ballenstedt",
    "email": "dorothea.auskunft@example.org",
    "phone": "0345 987654",
    "notes": "Nur vormittags erreichbar.",
    "salutation": "frau",
}
OTHER = {
    "name": "Bartholomäus Fremdling",
    "email": "fremdling@example.org",
    "phone": "0160 5550001",
    "street": "Fremdgasse 3",
}
TOKEN_HASH = "ab" * 32
OTHER_TOKEN_HASH = "cd" * 32
MAIL_SECRET = "GeheimerLinkToken1234567890abcdef"
LETTER_MESSAGE = "Bitte melden Sie sich bis Monatsende."
ANSWER_MESSAGE = "Gern, aber nur bis Jahresende."
EVENT_SUMMARY = "Telefonat: denkt über eine Zwischennutzung nach."
EVENT_OUTCOME = "Rückruf vereinbart."
INTERIM_COSTS = "Nur Nebenkosten, 80 € im Monat."
INTERIM_KEYS = "Schlüssel bei Herrn Auskunftsreich."


def seed(session, base, app) -> dict:
    """An owner with data of every kind and a second owner on the same building."""
    town = session.get(Municipality, base.municipality.id)
    w = f.request_world(session, town)
    owner = f.owner(session, town, **OWNER)
    other = f.owner(session, town, **OTHER)
    f.ownership(session, w.building, owner, role="co_owner", share=Decimal("0.5"))
    f.ownership(session, w.building, other, role="co_owner", share=Decimal("0.25"))
    f.consent(session, owner, scope="photos", withdrawn=True, text_version="2025-07")
    record_consent(
        session,
        base.admin.id,
        owner,
        ConsentInput("share_contact", "give", "letter", CONSENT_TEXT_VERSION),
    )
    f.consent(session, other, scope="public_map")
    case = f.contact_case(session, w.building, owner, state="in_dialogue")
    session.add(
        ContactEvent(
            case_id=case.id,
            occurred_on=date(2026, 3, 4),
            channel="phone",
            direction="out",
            summary=EVENT_SUMMARY,
            outcome=EVENT_OUTCOME,
            user_id=base.staff.id,
        )
    )
    other_case = f.contact_case(session, w.building, other)
    session.add(
        ContactEvent(case_id=other_case.id, occurred_on=date(2026, 3, 5), summary="Fremd-Notiz X")
    )
    letter = f.use_request(
        session,
        w.match,
        owner,
        answer="yes_conditions",
        channel="letter",
        token_hash=TOKEN_HASH,
        message=LETTER_MESSAGE,
        answer_message=ANSWER_MESSAGE,
        answer_channel="online",
    )
    f.use_request(session, w.match, other, token_hash=OTHER_TOKEN_HASH)
    f.interim_use(
        session,
        w.unit,
        initiative_id=w.initiative.id,
        use_request_id=letter.id,
        costs=INTERIM_COSTS,
        key_handover=INTERIM_KEYS,
    )
    owner.phone = "0345 987654"
    record(session, base.admin.id, "update", owner, {"phone": ["0345 111", "0345 987654"]})
    record(session, base.admin.id, "update", other, {"phone": ["0160 1", OTHER["phone"]]})
    session.commit()
    with app.test_request_context():
        assert mail.send(
            OWNER["email"], "Ihre Anfrage", f"Ihr Link: http://localhost/antwort/{MAIL_SECRET}\n"
        )
        assert mail.send(OTHER["email"], "Fremde Anfrage", "Für Herrn Fremdling.\n")
    return {"owner_id": owner.id, "other_id": other.id, "reference": f"NA-{letter.id}"}
