"""A viewer (role "Nur lesen") opens every GET page of the staff blueprint: 200 on every read
page, 403 only on the pure edit-form routes (``EDIT_FORMS``), and no page offers a form that
changes anything (no POST form but logout and their own API token) or a link to an edit form;
the import pages and the town's settings are 403 for a viewer.

The list of pages comes from the app's url_map, so a new staff route is covered as soon as it
exists; its URL parameters are filled with real ids from the factories (``ids``). A route with
an unknown parameter fails here until the parameter is added to ``ids``."""

from __future__ import annotations

import re

from tests import factories
from tests.conftest import login
from tests.report_world import vacancy_report

# Routes that are nothing but a form to change data; a viewer gets 403 and no link to them.
EDIT_FORMS = {
    "staff.building_new",
    "staff.building_edit",
    "staff.unit_new",
    "staff.unit_edit",
    "staff.owner_new",
    "staff.owner_edit",
    "staff.ownership_add",
    "staff.interim_new",
    "staff.interim_unit_new",
}
# Routes a viewer may not open at all: importing (staff or admins) and the town's settings.
NOT_FOR_VIEWERS = {
    "staff.settings",
    "staff.settings_texts",  # Impressum, Datenschutz, Barrierefreiheit (issue 11)
    "staff.import_upload",
    "staff.import_columns",
    "staff.import_values",
    "staff.import_plan",
    "staff.import_wait",
    "staff.import_done",
    "staff.import_status",
    "staff.import_batches",
    "staff.import_undo_confirm",
    # Datenschutz (issue 11): Art. 15 answers and the access log, admins and the DPO only
    "staff.owner_access",
    "staff.owner_access_zip",
    "staff.staff_access",
    "staff.staff_access_zip",
    "staff.access_events",
    "staff.users",  # Benutzer (issue 11, accounts): admins only
    "staff.owner_erase",  # erasure (Art. 17): admins and the DPO
}
# POST forms a viewer may see: logging out, and their own read-only API token (changes no data).
PERSONAL_POSTS = {"/logout", "/initiative/abmelden", "/verwaltung/api-zugang"}
FORM_RE = re.compile(r"<form\b[^>]*>", re.IGNORECASE)
POST_RE = re.compile(r"method\s*=\s*[\"']?post", re.IGNORECASE)
ACTION_RE = re.compile(r"action\s*=\s*[\"']([^\"']*)", re.IGNORECASE)
HREF_RE = re.compile(r"href\s*=\s*[\"']([^\"'?#]*)", re.IGNORECASE)
CONVERTER_RE = re.compile(r"<(?:int:)?[a-z_]+>")


def _world(session, base) -> dict[str, int | str]:
    """One of each record, linked: building, unit, owner with a case, proposal, match, request,
    interim use."""
    world = factories.request_world(session, base.municipality)
    case = factories.contact_case(session, world.building, world.owner)
    req = factories.use_request(session, world.match, world.owner, answer="yes", case_id=case.id)
    use = factories.interim_use(
        session, world.unit, proposal_id=world.proposal.id, use_request_id=req.id
    )
    submitted = factories.proposal_in(
        session, base.municipality, state="submitted", title="Zu prüfen"
    )
    report = vacancy_report(session, base.municipality)
    return {
        "building_id": world.building.id,
        "unit_id": world.unit.id,
        "owner_id": world.owner.id,
        "case_id": case.id,
        "match_id": world.match.id,
        "proposal_id": submitted.id,
        "request_id": req.id,
        "interim_id": use.id,
        "report_id": report.id,
        "batch_id": 1,
        "token": "kein-token",
        "fmt": "csv",
        "user_id": base.staff.id,
    }


def _staff_get_rules(app):
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("staff.")),
        key=lambda rule: rule.rule,
    )


def _url(rule, ids: dict[str, int | str]) -> str:
    missing = set(rule.arguments) - set(ids)
    assert not missing, f"{rule.endpoint}: add an id for {missing} to _world()"
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(rf"<(?:int:)?{name}>", str(ids[name]), path)
    return path


def _edit_patterns(app) -> list[re.Pattern]:
    rules = [r for r in _staff_get_rules(app) if r.endpoint in EDIT_FORMS]
    return [re.compile("^" + CONVERTER_RE.sub(r"\\d+", r.rule) + "$") for r in rules]


def test_viewer_reads_every_staff_page_without_edit_controls(app, client, session, base):
    ids = _world(session, base)
    login(client, base.viewer.email)
    edit_patterns = _edit_patterns(app)
    checked = []
    for rule in _staff_get_rules(app):
        if "GET" not in rule.methods:
            continue
        url = _url(rule, ids)
        response = client.get(url)
        if rule.endpoint in EDIT_FORMS or rule.endpoint in NOT_FOR_VIEWERS:
            assert response.status_code == 403, (url, response.status_code)
            continue
        assert response.status_code == 200, (url, response.status_code)
        checked.append(rule.endpoint)
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        for tag in FORM_RE.findall(html):
            if POST_RE.search(tag):
                action = ACTION_RE.search(tag)
                assert action and action.group(1) in PERSONAL_POSTS, (url, tag)
        for href in HREF_RE.findall(html):
            assert not any(p.match(href) for p in edit_patterns), (url, href)
    # the pages this test must reach (the url_map may have more)
    assert {
        "staff.home",
        "staff.register",
        "staff.building_view",
        "staff.unit_view",
        "staff.owner_view",
        "staff.case_view",
        "staff.match",
        "staff.request",
        "staff.interim_use",
        "staff.moderation_view",
        "staff.audit",
        "staff.api_tokens_page",
        "staff.register_export",
    } <= set(checked)


def test_edit_form_routes_answer_editors(app, client, session, base):
    """The 403 list above holds only forms: an editor opens each of them (200)."""
    ids = _world(session, base)
    login(client, base.staff.email)
    for rule in _staff_get_rules(app):
        if rule.endpoint in EDIT_FORMS and "GET" in rule.methods:
            url = _url(rule, ids)
            assert client.get(url).status_code == 200, url
