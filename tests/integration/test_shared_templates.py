"""Shared templates and vocabularies: Protokoll labels for every action the services write, the
error page's home link per visitor, the one contact timeline, the one unit facts block and the
one wording of unit features."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

from leerstand import vocab
from leerstand.models import AuditEvent, ContactEvent
from tests import factories
from tests.initiatives import initiative, login_initiative

SOURCE = Path(__file__).resolve().parents[2] / "leerstand"
# Functions that write an audit event, and the position of their action argument.
AUDIT_CALLS = {"record": 2, "flush_versioned": 3, "save_with_audit": 3, "_save": 3, "_step": 5}


def _literals(node, assigned: dict) -> set[str]:
    """String constants an expression can evaluate to (a name: what it was assigned)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _literals(node.body, assigned) | _literals(node.orelse, assigned)
    if isinstance(node, ast.BoolOp):
        return set().union(*(_literals(v, assigned) for v in node.values))
    if isinstance(node, ast.Name):
        return set().union(*(_literals(v, {}) for v in assigned.get(node.id, [])))
    return set()


def _actions_in(function) -> set[str]:
    assigned: dict[str, list] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, []).append(node.value)
    found = set()
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", None))
        position = AUDIT_CALLS.get(name)
        args = [*node.args, *(k.value for k in node.keywords if k.arg in ("action", "audit"))]
        if position is not None and len(node.args) > position:
            found |= _literals(node.args[position], assigned)
        elif position is not None and len(args) > len(node.args):
            found |= _literals(args[-1], assigned)
    return found


def _written_actions() -> set[str]:
    actions = set()
    for path in SOURCE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                actions |= _actions_in(node)
    return actions


def test_every_audit_action_written_by_the_services_has_a_label():
    written = _written_actions()
    assert {"status", "owner_answer", "consent_withdrawn", "seed", "remind", "end"} <= written
    assert written - set(vocab.AUDIT_ACTIONS) == set()


def test_protokoll_shows_labels_not_codes(session, base, staff_client):
    mid = base.municipality.id
    for n, action in enumerate(vocab.AUDIT_ACTIONS):
        entity = list(vocab.AUDIT_ENTITIES)[n % len(vocab.AUDIT_ENTITIES)]
        session.add(
            AuditEvent(municipality_id=mid, action=action, entity=entity, entity_id=n, changes={})
        )
    session.flush()
    html = staff_client.get("/verwaltung/protokoll").get_data(as_text=True)
    items = re.findall(r'<li class="audit-entry"[^>]*>(.*?)</li>', html, re.S)
    assert len(items) == len(vocab.AUDIT_ACTIONS)  # each event one sentence
    text = " ".join(re.sub(r"<[^>]+>", " ", item) for item in items)
    for action in vocab.AUDIT_ACTIONS:
        assert not re.search(rf"\b{action}\b", text), action
    for entity in vocab.AUDIT_ENTITIES:
        assert not re.search(rf"\b{entity}\b", text), entity
    assert str(vocab.AUDIT_ENTITIES["use_request"]) in text
    options = re.findall(r'<option value="(\w+)"[^>]*>([^<]+)</option>', html)
    assert ("interim_use", "Zwischennutzung") in options


def test_error_page_leads_each_visitor_home(session, base, client):
    html = client.get("/leerstand/999999").get_data(as_text=True)
    assert 'href="/" class="error-home"' in html

    ini = initiative(session, base.municipality)
    login_initiative(client, ini.email)
    response = client.get("/initiative/ideen/999999")
    assert response.status_code == 404
    assert 'href="/initiative/ideen" class="error-home"' in response.get_data(as_text=True)


def test_error_page_leads_staff_to_their_start(staff_client):
    response = staff_client.get("/verwaltung/ansprache/999999")
    assert response.status_code == 404
    assert 'href="/verwaltung/" class="error-home"' in response.get_data(as_text=True)


def _case_with_events(session, base):
    building = factories.building(session, base.municipality)
    owner = factories.owner(session, base.municipality)
    case = factories.contact_case(session, building, owner)
    rows = [
        ("in", None, "Antwort online\nzweite Zeile", "Ja"),
        ("out", None, "Brief ohne Bearbeiter:in", ""),
        ("internal", base.staff.id, "Notiz", ""),
        ("out", base.staff.id, "Anruf", "kein Anschluss"),
    ]
    for day, (direction, user_id, summary, outcome) in enumerate(rows, start=1):
        session.add(
            ContactEvent(
                case_id=case.id,
                occurred_on=date(2026, 1, day),
                channel="letter",
                direction=direction,
                summary=summary,
                outcome=outcome,
                user_id=user_id,
            )  # fmt: skip
        )
    session.flush()
    return case, owner


def test_contact_timeline_is_the_same_everywhere(session, base, staff_client):
    case, owner = _case_with_events(session, base)
    html = staff_client.get(f"/verwaltung/ansprache/{case.id}").get_data(as_text=True)
    timeline = html[html.index('<ul class="timeline">') :]
    assert timeline.count("<li>") == 4
    assert timeline.count("Eigentümer:in / System") == 1  # only the incoming one without user
    assert '<span class="prewrap event-summary">Antwort online\nzweite Zeile</span>' in timeline
    assert '<span class="event-outcome">Ja</span>' in timeline
    assert '<span class="event-outcome">kein Anschluss</span>' in timeline
    assert base.staff.display_name in timeline

    html = staff_client.get(f"/verwaltung/eigentuemer/{owner.id}").get_data(as_text=True)
    timeline = html[html.index('<ul class="timeline">') :]
    assert timeline[: timeline.index("</ul>")].count("<li>") == 3  # the newest three
    assert "Antwort online" not in timeline  # the oldest one is left out
    assert '<span class="event-outcome">kein Anschluss</span>' in timeline


def test_unit_facts_on_both_matching_pages(session, base, staff_client):
    building = factories.building(session, base.municipality)
    unit = factories.unit(session, building, name="OG Büro", kind="office")
    match = factories.match(session, factories.proposal_in(session, base.municipality), unit)
    for url, with_name in (
        (f"/verwaltung/treffer/{match.id}", True),
        (f"/verwaltung/einheiten/{unit.id}/treffer", False),
    ):
        html = staff_client.get(url).get_data(as_text=True)
        facts = html[html.index('<dl class="facts unit-facts">') :]
        facts = facts[: facts.index("</dl>")]
        assert "Büro / Praxis" in facts and "80,0 m²" in facts
        assert ("OG Büro" in facts) is with_name


def test_features_have_one_wording(session, base, staff_client):
    building = factories.building(session, base.municipality)
    html = staff_client.get(f"/verwaltung/gebaeude/{building.id}/einheiten/neu").get_data(
        as_text=True
    )
    for code, text in vocab.FEATURES.items():
        assert re.search(rf'name="{code}" value="1"[^>]*> {re.escape(str(text))}</label>', html), (
            code
        )
    assert "barrierefrei (stufenlos)" in html
