"""Right of access (Art. 15/20): an owner's answer as a ZIP (JSON + CSV) and a print page with
every piece of a seeded owner's data and nothing of another owner's, no secrets; who may get
it (admin, dpo) and who may not (staff, viewer, analyst); the initiative's self-service and a
staff member's answer."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from leerstand.dates import local_today
from leerstand.models import AccessEvent, LoginSession, User
from leerstand.services.audit.log import record
from leerstand.services.use_requests.answer import CONSENT_TEXTS
from tests import factories as f
from tests.conftest import PASSWORD, login, post_form
from tests.factories import ident
from tests.initiatives import initiative as confirmed_initiative
from tests.initiatives import login_initiative
from tests.privacy_world import (
    ANSWER_MESSAGE,
    EVENT_OUTCOME,
    EVENT_SUMMARY,
    INTERIM_COSTS,
    INTERIM_KEYS,
    LETTER_MESSAGE,
    MAIL_SECRET,
    OTHER,
    OTHER_TOKEN_HASH,
    TOKEN_HASH,
    seed,
)


def _user(session, base, role: str) -> User:
    user = User(
        email=f"{role}-h11@test.example",
        name=f"Test {role}",
        role=role,
        municipality_id=base.municipality.id,
    )
    user.set_password(PASSWORD)
    session.add(user)
    session.flush()
    return user


@pytest.fixture
def seeded(session, base, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_DIR", str(tmp_path))  # this test's mails only
    return seed(session, base, app)


def _zip(response) -> dict[str, bytes]:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _rows(doc: dict, key: str) -> list[dict]:
    return doc["abschnitte"][key]["eintraege"]


def test_owner_bundle_has_every_piece_and_nothing_of_another(admin_client, seeded):
    owner_id = seeded["owner_id"]
    response = admin_client.get(f"/verwaltung/eigentuemer/{owner_id}/auskunft.zip")
    files = _zip(response)
    disposition = response.headers["Content-Disposition"]
    name = f"auskunft-eigentuemer-{owner_id}-{local_today().isoformat()}.zip"
    assert disposition == f'attachment; filename="{name}"'
    doc = json.loads(files["auskunft.json"].decode("utf-8"))
    person = _rows(doc, "owner")[0]
    assert person["name"] == "Dorothea Auskunftsreich"
    assert person["phone"] == "0345 987654"
    assert person["email"] == "dorothea.auskunft@example.org"
    assert person["contact_person"] == "Konrad Auskunftsreich"
    assert person["notes"] == "Nur vormittags erreichbar."
    assert person["salutation"] == "Frau"
    [ownership] = _rows(doc, "ownerships")
    assert ownership["role"] == "Miteigentümer:in" and ownership["share"] == "50 %"
    consents = {c["scope"]: c for c in _rows(doc, "consents")}
    assert consents["Kontakt an Initiative weitergeben"]["text"] == CONSENT_TEXTS["share_contact"]
    assert consents["Fotos zeigen"]["withdrawn_at"] is not None
    assert "2025-07" in consents["Fotos zeigen"]["text"]
    history = _rows(doc, "consent_history")
    assert [h["entry"] for h in history] == [
        "Test Admin erfasste Einwilligung „Kontakt an Initiative weitergeben – "
        "Dorothea Auskunftsreich“ als erteilt"
    ]
    [case] = _rows(doc, "contact_cases")
    assert case["state"] == "im Gespräch"
    [event] = _rows(doc, "contact_events")
    assert event["summary"] == EVENT_SUMMARY and event["outcome"] == EVENT_OUTCOME
    assert event["occurred_on"] == "2026-03-04" and event["recorded_by"] == "Test Staff"
    [req] = _rows(doc, "use_requests")
    assert req["reference"] == seeded["reference"]
    assert req["answer"] == "Ja, unter Bedingungen"
    assert req["answer_message"] == ANSWER_MESSAGE and req["message"] == LETTER_MESSAGE
    [letter] = _rows(doc, "letters")
    assert "Sehr geehrte Frau Auskunftsreich," in letter["text"]
    assert LETTER_MESSAGE in letter["text"] and "Lindenweg 7" in letter["text"]
    assert "persönlicher Antwortcode – wird nicht gespeichert" in letter["text"]
    [use] = _rows(doc, "interim_uses")
    assert use["costs"] == INTERIM_COSTS and use["key_handover"] == INTERIM_KEYS
    [copy] = _rows(doc, "mails")
    assert copy["subject"] == "Ihre Anfrage"
    assert "[persönlicher Link – hier nicht gezeigt]" in copy["body"]
    audit = [a["entry"] + " " + a["changes"] for a in _rows(doc, "audit")]
    assert any("Telefon: 0345 111 → 0345 987654" in line for line in audit)

    everything = b"\n".join(files.values()).decode("utf-8")
    for secret in (TOKEN_HASH, OTHER_TOKEN_HASH, MAIL_SECRET):
        assert secret not in everything
    for foreign in (
        "Fremdling",
        OTHER["email"],
        OTHER["phone"],
        "0160 1",
        "Fremdgasse",
        "Fremd-Notiz",
    ):
        assert foreign not in everything, foreign


def test_owner_bundle_csv_files_open_with_the_csv_module(admin_client, seeded):
    files = _zip(admin_client.get(f"/verwaltung/eigentuemer/{seeded['owner_id']}/auskunft.zip"))
    expected = {
        "owner.csv",
        "ownerships.csv",
        "consents.csv",
        "consent_history.csv",
        "contact_cases.csv",
        "contact_events.csv",
        "use_requests.csv",
        "letters.csv",
        "interim_uses.csv",
        "mails.csv",
        "audit.csv",
    }
    assert expected <= set(files)
    assert files["owner.csv"].startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    rows = list(csv.DictReader(io.StringIO(files["owner.csv"].decode("utf-8-sig")), delimiter=";"))
    assert rows[0]["Name"] == "Dorothea Auskunftsreich"
    assert rows[0]["Telefon"] == "0345 987654"
    assert rows[0]["Die Stadt selbst"] == "nein"
    events = list(
        csv.DictReader(io.StringIO(files["contact_events.csv"].decode("utf-8-sig")), delimiter=";")
    )
    assert [e["Inhalt"] for e in events] == [EVENT_SUMMARY]
    letters = list(
        csv.DictReader(io.StringIO(files["letters.csv"].decode("utf-8-sig")), delimiter=";")
    )
    assert "Lindenweg 7" in letters[0]["Text des Briefes"]  # a multi-line cell survives


def test_owner_print_page_shows_the_same(admin_client, seeded):
    response = admin_client.get(f"/verwaltung/eigentuemer/{seeded['owner_id']}/auskunft")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for piece in (
        "Auskunft nach Art. 15 DSGVO",
        "Dorothea Auskunftsreich",
        "0345 987654",
        EVENT_SUMMARY,
        ANSWER_MESSAGE,
        INTERIM_COSTS,
        "04.03.2026",  # German dates
        "data-print",
        "Sehr geehrte Frau Auskunftsreich,",
        f"/verwaltung/eigentuemer/{seeded['owner_id']}/auskunft.zip",
    ):
        assert piece in html, piece
    for foreign in ("Fremdling", OTHER["phone"], TOKEN_HASH, MAIL_SECRET):
        assert foreign not in html


@pytest.mark.parametrize("role", ["staff", "viewer", "analyst"])
def test_other_roles_cannot_get_the_answer(client, session, base, seeded, role):
    email = base.staff.email if role == "staff" else base.viewer.email
    if role == "analyst":
        email = _user(session, base, "analyst").email
        session.commit()
    login(client, email)
    owner_id = seeded["owner_id"]
    assert client.get(f"/verwaltung/eigentuemer/{owner_id}/auskunft.zip").status_code == 403
    assert client.get(f"/verwaltung/eigentuemer/{owner_id}/auskunft").status_code == 403
    assert client.get(f"/verwaltung/benutzer/{base.staff.id}/auskunft.zip").status_code == 403
    assert client.get("/verwaltung/zugriffe").status_code == 403


@pytest.mark.parametrize("role", ["admin", "dpo"])
def test_admin_and_dpo_get_the_answer_and_it_is_logged(client, session, base, seeded, role):
    user = base.admin if role == "admin" else _user(session, base, "dpo")
    user_id = user.id
    session.commit()
    login(client, user.email)
    owner_id = seeded["owner_id"]
    assert client.get(f"/verwaltung/eigentuemer/{owner_id}/auskunft.zip").status_code == 200
    events = session.scalars(
        select(AccessEvent).where(AccessEvent.action == "access_request")
    ).all()
    assert [(e.user_id, e.entity, e.entity_id, e.detail) for e in events] == [
        (user_id, "owner", owner_id, {"format": "zip"})
    ]
    page = client.get(f"/verwaltung/eigentuemer/{owner_id}").get_data(as_text=True)
    assert "Auskunft nach Art. 15" in page and "Zugriffe auf diese Daten" in page


def test_staff_sees_no_privacy_links_on_the_owner_page(staff_client, seeded):
    page = staff_client.get(f"/verwaltung/eigentuemer/{seeded['owner_id']}").get_data(as_text=True)
    assert "Dorothea Auskunftsreich" in page
    assert "Auskunft nach Art. 15" not in page and "Zugriffe auf diese Daten" not in page


def test_another_towns_owner_is_404(client, session, base, seeded):
    dpo = User(email="dpo@anderswo.example", role="dpo", municipality_id=base.other_municipality.id)
    dpo.set_password(PASSWORD)
    session.add(dpo)
    session.commit()
    login(client, "dpo@anderswo.example")
    assert client.get(f"/verwaltung/eigentuemer/{seeded['owner_id']}/auskunft").status_code == 404
    assert client.get(f"/verwaltung/benutzer/{ident(base.staff)}/auskunft.zip").status_code == 404
    assert client.get("/verwaltung/eigentuemer/999999/auskunft.zip").status_code == 404
    assert session.scalars(select(AccessEvent)).all() == []  # nothing produced, nothing logged


# --- initiatives and staff ------------------------------------------------------------------


def test_initiative_self_service_has_its_own_data_only(client, session, base):
    mine = confirmed_initiative(
        session, base.municipality, name="Jugendtreff Sonnenseite", phone="0151 2223334"
    )
    other = confirmed_initiative(
        session, base.municipality, name="Chor Schattenseite", phone="0171 9998887"
    )
    proposal = f.proposal(session, mine, title="Proberaum für Bands")
    record(session, base.admin.id, "status", proposal, {"state": ["submitted", "published"]})
    f.proposal(session, other, title="Chorprobe im Laden")
    session.add(LoginSession(token_hash="ef" * 32, initiative_id=mine.id))
    session.commit()
    mine_email, other_email, proposal_id = mine.email, other.email, proposal.id
    login_initiative(client, mine_email)
    profile = client.get("/initiative/profil").get_data(as_text=True)
    assert "/initiative/meine-daten" in profile
    page = client.get("/initiative/meine-daten").get_data(as_text=True)
    assert "Jugendtreff Sonnenseite" in page and "Proberaum für Bands" in page
    files = _zip(client.get("/initiative/meine-daten.zip"))
    doc = json.loads(files["auskunft.json"])
    assert _rows(doc, "account")[0]["email"] == mine_email
    assert _rows(doc, "account")[0]["phone"] == "0151 2223334"
    assert [p["title"] for p in _rows(doc, "proposals")] == ["Proberaum für Bands"]
    assert len(_rows(doc, "logins")) >= 2  # the seeded one and this login
    everything = b"\n".join(files.values()).decode("utf-8")
    audit = _rows(doc, "audit")
    assert [(a["entry"], a["changes"]) for a in audit] == [
        (f"Idee Nr. {proposal_id}: Status geändert", "Status: eingereicht → veröffentlicht")
    ]
    for foreign in (
        "Schattenseite",
        other_email,
        "0171 9998887",
        "Chorprobe",
        "ef" * 32,
        "Test Admin",  # the staff member who did it stays anonymous
    ):
        assert foreign not in everything
    assert "password" not in everything.lower() and "token" not in everything.lower()


def test_staff_answer_by_admin(admin_client, session, base):
    record(session, base.admin.id, "role_changed", base.staff, {"role": ["viewer", "staff"]})
    session.add(
        AccessEvent(
            municipality_id=base.municipality.id,
            user_id=base.staff.id,
            action="read",
            entity="owner",
            entity_id=4711,
            at=datetime.now(UTC) - timedelta(hours=1),
        )
    )
    session.commit()
    files = _zip(admin_client.get(f"/verwaltung/benutzer/{base.staff.id}/auskunft.zip"))
    doc = json.loads(files["auskunft.json"])
    assert _rows(doc, "account")[0]["email"] == "staff@test.example"
    assert _rows(doc, "account")[0]["role"] == "Sachbearbeitung"
    audit = [a["entry"] for a in _rows(doc, "audit")]
    assert "Test Admin änderte die Rolle von Benutzer:in „Test Staff“" in audit
    activity = _rows(doc, "activity")
    picked = [(a["log"], a["action"], a["entity"], a["entity_id"]) for a in activity]
    assert ("Zugriffe", "gelesen", "Eigentümer:in", 4711) in picked
    users = admin_client.get("/verwaltung/benutzer").get_data(as_text=True)
    assert f'href="/verwaltung/benutzer/{base.staff.id}/auskunft"' in users
    page = admin_client.get(f"/verwaltung/benutzer/{base.staff.id}/auskunft")
    assert page.status_code == 200 and "staff@test.example" in page.get_data(as_text=True)
    assert "password" not in b"\n".join(files.values()).decode().lower()


def test_exports_of_the_owner_appear_in_the_answers_audit(client, seeded, base):
    login(client, base.staff.email)
    export = client.get("/verwaltung/anfragen/export.csv?eigentuemer=1")
    assert export.status_code == 200 and "Dorothea Auskunftsreich" in export.get_data(as_text=True)
    post_form(client, "/logout", {}, page="/verwaltung/")
    login(client, base.admin.email)
    files = _zip(client.get(f"/verwaltung/eigentuemer/{seeded['owner_id']}/auskunft.zip"))
    entries = [a["entry"] for a in _rows(json.loads(files["auskunft.json"]), "audit")]
    assert "Test Staff exportierte Daten mit Eigentümerdaten" in entries
    assert "Fremdling" not in b"\n".join(files.values()).decode("utf-8")
