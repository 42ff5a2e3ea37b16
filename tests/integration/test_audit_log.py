"""The Protokoll and a record's history read as sentences: labels and values in German, dates
in local time (dd.mm.yyyy HH:MM), ja/nein, "neuer Antwortcode erzeugt" instead of hashes; the
filters by record, person and date, with German messages for bad input that keep the input."""

from __future__ import annotations

import html as html_lib
import re
from datetime import UTC, datetime

from sqlalchemy import select

from leerstand.models import AuditEvent
from leerstand.services.contact import cases as contact
from leerstand.services.use_requests import send as use_requests
from tests import factories
from tests.conftest import post_form

AT = datetime(2026, 11, 12, 13, 3, tzinfo=UTC)  # 14:03 in Berlin (CET)
ISO_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
HEX_RE = re.compile(r"\b[0-9a-f]{32,}\b")


def _text(page: str) -> str:
    """The page's visible text with single spaces (tags removed, entities decoded)."""
    no_tags = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html_lib.unescape(no_tags)).replace(" ,", ",").replace(" :", ":")


def _event(session, base, entity, entity_id, action, changes, at=AT, user=None):
    event = AuditEvent(
        municipality_id=base.municipality.id,
        user_id=(user or base.staff).id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        changes=changes,
        at=at,
    )
    session.add(event)
    session.flush()
    return event


def _audit(client, **params) -> str:
    response = client.get("/verwaltung/protokoll", query_string=params)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_unit_update_reads_as_a_sentence(staff_client, session, base):
    building = factories.building(session, base.municipality, house_number="7")
    unit = factories.unit(session, building, name="EG Laden")
    _event(
        session,
        base,
        "unit",
        unit.id,
        "update",
        {
            "vacancy_state": ["vacant", "interim_use"],
            "area_m2": [80.0, 85.0],
            "publishable": [False, True],
            "available_from": [None, "2026-12-01"],
        },
    )
    text = _text(_audit(staff_client))
    assert (
        "12.11.2026 14:03 – Test Staff änderte Nutzungseinheit „EG Laden, Allee 7“: "
        "Fläche 80,0 m² → 85,0 m², Leerstand leer → in Zwischennutzung, "
        "verfügbar ab: 01.12.2026, darf veröffentlicht werden nein → ja" in text
    )
    assert not ISO_RE.search(text) and "vacancy_state" not in text and "2026-12-01" not in text


def test_real_unit_edit_is_in_the_unit_history(staff_client, session, base):
    building = factories.building(session, base.municipality, house_number="8")
    unit = factories.unit(session, building, name="OG Büro", kind="office")
    form = {
        "name": "OG Büro",
        "kind": "office",
        "floor": "1. OG",
        "area_m2": "85",
        "vacancy_state": "interim_use",
        "owner_expectation": "unknown",
        "version": "1",
    }
    edit = f"/verwaltung/einheiten/{unit.id}/bearbeiten"
    response = post_form(staff_client, edit, form)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verwaltung/einheiten/{unit.id}")
    page = staff_client.get(f"/verwaltung/einheiten/{unit.id}").get_data(as_text=True)
    text = _text(page)
    assert "Test Staff änderte Nutzungseinheit „OG Büro, Allee 8“:" in text
    assert "Fläche 80,0 m² → 85,0 m²" in text
    assert "Leerstand leer → in Zwischennutzung" in text
    assert "Geschoss EG → 1. OG" in text
    assert not ISO_RE.search(text)


def test_contact_case_transition_sentence(staff_client, session, base):
    building = factories.building(session, base.municipality, house_number="9")
    owner = factories.owner(session, base.municipality, name="Erika Eigen")
    case = factories.contact_case(session, building, owner)
    _event(
        session,
        base,
        "contact_case",
        case.id,
        "transition",
        {"state": ["not_contacted", "contacted"], "next_follow_up": [None, "2026-11-26"]},
    )
    text = _text(_audit(staff_client))
    assert (
        "12.11.2026 14:03 – Test Staff änderte den Status von Ansprache „Erika Eigen – Allee 9“: "
        "Status nicht kontaktiert → kontaktiert, Wiedervorlage: 26.11.2026" in text
    )


def test_real_transition_is_logged_with_labels(staff_client, session, base):
    building = factories.building(session, base.municipality, house_number="10")
    owner = factories.owner(session, base.municipality, name="Otto Ost")
    case = factories.contact_case(session, building, owner)
    contact.transition(
        session,
        case,
        base.staff.id,
        "contacted",
        contact.Contact(occurred_on=AT.date(), channel="letter", direction="out", summary="Brief"),
        version=case.version,
    )
    text = _text(_audit(staff_client, entity="contact_case", entity_id=str(case.id)))
    assert "änderte den Status von Ansprache „Otto Ost – Allee 10“: " in text
    assert "Status nicht kontaktiert → kontaktiert" in text


def test_reissued_code_shows_no_hash(staff_client, session, base):
    world = factories.request_world(session, base.municipality)
    req = factories.use_request(session, world.match, world.heir, channel="letter")
    old_hash = req.token_hash
    use_requests.reissue(session, req, base.staff.id, datetime.now(UTC), 30, 14)
    new_hash = req.token_hash
    page = _audit(staff_client, entity="use_request", entity_id=str(req.id))
    text = _text(page)
    assert "stellte Nutzungsanfrage „" in text and "“ neu aus:" in text
    assert "neuer Antwortcode erzeugt" in text
    assert "Ausstellungen 1 → 2" in text
    assert old_hash not in page and new_hash not in page and not HEX_RE.search(page)
    assert "token_hash" not in page and not ISO_RE.search(text)


def test_a_stored_hash_never_reaches_the_page(staff_client, session, base):
    """Even an event that holds a hash (older data) shows the sentence, not the hash."""
    world = factories.request_world(session, base.municipality)
    req = factories.use_request(session, world.match, world.owner, channel="email")
    secret = "ab" * 32
    _event(session, base, "use_request", req.id, "reissue", {"token_hash": [None, secret]})
    page = _audit(staff_client)
    assert secret not in page and "neuer persönlicher Link erzeugt" in _text(page)


def test_filters_by_record_person_and_date(staff_client, session, base):
    building = factories.building(session, base.municipality, house_number="11")
    unit = factories.unit(session, building, name="Laden Nord")
    other = factories.unit(session, building, name="Laden Süd")
    _event(session, base, "unit", unit.id, "update", {"floor": ["EG", "1. OG"]})
    _event(session, base, "unit", other.id, "update", {"floor": ["EG", "2. OG"]}, user=base.admin)
    _event(
        session,
        base,
        "unit",
        other.id,
        "update",
        {"floor": ["2. OG", "3. OG"]},
        at=datetime(2026, 11, 13, 22, 59, tzinfo=UTC),  # 13.11. 23:59 in Berlin
    )
    _event(
        session,
        base,
        "unit",
        other.id,
        "update",
        {"floor": ["3. OG", "4. OG"]},
        at=datetime(2026, 11, 13, 23, 0, tzinfo=UTC),  # 14.11. 00:00 in Berlin
    )
    by_record = _text(_audit(staff_client, entity="unit", entity_id=str(unit.id)))
    assert "„Laden Nord, Allee 11“" in by_record and "Laden Süd" not in by_record
    by_person = _text(_audit(staff_client, user_id=str(base.admin.id)))
    assert "Test Admin änderte" in by_person and "Geschoss EG → 2. OG" in by_person
    assert "Test Staff änderte" not in by_person
    day = _text(_audit(staff_client, date_from="13.11.2026", date_to="13.11.2026"))
    assert "Geschoss 2. OG → 3. OG" in day  # 23:59 local on the 13th: inside
    assert "Geschoss 3. OG → 4. OG" not in day  # 0:00 local on the 14th: outside
    assert "Geschoss EG → 1. OG" not in day  # the 12th: outside
    since = _text(_audit(staff_client, date_from="2026-11-14"))
    assert "Geschoss 3. OG → 4. OG" in since and "Geschoss 2. OG → 3. OG" not in since


def test_bad_filters_name_the_field_and_keep_the_input(staff_client, session, base):
    page = _audit(
        staff_client, entity_id="zwölf", entity="unit", date_from="31.02.2026", user_id="999999"
    )
    text = _text(page)
    assert "„Nr. des Datensatzes“: „zwölf“ ist keine ganze Zahl." in text
    assert "„Datum von“: „31.02.2026“ ist kein Datum. Bitte TT.MM.JJJJ eingeben." in text
    assert "„Person“: Bitte eine Person aus der Liste wählen." in text
    assert 'name="entity_id" value="zwölf"' in page
    assert 'name="date_from" value="31.02.2026"' in page
    assert '<option value="unit" selected>' in page
    reversed_ = _text(_audit(staff_client, date_from="14.11.2026", date_to="13.11.2026"))
    assert "„Datum bis“ darf nicht vor „Datum von“ liegen." in reversed_
    number_only = _text(_audit(staff_client, entity_id="5"))
    assert "Bitte auch die Art des Datensatzes wählen." in number_only
    good = _text(_audit(staff_client, entity="unit", entity_id="5", date_from="13.11.2026"))
    assert "Diese Filter werden nicht angewendet." not in good


def test_audit_writing_still_records_changes(staff_client, session, base):
    """Writing is unchanged: the edit form's changes are stored as [old, new] pairs."""
    building = factories.building(session, base.municipality)
    unit = factories.unit(session, building)
    form = {
        "name": "EG Ladenlokal",
        "kind": "shop",
        "floor": "EG",
        "area_m2": "80",
        "vacancy_state": "occupied",
        "owner_expectation": "unknown",
        "version": "1",
    }
    post_form(staff_client, f"/verwaltung/einheiten/{unit.id}/bearbeiten", form)
    changes = session.scalars(
        select(AuditEvent.changes).where(
            AuditEvent.entity == "unit", AuditEvent.entity_id == unit.id
        )
    ).one()
    assert changes["vacancy_state"] == ["vacant", "occupied"]
