"""Flask commands: create-user, seed-demo, reminders (daily from cron), ideas-digest,
user-update, check (is the configuration fit for production). Larger groups of commands live in
modules of this package, each with a ``register(app)`` called from ``init_app`` (rematch and
worker in ``jobs``)."""

import os
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
    "--municipality", "--ags", "ags", default=None, help="AGS of the municipality (default: first)"
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
    if municipality is None and ags:
        raise click.ClickException(f"Keine Kommune mit AGS {ags}. Alle: municipality list.")
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


@click.command("user-update")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(list(ROLES)), default=None, help="new role")
@click.option(
    "--deactivate/--activate", "deactivate", default=None, help="lock out or let in again"
)
@click.option("--password-stdin", is_flag=True, help="read a new password from stdin")
def user_update(email: str, role: str | None, deactivate: bool | None, password_stdin: bool):
    """Change a staff account's role, active flag or password. Any change ends every login
    session of the account (a copied cookie stops working)."""
    from leerstand.services.accounts import passwords as accounts
    from leerstand.services.errors import ServiceError

    user = accounts.find_by_email(db.session, User, email)
    if user is None:
        raise click.ClickException(f"Es gibt kein Konto mit {email}.")
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    active = None if deactivate is None else not deactivate
    try:
        changed = accounts.update_user(db.session, user, role, active, password)
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    if not changed:
        click.echo(f"Konto {user.email}: nichts geändert.")
        return
    state = "aktiv" if user.active else "deaktiviert"
    click.echo(
        f"Konto {user.email}: Rolle {user.role}, {state}"
        + (", neues Passwort" if "password" in changed else "")
        + ". Alle Anmeldungen des Kontos sind beendet."
    )


@click.command("check")
@click.option("--lang", type=click.Choice(["de", "en"]), default=None, help="de or en")
def check(lang: str | None) -> None:
    """Check the configuration (BASE_URL, SECRET_KEY, mail, database, migrations); one line
    per check, exit status 1 on any problem. English with --lang en or LANG=en*."""
    from flask import current_app
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from leerstand import config_check
    from leerstand.config import is_development
    from leerstand.i18n import translate

    lang = lang or ("en" if os.environ.get("LANG", "").lower().startswith("en") else "de")
    results = config_check.run(current_app)
    with force_locale(lang):
        if is_development(current_app.config):
            click.echo(_("Modus: Entwicklung (LEERSTAND_ENV=development)"))
        else:
            click.echo(_("Modus: Produktion"))
        for result in results:
            label = _("OK") if result.ok else _("FEHLER")
            click.echo(f"{label:<7} {translate(result.message)}")
    if not all(result.ok for result in results):
        sys.exit(1)


@click.command("reminders")
def reminders() -> None:
    """Send the due reminder mails: owners who have not answered a use request (new link), and
    initiatives and staff before an interim use ends. Run daily, e.g. from cron; each reminder
    goes out once; each is committed right after its mail."""
    from datetime import UTC, datetime

    from flask import current_app

    from leerstand.dates import local_today
    from leerstand.services.interim_uses import notices as interim_notices
    from leerstand.services.use_requests import reminders

    config, commit = current_app.config, db.session.commit
    owners = reminders.remind_due(
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
    _proposals_digest()
    _succeeded("reminders", f"{owners} Eigentümer-Erinnerungen, {ending} zu Zwischennutzungen")


def _succeeded(name: str, summary: str) -> None:
    """Log the run (INFO) and note its success for /metrics."""
    from datetime import UTC, datetime

    from flask import current_app

    from leerstand.services.jobs import task_runs

    task_runs.succeeded(db.session, name, datetime.now(UTC))
    db.session.commit()
    current_app.logger.info("Lauf %s beendet: %s", name, summary)


def _proposals_digest() -> None:
    from datetime import UTC, datetime

    from leerstand.services.proposals import digest as moderation_digest

    count = moderation_digest.send_digests(db.session, datetime.now(UTC), db.session.commit)
    click.echo(f"Neue Ideen zur Prüfung gemeldet: {count}.")


# The command keeps its name: it is user-facing (cron entries and the README call it).
@click.command("ideas-digest")
def proposals_digest() -> None:
    """Mail the town's staff the proposals submitted since the last digest (also part of
    ``reminders``); nothing is mailed when there is nothing new."""
    _proposals_digest()


def init_app(app: Flask) -> None:
    from leerstand.seed import seed_demo

    app.cli.add_command(create_user)
    app.cli.add_command(seed_demo)
    app.cli.add_command(reminders)
    app.cli.add_command(user_update)
    app.cli.add_command(check)
    app.cli.add_command(proposals_digest)
    from leerstand.cli import towns

    towns.register(app)
    from leerstand.cli import imports as import_commands

    import_commands.register(app)
    from leerstand.cli import retention as retention_commands

    retention_commands.register(app)
    from leerstand.cli import jobs as job_commands

    job_commands.register(app)
