""" "Geeignet für" of a unit: checkboxes of the use vocabulary stored as codes (form round trip,
unknown codes refused in German with nothing written), and migration 0005 mapping old free
text on real rows (unknown words kept in the internal notes)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from sqlalchemy import select, text

from leerstand.models import Unit
from tests import factories as f
from tests.conftest import post_form

MIGRATION = (
    Path(__file__).resolve().parents[2] / "migrations/versions/0005_suitable_uses_as_codes.py"
)


def _migration():
    spec = importlib.util.spec_from_file_location("migration_0005", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FORM = {"name": "EG Laden", "kind": "shop", "vacancy_state": "vacant", "owner_expectation": "rent"}


def test_form_stores_codes_and_shows_them_checked(staff_client, session, base):
    building = f.building(session, base.municipality)
    session.commit()
    url = f"/verwaltung/gebaeude/{building.id}/einheiten/neu"
    html = staff_client.get(url).get_data(as_text=True)
    assert '<input type="checkbox" name="suitable_uses" value="cafe" >' in html
    assert "Café / Treffpunkt" in html

    response = post_form(staff_client, url, {**FORM, "suitable_uses": ["events", "cafe"]})
    assert response.status_code == 302
    unit = session.scalars(select(Unit).where(Unit.building_id == building.id)).one()
    assert unit.suitable_uses == ["cafe", "events"]  # vocabulary order

    edit = staff_client.get(f"/verwaltung/einheiten/{unit.id}/bearbeiten").get_data(as_text=True)
    assert 'name="suitable_uses" value="cafe" checked>' in edit
    assert 'name="suitable_uses" value="events" checked>' in edit
    assert 'name="suitable_uses" value="popup" >' in edit

    data = {**FORM, "version": str(unit.version)}  # no box ticked: the list is emptied
    edit_url = f"/verwaltung/einheiten/{unit.id}/bearbeiten"
    assert post_form(staff_client, edit_url, data).status_code == 302
    session.expire_all()
    assert session.get(Unit, unit.id).suitable_uses == []


def test_unknown_code_is_refused_in_german(staff_client, session, base):
    building = f.building(session, base.municipality)
    session.commit()
    url = f"/verwaltung/gebaeude/{building.id}/einheiten/neu"
    response = post_form(staff_client, url, {**FORM, "suitable_uses": ["popup", "Disco"]})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert (
        "„Disco“ ist keine bekannte Nutzung bei „Geeignet für“. "
        "Bitte nur Nutzungen aus der Liste ankreuzen."
    ) in body
    assert 'name="suitable_uses" value="popup" checked>' in body  # the choice is kept
    assert session.scalars(select(Unit).where(Unit.building_id == building.id)).all() == []


@pytest.mark.parametrize(
    ("words", "codes", "unknown"),
    [
        (["Pop-up-Laden", "ATELIER", "atelier"], ["popup", "atelier"], []),
        (["Café / Treffpunkt", "  repair-café "], ["cafe", "workshop"], []),
        (["Veranstaltungen", "Büro", "Galerie", "Disco"],
         ["exhibition", "events", "office"], ["Disco"]),
        (["events", "club"], ["club", "events"], []),
        (["Lager", "Lager", "Kita"], [], ["Lager", "Kita"]),
        ([], [], []),
    ],
)  # fmt: skip
def test_mapping_of_old_words(words, codes, unknown):
    assert _migration().map_uses(words) == (codes, unknown)


def test_migration_rewrites_real_rows(session, base):
    building = f.building(session, base.municipality)
    mixed = f.unit(session, building, suitable_uses=["Atelier", "Lager", "Veranstaltungen"],
                   internal_notes="Schlüssel beim Nachbarn")  # fmt: skip
    unknown_only = f.unit(session, building, suitable_uses=["Kita"])
    codes = f.unit(session, building, suitable_uses=["popup"], internal_notes="bleibt")
    empty = f.unit(session, building, suitable_uses=[])
    session.flush()

    changed = _migration().migrate_rows(session.connection())

    assert changed == 2  # rows already holding only codes are left alone
    rows = {
        row.id: (row.suitable_uses, row.internal_notes)
        for row in session.execute(
            text("SELECT id, suitable_uses, internal_notes FROM unit WHERE building_id = :b"),
            {"b": building.id},
        )
    }
    assert rows[mixed.id] == (
        ["atelier", "events"],
        "Schlüssel beim Nachbarn\nGeeignet für (alt): Lager",
    )
    assert rows[unknown_only.id] == ([], "Geeignet für (alt): Kita")
    assert rows[codes.id] == (["popup"], "bleibt")
    assert rows[empty.id] == ([], "")
