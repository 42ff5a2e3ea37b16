"""``flask worker``: runs the background jobs (``services.jobs``) until stopped (SIGTERM/SIGINT
end it gracefully after the running job); run it beside the app, e.g. as a systemd service.
``flask rematch [--background]``: recompute every town's matches now, or queue one job per
town for the worker."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import click
import procrastinate
from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.engine import make_url

from leerstand.db import db
from leerstand.models import Municipality
from leerstand.services.jobs import runtime, tasks
from leerstand.services.jobs.queue import QUEUES, queue


def configure_runtime(app: Flask, max_attempts: int, retry_wait: int) -> None:
    """Each job gets its own app context and session (committed at its end)."""

    @contextmanager
    def scope() -> Iterator:
        with app.app_context():
            try:
                yield db.session
                db.session.commit()
            except BaseException:
                db.session.rollback()
                raise
            finally:
                db.session.remove()

    with app.app_context():
        engine = db.engine
    runtime.configure(scope, engine)
    policy = runtime.retry_policy(max_attempts, retry_wait)
    for task in tasks.OUR_TASKS:
        task.retry_strategy = policy


@asynccontextmanager
async def opened(app: Flask) -> AsyncIterator[procrastinate.App]:
    """The queue with a connection pool to the app's database."""
    url = make_url(app.config["DATABASE_URL"]).set(drivername="postgresql")
    url = url.render_as_string(hide_password=False)  # as libpq reads it
    with queue.replace_connector(procrastinate.PsycopgConnector(conninfo=url)):
        async with queue.open_async():
            yield queue


async def run_worker(app: Flask, **options) -> None:
    """Give the jobs of dead workers back, then work the queue (``wait=False``: until empty)."""
    async with opened(app):
        await tasks.retry_stalled(queue)
        await queue.run_worker_async(queues=QUEUES, **options)


@click.command("worker")
@click.option("--concurrency", default=1, show_default=True, help="jobs at once")
@click.option("--once", is_flag=True, help="run the waiting jobs, then stop")
@click.option("--max-attempts", default=runtime.MAX_ATTEMPTS, show_default=True)
@click.option(
    "--retry-wait", default=runtime.RETRY_WAIT, show_default=True,
    help="seconds before a retry: this ** n before the n-th",
)  # fmt: skip
def worker(concurrency: int, once: bool, max_attempts: int, retry_wait: int) -> None:
    """Hintergrundaufgaben ausführen (Treffer berechnen, Importe prüfen und übernehmen)."""
    app = current_app._get_current_object()
    # one line per job started, ended, retried or failed (procrastinate's log) on stderr
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    configure_runtime(app, max_attempts, retry_wait)
    click.echo(f"Worker läuft (Warteschlangen {', '.join(QUEUES)}, {concurrency} zugleich).")
    run_async(lambda: run_worker(app, concurrency=concurrency, wait=not once))


def run_async(make) -> None:
    """``asyncio.run(make())``; in a thread of its own when this thread runs an event loop
    already (a host program's, e.g. a browser driver's in the test suite)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(make())
        return
    failed: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(make())
        except BaseException as exc:  # handed to the caller's thread
            failed.append(exc)

    thread = threading.Thread(target=target, name="leerstand-async")
    thread.start()
    thread.join()
    if failed:
        raise failed[0]


@click.command("rematch")
@click.option("--background", is_flag=True, help="als Hintergrundaufgabe je Kommune einreihen")
def rematch(background: bool) -> None:
    """Recompute all matches between published proposals and vacant units (after an import)."""
    from leerstand.services.jobs.queue import defer_rematch_town
    from leerstand.services.matching import service as matching

    total = 0
    for municipality in db.session.scalars(select(Municipality).order_by(Municipality.id)):
        if background:
            job = defer_rematch_town(db.session, municipality)
            click.echo(f"{municipality.name}: " + (f"Aufgabe {job}" if job else "wartet schon"))
        else:
            total += matching.rematch_all(db.session, municipality.id)
    db.session.commit()
    if not background:
        click.echo(f"Treffer neu berechnet: {total}.")


def register(app: Flask) -> None:
    app.cli.add_command(worker)
    app.cli.add_command(rematch)
