"""``flask import FILE``: the dry run's output (a line per problem, the counts) writes nothing;
a real run prints the batch id; problems with the file or the mapping exit with 1."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from leerstand.models import Building, ImportBatch, Unit
from tests.integration.test_import_csv import table_counts

CSV = (
    "Straße;Hausnr.;Rechtswert;Hochwert;Art;Fläche m²;leer seit\n"
    "Kröten-Allee;1;653216,46;5732069,39;Ladenlokal;85,5;01.03.2023\n"
    "Allee;12;654038,39;5732138,97;Wohnung;-5;\n"
    "Markt;3;654243,89;5732200,91;Wohnung;40;31.02.2024\n"
)


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def write(tmp_path, text=CSV, name="liste.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252"))
    return str(path)


def test_dry_run_prints_problems_and_counts(app, session, base, tmp_path):
    before = table_counts(session)
    result = run(app, "import", write(tmp_path), "--dry-run", "--ags", "15085040")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "  … 3 von 3 Zeilen",
        "Zeile 3: „Fläche (m²)“ muss zwischen 0,1 und 999.999,9 m² liegen (eingegeben: -5).",
        "Zeile 4: leer seit: „31.02.2024“ ist kein mögliches Datum.",
        "Neu: 1, aktualisiert: 0, übersprungen: 2, Eigentümer:innen neu: 0",
    ]
    assert table_counts(session) == before


def test_import_commits_and_prints_the_batch(app, session, base, tmp_path):
    result = run(app, "import", write(tmp_path), "--user", base.staff.email)
    assert result.exit_code == 0, result.output
    batch = session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc())).first()
    assert result.output.splitlines()[-1] == f"Import Nr. {batch.id} gespeichert."
    assert (batch.created_by_id, batch.rows_created, batch.rows_skipped) == (base.staff.id, 1, 2)
    assert session.scalar(select(func.count()).where(Unit.import_batch_id == batch.id)) == 1


def test_columns_from_a_json_file(app, session, base, tmp_path):
    columns = tmp_path / "spalten.json"
    columns.write_text(json.dumps({"street": "Straße", "x": "Rechtswert", "y": "Hochwert"}))
    result = run(app, "import", write(tmp_path), "--columns", str(columns), "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        "Neu: 3, aktualisiert: 0, übersprungen: 0, Eigentümer:innen neu: 0"
    )


def test_problems_with_file_or_mapping_exit_with_1(app, session, base, tmp_path):
    before = session.scalar(select(func.count()).select_from(Building))
    result = run(app, "import", write(tmp_path, "Name;Wert\nA;1\n"), "--dry-run")
    assert result.exit_code == 1
    assert "Bitte ordnen Sie dem Feld „Straße“ eine Spalte zu." in result.output
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(b"%PDF-1.7 ...")
    result = run(app, "import", str(pdf))
    assert result.exit_code == 1
    assert "Dieses Dateiformat kann nicht importiert werden." in result.output
    result = run(app, "import", write(tmp_path), "--columns", str(tmp_path / "fehlt.json"))
    assert result.exit_code == 1 and "keine lesbare JSON-Datei" in result.output
    assert session.scalar(select(func.count()).select_from(Building)) == before
