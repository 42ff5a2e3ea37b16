"""``flask import FILE`` (the import for large files: a dry run with ``--dry-run``, else one
transaction) and ``flask import-undo BATCH_ID``. The plan is printed as one line per row with
problems ("Zeile 7: …") and the counts; problems with the file or the mapping exit with 1."""

from __future__ import annotations

import json
import pathlib

import click
from flask import Flask
from sqlalchemy import func, select

from leerstand.db import db
from leerstand.models import Municipality, User
from leerstand.services import imports
from leerstand.services.errors import ServiceError


def _municipality(ags: str | None, user: User | None) -> Municipality:
    query = select(Municipality).order_by(Municipality.id)
    if ags:
        query = query.where(Municipality.ags == ags)
    elif user is not None:
        query = query.where(Municipality.id == user.municipality_id)
    municipality = db.session.scalars(query).first()
    if municipality is None:
        raise click.ClickException(f"Keine Kommune mit AGS {ags}." if ags else "Keine Kommune.")
    if user is not None and user.municipality_id != municipality.id:
        raise click.ClickException(f"{user.email} gehört nicht zu {municipality.name}.")
    return municipality


def _user(email: str | None) -> User | None:
    if not email:
        return None
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
    if user is None or not user.active:
        raise click.ClickException(f"Es gibt kein aktives Konto mit {email}.")
    return user


def _columns(option: str, table: imports.Table) -> dict[str, str]:
    if option == "guess":
        return imports.guess_columns(table.headers)
    try:
        data = json.loads(pathlib.Path(option).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        message = f"--columns: {option} ist keine lesbare JSON-Datei ({exc})."
        raise click.ClickException(message) from None
    if not isinstance(data, dict):
        raise click.ClickException("--columns: erwartet ein JSON-Objekt {Feld: Spalte}.")
    return {str(k): str(v) for k, v in data.items() if v}


def _progress(done: int, total: int) -> None:
    if done == total or done % 2000 == 0:
        click.echo(f"  … {done} von {total} Zeilen", err=True)


def _print_plan(plan: imports.Plan) -> None:
    for row in plan.rows:
        for problem in row.problems:
            click.echo(f"Zeile {row.line}: {problem}")
    c = plan.counts
    click.echo(
        f"Neu: {c['create']}, aktualisiert: {c['update']}, übersprungen: {c['skip']}, "
        f"Eigentümer:innen neu: {c['owners']}"
    )


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=pathlib.Path))
@click.option("--dry-run", is_flag=True, help="nur prüfen, nichts schreiben")
@click.option("--ags", default=None, help="AGS der Kommune (sonst die des Kontos / die erste)")
@click.option(
    "--crs",
    type=click.Choice(list(imports.CRS_CHOICES)),
    default="EPSG:25832",
    show_default=True,
    help='Koordinatensystem der Datei ("file": wie in der Datei angegeben)',
)
@click.option("--columns", default="guess", show_default=True, help='JSON-Datei oder "guess"')
@click.option("--create-owners", is_flag=True, help="Eigentümer:innen anlegen")
@click.option("--user", "email", default=None, help="E-Mail des Kontos, das importiert")
def import_command(file, dry_run, ags, crs, columns, create_owners, email) -> None:
    """Import a CSV, XLSX, GeoJSON, GeoPackage or zipped Shapefile into the register."""
    user = _user(email)
    municipality = _municipality(ags, user)
    try:
        table = imports.read_table(file, file.name)
        settings = imports.Settings(_columns(columns, table), {}, crs, create_owners)
        problems = imports.check_settings(table, settings)
        if problems:
            raise imports.ImportProblem("\n".join(problems))
        if dry_run:
            _print_plan(imports.plan(db.session, municipality.id, table, settings, _progress))
            return
        batch = imports.commit(
            db.session, municipality.id, user.id if user else None, table, settings, _progress
        )
    except imports.ImportProblem as exc:
        raise click.ClickException(str(exc.args[0])) from None
    _print_plan(batch.plan)
    db.session.commit()
    click.echo(f"Import Nr. {batch.id} gespeichert.")


@click.command("import-undo")
@click.argument("batch_id", type=int)
@click.option("--user", "email", required=True, help="E-Mail eines Kontos der Administration")
def import_undo(batch_id: int, email: str) -> None:
    """Undo an import batch (administration only)."""
    user = _user(email)
    try:
        batch = imports.undo(db.session, user.municipality_id, batch_id, user.id)
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"Import Nr. {batch.id} ({batch.file_name}) rückgängig gemacht.")


def register(app: Flask) -> None:
    app.cli.add_command(import_command)
    app.cli.add_command(import_undo)
