"""Least privilege: the role "analyst" ("Räume und Zahlen (ohne Personendaten)") opens every GET
route of the staff blueprint and gets 200 or 403, and NO response – page, CSV, XLSX, GeoJSON,
GeoPackage, the JSON endpoints of the maps – contains a personal value of the seeded world:
owners' names, addresses, phone numbers and e-mail addresses, their answers, the initiative's
contact person, e-mail and phone, notes naming people, and the names of other staff members.
The analyst still reaches the register, building and unit pages, matches and interim uses.

The role "dpo" (Datenschutz) reads owner pages and the Protokoll, and cannot edit (403 on the
edit forms, like a viewer).

The list of pages comes from the app's url_map (like ``test_viewer_pages``), so a new staff
route is covered as soon as it exists."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from leerstand.dates import local_today
from leerstand.models import (
    Building,
    ContactCase,
    ContactEvent,
    InterimUse,
    Match,
    Owner,
    Ownership,
    Proposal,
    User,
    UseRequest,
)
from leerstand.services.audit.log import record
from tests.conftest import PASSWORD, login
from tests.integration.test_viewer_pages import (
    CONVERTER_RE,
    EDIT_FORMS,
    HREF_RE,
    NOT_FOR_VIEWERS,
    _staff_get_rules,
    _url,
)
from tests.integration.test_viewer_pages import _world as viewer_world

# Every personal value of the world below, written out: none may reach the analyst.
OWNER_NAME = "Erika Eigen-Geheim"
OWNER_CONTACT = "Konrad Kontaktperson"
OWNER_STREET = "Geheimweg 7"
OWNER_CITY = "Privatdorf"
OWNER_EMAIL = "erika.geheim@privat.example"
OWNER_PHONE = "0391 5550123"
HEIR_NAME = "Hans Erbe-Geheim"
MANAGER_NAME = "Hausverwaltung Diskret GmbH"
MANAGER_EMAIL = "hv-diskret@privat.example"
ANSWER_MESSAGE = "Schlüssel bei Frau Eigen-Geheim im Hinterhaus"
EVENT_SUMMARY = "Telefonat mit Frau Eigen-Geheim über den Laden"
INITIATIVE_PERSON = "Ina Ansprech-Geheim"
INITIATIVE_EMAIL = "ina.geheim@verein.example"
INITIATIVE_EMAIL_2 = "ina.geheim@zweiter-verein.example"
INITIATIVE_PHONE = "0170 5550999"
# free texts of buildings, units and interim uses may name people: staff-only too
NOTE_NAME = "Nora Notiz-Geheim"
STAFF_NAMES = ("Test Staff", "Test Admin", "Test Viewer")
STAFF_EMAILS = ("staff@test.example", "admin@test.example", "viewer@test.example")
PERSONAL = (
    OWNER_NAME,
    OWNER_CONTACT,
    OWNER_STREET,
    OWNER_CITY,
    OWNER_EMAIL,
    OWNER_PHONE,
    HEIR_NAME,
    MANAGER_NAME,
    MANAGER_EMAIL,
    ANSWER_MESSAGE,
    EVENT_SUMMARY,
    INITIATIVE_PERSON,
    INITIATIVE_EMAIL,
    INITIATIVE_EMAIL_2,
    INITIATIVE_PHONE,
    NOTE_NAME,
    *STAFF_NAMES,
    *STAFF_EMAILS,
)
ANALYST_NAME = "Anna Analyse"
ANALYST_EMAIL = "analyse@test.example"

# Routes that show nothing but personal data: 403 for the analyst.
PERSONAL_PAGES = {
    "staff.owners",
    "staff.owner_view",
    "staff.cases",
    "staff.case_view",
    "staff.requests",
    "staff.request",
    "staff.request_new",
    "staff.requests_export",
    "staff.audit",
}
# The pages the analyst must reach (the url_map may have more).
ANALYST_READS = {
    "staff.home",
    "staff.register",
    "staff.register_geojson",
    "staff.register_export",
    "staff.building_view",
    "staff.unit_view",
    "staff.unit_matches",
    "staff.matches",
    "staff.match",
    "staff.matches_export",
    "staff.proposal_matches",
    "staff.moderation",
    "staff.moderation_view",
    "staff.interim_uses",
    "staff.interim_use",
    "staff.interim_export",
    "staff.api_tokens_page",
}


def _user(session, base, role: str, name: str, email: str) -> User:
    user = User(email=email, name=name, role=role, municipality_id=base.municipality.id)
    user.set_password(PASSWORD)
    session.add(user)
    session.flush()
    return user


def _personal_world(session, base) -> dict[str, int | str]:
    """The world of test_viewer_pages (its ids, so that a new route parameter added there
    works here too) with every personal field set to a value written out above, a case with a
    follow-up today (home page), a contact event naming the owner, an answered request, an
    interim use with its initiative and a history written by staff."""
    ids = viewer_world(session, base)
    ids.setdefault("user_id", base.staff.id)  # a staff member's pages (accounts, access log)
    owner = session.get(Owner, ids["owner_id"])
    owner.name, owner.contact_person = OWNER_NAME, OWNER_CONTACT
    owner.email, owner.phone, owner.street, owner.city = (
        OWNER_EMAIL,
        OWNER_PHONE,
        OWNER_STREET,
        OWNER_CITY,
    )
    building = session.get(Building, ids["building_id"])
    for ownership in session.scalars(select(Ownership).where(Ownership.building_id == building.id)):
        other = session.get(Owner, ownership.owner_id)
        if ownership.role == "heir":
            other.name = HEIR_NAME
        elif ownership.role == "manager":
            other.name, other.email = MANAGER_NAME, MANAGER_EMAIL
    staff = base.staff
    case = session.get(ContactCase, ids["case_id"])
    case.responsible_id, case.next_follow_up = staff.id, local_today()
    session.add(
        ContactEvent(
            case_id=case.id,
            occurred_on=local_today() - timedelta(days=1),
            channel="phone",
            direction="out",
            summary=EVENT_SUMMARY,
            user_id=staff.id,
        )
    )
    req = session.get(UseRequest, ids["request_id"])
    req.answer_message, req.created_by_id = ANSWER_MESSAGE, staff.id
    use = session.get(InterimUse, ids["interim_id"])
    initiative = session.get(Match, ids["match_id"]).proposal.initiative
    use.initiative_id, use.created_by_id = initiative.id, staff.id
    use.notes, use.key_handover = f"Absprache mit {NOTE_NAME}", f"Schlüssel bei {NOTE_NAME}"
    use.unit.internal_notes = f"Nachbarin {NOTE_NAME} hat den Schlüssel"
    building.notes = f"Hausmeisterin {NOTE_NAME}"
    submitted = session.get(Proposal, ids["proposal_id"]).initiative
    for person, email in ((initiative, INITIATIVE_EMAIL), (submitted, INITIATIVE_EMAIL_2)):
        person.contact_person, person.email, person.phone = (
            INITIATIVE_PERSON,
            email,
            INITIATIVE_PHONE,
        )
    session.flush()
    record(session, staff.id, "update", building, {"notes": ["", f"Hausmeisterin {NOTE_NAME}"]})
    record(session, base.admin.id, "update", use.unit, {"floor": ["EG", "UG"]})
    record(session, staff.id, "update", owner, {"name": ["Erika", OWNER_NAME]})
    record(session, staff.id, "create", case, {"owner_id": [None, owner.id]})
    session.flush()
    return ids


def _text(response) -> str:
    """The body as text; an XLSX as the text of every cell."""
    if response.mimetype.endswith("spreadsheetml.sheet"):
        workbook = load_workbook(io.BytesIO(response.get_data()))
        cells = [
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        ]
        return "\n".join(cells)
    return response.get_data().decode("utf-8", errors="replace")


def _personal_patterns(app) -> list[re.Pattern]:
    rules = [r for r in _staff_get_rules(app) if r.endpoint in PERSONAL_PAGES]
    return [re.compile("^" + CONVERTER_RE.sub(r"[^/]+", r.rule) + "$") for r in rules]


def _leaks(text: str) -> list[str]:
    return [value for value in PERSONAL if value.casefold() in text.casefold()]


@pytest.fixture
def world(session, base):
    return _personal_world(session, base)


def test_the_seeded_values_are_on_the_staff_pages(client, session, base, world):
    """The other side: a staff member sees these values, so their absence below means
    something."""
    login(client, base.staff.email)
    owner_page = client.get(f"/verwaltung/eigentuemer/{world['owner_id']}").get_data(True)
    assert OWNER_NAME in owner_page and OWNER_PHONE in owner_page and OWNER_EMAIL in owner_page
    building = client.get(f"/verwaltung/gebaeude/{world['building_id']}").get_data(True)
    assert OWNER_NAME in building and MANAGER_NAME in building
    assert "Test Staff" in building  # the history names who changed it
    unit = client.get(f"/verwaltung/einheiten/{world['unit_id']}").get_data(True)
    assert OWNER_NAME in unit
    home = client.get("/verwaltung/").get_data(True)
    assert OWNER_NAME in home
    case = client.get(f"/verwaltung/ansprache/{world['case_id']}").get_data(True)
    assert EVENT_SUMMARY in case
    proposal = client.get(f"/verwaltung/ideen-pruefen/{world['proposal_id']}").get_data(True)
    assert INITIATIVE_EMAIL_2 in proposal and INITIATIVE_PERSON in proposal
    interim = client.get(f"/verwaltung/zwischennutzungen/{world['interim_id']}").get_data(True)
    assert INITIATIVE_EMAIL in interim and ANSWER_MESSAGE in interim
    export = client.get("/verwaltung/register/export.xlsx?eigentuemer=1")
    assert OWNER_NAME in _text(export)


def test_analyst_walks_every_staff_page_without_personal_data(app, client, session, base, world):
    _user(session, base, "analyst", ANALYST_NAME, ANALYST_EMAIL)
    login(client, ANALYST_EMAIL)
    reached, refused, leaks, links = [], [], {}, {}
    personal_patterns = _personal_patterns(app)
    for rule in _staff_get_rules(app):
        if "GET" not in rule.methods:
            continue
        url = _url(rule, world)
        response = client.get(url)
        assert response.status_code in (200, 403), (url, response.status_code)
        if found := _leaks(_text(response)):
            leaks[url] = found
        if response.mimetype == "text/html" and response.status_code == 200:
            hrefs = HREF_RE.findall(response.get_data(as_text=True))
            if dead := [h for h in hrefs if any(p.match(h) for p in personal_patterns)]:
                links[url] = dead  # a link the analyst would only get a 403 from
        (reached if response.status_code == 200 else refused).append(rule.endpoint)
    assert not leaks, "\n".join(f"{url}: {found}" for url, found in leaks.items())
    assert not links, "\n".join(f"{url}: {found}" for url, found in links.items())
    assert set(reached) >= ANALYST_READS, ANALYST_READS - set(reached)
    assert set(refused) >= PERSONAL_PAGES, PERSONAL_PAGES - set(refused)
    assert set(refused) >= (EDIT_FORMS | NOT_FOR_VIEWERS)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson", "gpkg"])
def test_analyst_register_exports_hold_no_owner_data(client, session, base, world, fmt):
    _user(session, base, "analyst", ANALYST_NAME, ANALYST_EMAIL)
    login(client, ANALYST_EMAIL)
    response = client.get(f"/verwaltung/register/export.{fmt}")
    assert response.status_code == 200
    body = _text(response)
    assert not _leaks(body)
    assert "Allee" in body  # the register's rows are there (the building's street)
    refused = client.get(f"/verwaltung/register/export.{fmt}?eigentuemer=1")
    assert refused.status_code == 400
    assert not _leaks(_text(refused))
    assert "Eigentümerdaten" in refused.get_data(as_text=True)


def test_analyst_reports_and_map_endpoints_hold_no_personal_data(client, session, base, world):
    _user(session, base, "analyst", ANALYST_NAME, ANALYST_EMAIL)
    login(client, ANALYST_EMAIL)
    for url in (
        "/verwaltung/treffer/export.csv",
        "/verwaltung/zwischennutzungen/export.csv",
        "/verwaltung/register.geojson",
        "/api/buildings.geojson",
        "/api/places?q=Allee",
        "/api/places?q=Geheim",
        "/api/places?q=Privatdorf",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not _leaks(_text(response)), (url, _leaks(_text(response)))
    buildings = json.loads(client.get("/api/buildings.geojson").get_data())
    assert buildings["features"], "the analyst sees the buildings"
    assert client.get("/verwaltung/anfragen/export.csv?eigentuemer=1").status_code == 403


def test_analyst_navigation_offers_no_personal_pages(client, session, base, world):
    _user(session, base, "analyst", ANALYST_NAME, ANALYST_EMAIL)
    login(client, ANALYST_EMAIL)
    html = client.get("/verwaltung/register").get_data(as_text=True)
    nav = re.search(r"<nav\b.*?</nav>", html, re.S).group(0)
    for hidden in ("/verwaltung/eigentuemer", "/verwaltung/ansprache", "/verwaltung/anfragen"):
        assert f'href="{hidden}"' not in nav, hidden
    assert 'href="/verwaltung/protokoll"' not in nav
    assert 'href="/verwaltung/register"' in nav and 'href="/verwaltung/treffer"' in nav
    assert ANALYST_NAME in html  # their own name in the header
    assert "/verwaltung/eigentuemer" not in client.get(
        f"/verwaltung/gebaeude/{world['building_id']}"
    ).get_data(as_text=True)


def test_viewer_keeps_the_personal_pages(client, session, base, world):
    login(client, base.viewer.email)
    html = client.get("/verwaltung/register").get_data(as_text=True)
    assert 'href="/verwaltung/eigentuemer"' in html and 'href="/verwaltung/protokoll"' in html
    building = client.get(f"/verwaltung/gebaeude/{world['building_id']}").get_data(True)
    assert OWNER_NAME in building


def test_dpo_reads_owner_pages_and_the_log_but_cannot_edit(app, client, session, base, world):
    _user(session, base, "dpo", "Dora Datenschutz", "dpo@test.example")
    login(client, "dpo@test.example")
    owner = client.get(f"/verwaltung/eigentuemer/{world['owner_id']}")
    assert owner.status_code == 200
    assert OWNER_NAME in owner.get_data(as_text=True)
    audit = client.get("/verwaltung/protokoll")
    assert audit.status_code == 200 and "Test Staff" in audit.get_data(as_text=True)
    assert client.get(f"/verwaltung/ansprache/{world['case_id']}").status_code == 200
    for rule in _staff_get_rules(app):
        if rule.endpoint in EDIT_FORMS and "GET" in rule.methods:
            url = _url(rule, world)
            assert client.get(url).status_code == 403, url
    export = client.get("/verwaltung/register/export.csv?eigentuemer=1")
    assert export.status_code == 200 and OWNER_NAME in _text(export)


OGC_STAFF = (
    "/ogc/verwaltung/collections/units/items?limit=1000",
    "/ogc/verwaltung/collections/buildings/items?limit=1000",
)


@pytest.mark.parametrize(("role", "sees_notes"), [("analyst", False), ("staff", True)])
def test_staff_ogc_collections_give_notes_only_to_roles_with_personal_data(
    client, session, base, world, role, sees_notes
):
    """Free-text notes (which may name people) reach a GIS through the staff OGC API only with a
    token of a role that may see personal data."""
    from datetime import UTC, datetime

    from leerstand.services.accounts import api_tokens

    user = _user(session, base, role, f"GIS {role}", f"gis-{role}@test.example")
    _row, raw = api_tokens.create(session, user, "QGIS", 30, datetime.now(UTC))
    session.commit()
    for url in OGC_STAFF:
        response = client.get(url, headers={"Authorization": f"Bearer {raw}"})
        assert response.status_code == 200, url
        assert (NOTE_NAME in response.get_data(as_text=True)) is sees_notes, url
