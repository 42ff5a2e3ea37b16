"""Undo of an import batch and updates by register id: undo removes what the batch created and
restores what it updated; it is refused while later work depends on the batch (each kind named),
for non-admins and for another municipality's users; the CLI's import-undo."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from leerstand.models import AuditEvent, Building, ImportBatch, Match, Owner, Unit
from leerstand.services import imports
from leerstand.services.errors import NotFound, ServiceError
from tests import factories
from tests.integration.test_import_csv import table_counts

HEADER = "Straße;Hausnr.;Rechtswert;Hochwert;Art;Fläche;Eigentümer\n"
ROWS = (
    "Allee;12;653216,46;5732069,39;Laden;85,5;Jörg Müller\n"
    "Allee;12;653216,46;5732069,39;Wohnung;60;Jörg Müller\n"
    "Markt;3;654038,39;5732138,97;Büro;40;\n"
)


def do_import(session, base, tmp_path, text=HEADER + ROWS, user=None):
    path = tmp_path / "liste.csv"
    path.write_bytes(text.encode("cp1252"))
    table = imports.read_table(path, "liste.csv")
    settings = imports.Settings(imports.guess_columns(table.headers), {}, "EPSG:25832", True)
    return imports.commit(session, base.municipality.id, (user or base.staff).id, table, settings)


def count(session, model, batch) -> int:
    return session.scalar(select(func.count()).where(model.import_batch_id == batch.id))


def test_undo_removes_the_batch(session, base, tmp_path):
    before = table_counts(session)
    batch = do_import(session, base, tmp_path)
    assert (count(session, Building, batch), count(session, Unit, batch)) == (2, 3)
    assert count(session, Owner, batch) == 1
    imports.undo(session, base.municipality.id, batch.id, base.admin.id)
    assert (count(session, Building, batch), count(session, Unit, batch)) == (0, 0)
    assert count(session, Owner, batch) == 0
    assert batch.undone_by_id == base.admin.id and batch.undone_at is not None
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "import_batch", AuditEvent.action == "undo")
    ).one()
    assert event.changes == {"units": 3, "buildings": 2, "owners": 1, "units_restored": 0}
    after = table_counts(session)
    # the batch and its audit entries stay; public_change_pending and tile_pending note this
    # (never committed) transaction until its commit (migrations 0018, 0021)
    kept = ("import_batch", "audit_event", "public_change_pending", "tile_pending")
    assert {k: v for k, v in after.items() if k not in kept} == {
        k: v for k, v in before.items() if k not in kept
    }
    with pytest.raises(ServiceError, match="schon rückgängig"):
        imports.undo(session, base.municipality.id, batch.id, base.admin.id)


def test_only_admins_of_the_municipality_may_undo(session, base, tmp_path):
    batch = do_import(session, base, tmp_path)
    with pytest.raises(ServiceError, match="Nur die Administration"):
        imports.undo(session, base.municipality.id, batch.id, base.staff.id)
    with pytest.raises(NotFound):
        imports.undo(session, base.other_municipality.id, batch.id, base.stranger.id)
    with pytest.raises(ServiceError, match="Nur die Administration"):
        imports.undo(session, base.municipality.id, batch.id, base.stranger.id)
    assert count(session, Unit, batch) == 3
    assert imports.batches(session, base.other_municipality.id) == []
    assert imports.batches(session, base.municipality.id)[0].id == batch.id


def test_undo_refused_while_later_work_depends_on_it(session, base, tmp_path):
    batch = do_import(session, base, tmp_path)
    building = session.scalars(
        select(Building).where(Building.import_batch_id == batch.id).order_by(Building.id)
    ).first()
    units = session.scalars(select(Unit).where(Unit.import_batch_id == batch.id)).all()
    owner = session.scalars(select(Owner).where(Owner.import_batch_id == batch.id)).one()
    factories.contact_case(session, building, owner)
    factories.interim_use(session, units[0])
    units[1].floor = "1. OG"  # edited since: version 2
    session.flush()
    with pytest.raises(ServiceError) as info:
        imports.undo(session, base.municipality.id, batch.id, base.admin.id)
    assert str(info.value) == (
        "Der Import kann nicht rückgängig gemacht werden, weil schon damit gearbeitet wurde: "
        "1 Ansprachen, 1 Zwischennutzungen, 1 seit dem Import bearbeitete Datensätze. "
        "Bitte diese Datensätze einzeln bearbeiten."
    )
    assert count(session, Unit, batch) == 3


def test_reviewed_match_blocks_undo_computed_one_does_not(session, base, tmp_path):
    batch = do_import(session, base, tmp_path)
    unit = session.scalars(select(Unit).where(Unit.import_batch_id == batch.id)).first()
    proposal = factories.proposal_in(session, base.municipality)
    factories.match(session, proposal, unit, status="suggested")
    imports.undo(session, base.municipality.id, batch.id, base.admin.id)  # computed: goes
    assert count(session, Unit, batch) == 0

    batch = do_import(session, base, tmp_path)
    unit = session.scalars(select(Unit).where(Unit.import_batch_id == batch.id)).first()
    match = session.scalars(select(Match).where(Match.unit_id == unit.id)).one_or_none()
    if match is None:  # the import matched the unit with the published proposal already
        match = factories.match(session, proposal, unit, status="suggested")
    match.status = "shortlisted"
    session.flush()
    with pytest.raises(ServiceError, match="1 geprüfte Treffer"):
        imports.undo(session, base.municipality.id, batch.id, base.admin.id)


def test_update_by_unit_id_and_undo_restores(session, base, tmp_path):
    building = factories.building(session, base.municipality)
    unit = factories.unit(session, building, area_m2=Decimal("80.0"), vacant_since=date(2020, 1, 1))
    other = factories.unit(session, building, name="OG Büro", kind="office")
    text = (
        "Einheit-ID;Art;Fläche;leer seit;Bezeichnung\n"
        f"{unit.id};Büro;95,5;01.2024;\n"
        f"{other.id};;;;\n"
        "999999;Laden;20;;\n"
        f"{unit.id};Laden;20;;\n"
    )
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode())
    table = imports.read_table(path, "export.csv")
    columns = {"unit_id": "Einheit-ID", "kind": "Art", "area_m2": "Fläche",
               "vacant_since": "leer seit", "unit_name": "Bezeichnung"}  # fmt: skip
    settings = imports.Settings(columns, {}, "EPSG:25832")
    plan = imports.plan(session, base.municipality.id, table, settings)
    assert [(r.line, r.action, r.problems) for r in plan.rows] == [
        (2, "update", []),
        (3, "update", []),
        (4, "skip", ["Einheit Nr. 999999 gibt es im Register nicht."]),
        (5, "skip", [f"Doppelt in der Datei: Einheit Nr. {unit.id} steht schon in Zeile 2."]),
    ]
    batch = imports.commit(session, base.municipality.id, base.staff.id, table, settings)
    session.refresh(unit)
    assert (unit.kind, unit.area_m2, unit.vacant_since, unit.name) == (
        "office",
        Decimal("95.5"),
        date(2024, 1, 1),
        "EG Ladenlokal",
    )
    assert unit.import_batch_id is None and batch.rows_updated == 2
    assert list(batch.settings["previous"]) == [str(unit.id)]  # the other row changed nothing
    imports.undo(session, base.municipality.id, batch.id, base.admin.id)
    session.refresh(unit)
    assert (unit.kind, unit.area_m2, unit.vacant_since) == (
        "shop",
        Decimal("80.0"),
        date(2020, 1, 1),
    )


def test_updated_unit_edited_since_blocks_undo(session, base, tmp_path):
    building = factories.building(session, base.municipality)
    unit = factories.unit(session, building)
    path = tmp_path / "export.csv"
    path.write_bytes(f"Einheit-ID;Art\n{unit.id};Wohnung\n".encode())
    table = imports.read_table(path, "export.csv")
    settings = imports.Settings({"unit_id": "Einheit-ID", "kind": "Art"}, {}, "EPSG:25832")
    batch = imports.commit(session, base.municipality.id, base.staff.id, table, settings)
    unit.floor = "2. OG"
    session.flush()
    with pytest.raises(ServiceError, match="1 seit dem Import bearbeitete aktualisierte Einheiten"):
        imports.undo(session, base.municipality.id, batch.id, base.admin.id)


def test_cli_import_undo(app, session, base, tmp_path):
    batch = do_import(session, base, tmp_path)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import-undo", str(batch.id), "--user", base.staff.email])
    assert result.exit_code == 1
    assert "Nur die Administration kann einen Import rückgängig machen." in result.output
    result = runner.invoke(args=["import-undo", str(batch.id), "--user", base.admin.email])
    assert result.exit_code == 0, result.output
    assert f"Import Nr. {batch.id} (liste.csv) rückgängig gemacht." in result.output
    assert session.get(ImportBatch, batch.id).undone_at is not None


def test_row_with_a_building_id_adds_a_unit_to_it(session, base, tmp_path):
    building = factories.building(session, base.municipality)
    foreign = factories.building(session, base.other_municipality, lonlat=(10.05, 50.05))
    path = tmp_path / "export.csv"
    path.write_bytes(
        f"Gebäude-ID;Art;Geschoss\n{building.id};Wohnung;1. OG\n{foreign.id};Laden;EG\n".encode()
    )
    table = imports.read_table(path, "export.csv")
    columns = {"building_id": "Gebäude-ID", "kind": "Art", "floor": "Geschoss"}
    settings = imports.Settings(columns, {}, "EPSG:25832")
    plan = imports.plan(session, base.municipality.id, table, settings)
    assert [(r.line, r.action, r.label, r.problems) for r in plan.rows] == [
        (2, "update", f"Gebäude Nr. {building.id}, Wohnung 1. OG", []),
        (3, "skip", f"Gebäude Nr. {foreign.id}, Ladenlokal EG",
         [f"Gebäude Nr. {foreign.id} gibt es im Register nicht."]),
    ]  # fmt: skip
    batch = imports.commit(session, base.municipality.id, base.staff.id, table, settings)
    unit = session.scalars(select(Unit).where(Unit.import_batch_id == batch.id)).one()
    assert (unit.building_id, unit.kind, unit.name, unit.floor) == (
        building.id,
        "flat",
        "Wohnung 1. OG",
        "1. OG",
    )
    imports.undo(session, base.municipality.id, batch.id, base.admin.id)
    assert session.scalar(select(func.count()).where(Unit.import_batch_id == batch.id)) == 0
    assert session.get(Building, building.id) is not None
