"""Demo data for Ballenstedt (Harz): ``flask --app leerstand seed-demo``.

Real geography (VG250 boundary, reference points); everything else is fictional: addresses,
owners (Mustermann, Beispiel …, @example.org), contacts. The demo accounts have well-known
passwords and are for DEMO USE ONLY (see ``leerstand.seed.people``). The data is reproducible:
one ``random.Random(15085040)``; dates are relative to today so that follow-ups are due."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import Session

from leerstand.dates import local_today
from leerstand.db import db
from leerstand.models import Building, ContactCase, Municipality, User
from leerstand.seed.buildings import create_building
from leerstand.seed.consents import create_consents
from leerstand.seed.contacts import create_cases
from leerstand.seed.geography import Geography, create_geography
from leerstand.seed.history import create_history
from leerstand.seed.interim import create_interim_uses
from leerstand.seed.media import create_photos, create_reports
from leerstand.seed.people import OwnerPicker, create_owners, create_users, link_owners
from leerstand.seed.progress import create_progress
from leerstand.seed.proposals import create_proposals
from leerstand.seed.sites import Site, all_sites
from leerstand.services.audit.log import record
from leerstand.services.media.storage import store_from_config

SEED = 15085040


@dataclass
class SeedResult:
    municipality: Municipality
    buildings: list[Building]
    cases: list[ContactCase]


def _public_sites(sites: list[Site]) -> set[int]:
    """Indices of the 2–3 buildings owned by the town itself."""
    picks = [
        next(i for i, s in enumerate(sites) if s.street == "Alter Markt"),
        next(i for i, s in enumerate(sites) if s.district == "Badeborn"),
        [i for i, s in enumerate(sites) if s.area == "allee"][9],
    ]
    return set(picks)


def _buildings(session: Session, geo: Geography, picker: OwnerPicker, ctx: dict, echo):
    rng, today = ctx["rng"], ctx["today"]
    sites = all_sites(geo, rng)
    public = _public_sites(sites)
    buildings, ownerships = [], []
    for i, site in enumerate(sites):
        district = geo.districts[site.district]
        building = create_building(site, geo.municipality.id, district.id, rng, today)
        session.add(building)
        links = link_owners(building, picker.links(public=i in public))
        session.add_all(links)
        ownerships += links
        if (i + 1) % 10 == 0 or i + 1 == len(sites):
            echo(f"Gebäude {i + 1}/{len(sites)}")
        buildings.append(building)
    session.flush()
    for building in buildings:
        record(session, ctx["staff_id"], "seed", building)
    return buildings, ownerships


def seed(
    session: Session,
    ags: str | None = None,
    name: str = "Ballenstedt",
    echo=print,
    today: date | None = None,
) -> SeedResult:
    """Create the demo municipality (AGS from VG250 unless ``ags`` is given) with all its data.

    Only flushes; the caller commits once."""
    rng = random.Random(SEED)
    geo = create_geography(session, ags, name, echo)
    staff = create_users(session, geo.municipality, echo)
    owners = create_owners(session, geo.municipality)
    echo(f"Eigentümer:innen {len(owners)} … ok")
    ctx = {
        "rng": rng,
        "today": today or local_today(),
        "staff_id": staff.id if staff else None,
        "municipality_id": geo.municipality.id,
    }
    buildings, ownerships = _buildings(session, geo, OwnerPicker(owners, rng), ctx, echo)
    echo(f"Einwilligungen {len(create_consents(session, owners, buildings, SEED))} … ok")
    cases = create_cases(session, ownerships, ctx)
    echo(f"Eigentümeransprachen {len(cases)} … ok")
    echo(f"Initiativen und Ideen {create_proposals(session, geo, buildings, ctx['today'])} … ok")
    uses = create_interim_uses(session, geo.municipality.id, ctx["staff_id"], ctx["today"])
    echo(f"Zwischennutzungen erfasst: {uses}")
    progress = create_progress(session, geo.municipality.id, ctx["staff_id"], ctx["today"])
    echo(f"Vermittlung: {progress}")
    echo(f"Verlauf: {create_history(session, geo.municipality.id, ctx['staff_id'], ctx['today'])}")
    return SeedResult(geo.municipality, buildings, cases)


def _media(session: Session, result: SeedResult, echo) -> None:
    """Photos (into the configured media store) and citizens' reports of the demo."""
    config, town = current_app.config, result.municipality
    store, today = store_from_config(config), local_today()
    staff_id = session.scalar(
        select(User.id).where(User.municipality_id == town.id, User.role == "staff").limit(1)
    )
    echo(f"Fotos {create_photos(session, town.id, store, staff_id, today)} … ok")
    reports = create_reports(session, town.id, store, config["SECRET_KEY"], today)
    echo(f"Bürgermeldungen {reports} … ok")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Nichts tun, wenn es schon eine Kommune gibt.")
@with_appcontext
def seed_demo(if_empty: bool) -> None:
    """Create Ballenstedt with districts, focus areas, buildings, units, owners and contacts."""
    session = db.session
    if if_empty and session.scalar(select(Municipality.id).limit(1)) is not None:
        click.echo("seed-demo: Es gibt schon eine Kommune – nichts zu tun.")
        return
    if session.scalar(select(Municipality.id).where(Municipality.ags == str(SEED))) is not None:
        raise click.ClickException(f"Kommune mit AGS {SEED} gibt es schon.")
    started = time.perf_counter()
    result = seed(session, echo=click.echo)
    _media(session, result, click.echo)
    session.commit()
    seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
    click.echo(f"Demo-Daten angelegt in {seconds} s.")
