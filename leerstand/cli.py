"""Flask commands: create-user, seed-demo, reminders (daily from cron), rematch."""

import sys

import click
from flask import Flask
from sqlalchemy import func, select

from leerstand.db import db
from leerstand.models import Municipality, User
from leerstand.vocab import ROLES


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(list(ROLES)), default="staff", show_default=True)
@click.option("--name", default="")
@click.option(
    "--municipality", "ags", default=None, help="AGS of the municipality (default: first)"
)
def create_user(email: str, role: str, name: str, ags: str | None) -> None:
    """Create a staff user. The password is read from stdin when stdin is not a terminal."""
    if sys.stdin.isatty():
        password = click.prompt("Passwort", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    if len(password) < 10:
        raise click.ClickException("Das Passwort muss mindestens 10 Zeichen lang sein.")
    query = select(Municipality).order_by(Municipality.id)
    if ags:
        query = query.where(Municipality.ags == ags)
    municipality = db.session.scalars(query).first()
    if municipality is None:
        raise click.ClickException("Keine Kommune gefunden. Zuerst seed-demo ausführen.")
    taken = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
    if taken is not None:
        raise click.ClickException(f"Es gibt schon ein Konto mit {email}.")
    user = User(email=email, role=role, name=name, municipality_id=municipality.id)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Konto {email} ({role}) für {municipality.name} angelegt.")


@click.command("reminders")
def reminders() -> None:
    """Send the due reminder mails: owners who have not answered a use request (new link), and
    initiatives and staff before an interim use ends. Run daily, e.g. from cron; each reminder
    goes out once; each is committed right after its mail."""
    from datetime import UTC, datetime

    from flask import current_app

    from leerstand.dates import local_today
    from leerstand.services import interim_notices, requests_reminders

    config, commit = current_app.config, db.session.commit
    owners = requests_reminders.remind_due(
        db.session,
        datetime.now(UTC),
        config["REQUEST_VALID_DAYS"],
        config["REQUEST_REMINDER_DAYS"],
        commit,
    )
    ending = interim_notices.remind_ending(
        db.session, local_today(), config["INTERIM_END_REMINDER_DAYS"], commit
    )
    click.echo(
        f"Erinnerungen gesendet: {owners} an Eigentümer:innen (unbeantwortete Anfragen), "
        f"{ending} zu endenden Zwischennutzungen."
    )


@click.command("rematch")
def rematch() -> None:
    """Recompute all matches between published ideas and vacant units (after an import)."""
    from leerstand.services import matching

    total = 0
    for municipality in db.session.scalars(select(Municipality).order_by(Municipality.id)):
        total += matching.rematch_all(db.session, municipality.id)
    db.session.commit()
    click.echo(f"Treffer neu berechnet: {total}.")


def init_app(app: Flask) -> None:
    from leerstand.seed import seed_demo

    app.cli.add_command(create_user)
    app.cli.add_command(seed_demo)
    app.cli.add_command(reminders)
    app.cli.add_command(rematch)
