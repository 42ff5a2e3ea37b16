"""``flask municipality add`` (a new town from an AGS, a name and a boundary file, optionally
Ortsteile and focus areas; one transaction) and ``flask municipality list``."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import func, select

from leerstand.db import db
from leerstand.models import District, FocusArea, Municipality, User
from leerstand.services.errors import ServiceError
from leerstand.services.towns import files, setup

FILE = click.Path(exists=False, dir_okay=False)


@click.group("municipality")
def municipality() -> None:
    """Towns (Kommunen): add one from files, list them."""


def _where(where: str | None, ags_field: str | None, ags: str) -> str | None:
    if where and ags_field:
        raise ServiceError("Bitte entweder --where oder --ags-field angeben, nicht beides.")
    return files.where_for(ags_field, ags.strip()) if ags_field else where


@municipality.command("add")
@click.option("--ags", required=True, help="Amtlicher Gemeindeschlüssel, 8 Ziffern")
@click.option("--name", required=True, help="Name der Kommune")
@click.option("--boundary", required=True, type=FILE, help="GeoJSON/GeoPackage der Grenze")
@click.option("--layer", default=None, help="Ebene der Grenzdatei (GeoPackage mit mehreren)")
@click.option("--where", default=None, help="OGR-SQL-Filter, z. B. \"AGS = '15083040'\"")
@click.option("--ags-field", default=None, help="Feld mit dem AGS (wählt die Fläche per --ags)")
@click.option("--districts", default=None, type=FILE, help="Ortsteile (Flächen oder Punkte)")
@click.option("--district-layer", default=None)
@click.option("--district-name-field", default=None, help="Feld mit dem Namen (sonst geraten)")
@click.option("--focus-areas", default=None, type=FILE, help="Fokusgebiete (Flächen oder Punkte)")
@click.option("--focus-layer", default=None)
@click.option("--focus-name-field", default=None, help="Feld mit dem Namen (sonst geraten)")
@click.option("--postcode", default=None, help="PLZ")
def add(**options) -> None:
    """Create a town with its boundary (any CRS), Ortsteile and focus areas; all or nothing."""
    o = options
    try:
        boundary = setup.Source(
            o["boundary"], o["layer"], _where(o["where"], o["ags_field"], o["ags"])
        )
        districts = focus = None
        if o["districts"]:
            districts = setup.Source(
                o["districts"], o["district_layer"], None, o["district_name_field"]
            )
        if o["focus_areas"]:
            focus = setup.Source(o["focus_areas"], o["focus_layer"], None, o["focus_name_field"])
        plan = setup.plan(
            db.session, o["ags"], o["name"], boundary, districts, focus, o["postcode"]
        )
        town = setup.create(db.session, plan)
        db.session.commit()
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc} Es wurde nichts gespeichert.") from None
    click.echo(
        f"Kommune {town.name} ({town.ags}) angelegt: {len(plan.districts)} Ortsteile, "
        f"{len(plan.focus_areas)} Fokusgebiete."
    )
    click.echo(
        "Erstes Admin-Konto: flask --app leerstand create-user "
        f"--ags {town.ags} --role admin --email ADRESSE"
    )
    click.echo(f"Öffentliche Karte: /k/{town.ags}/")


def _count(model, municipality_id: int) -> int:
    query = select(func.count()).select_from(model).where(model.municipality_id == municipality_id)
    return db.session.scalar(query)


@municipality.command("list")
def list_towns() -> None:
    """Every town: AGS, name, number of Ortsteile, focus areas and accounts."""
    towns = db.session.scalars(select(Municipality).order_by(Municipality.id)).all()
    if not towns:
        click.echo("Noch keine Kommune. Anlegen mit: flask --app leerstand municipality add …")
        return
    click.echo("AGS       Name                          Ortsteile Fokusgebiete Konten")
    for town in towns:
        counts = [_count(model, town.id) for model in (District, FocusArea, User)]
        click.echo(
            f"{town.ags:<9} {town.name[:29]:<29} {counts[0]:>9} {counts[1]:>12} {counts[2]:>6}"
        )


def register(app: Flask) -> None:
    app.cli.add_command(municipality)
