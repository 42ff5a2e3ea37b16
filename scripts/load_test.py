#!/usr/bin/env python3
"""Load test: public map traffic and staff work against gunicorn as the README runs it.

Uses its own database ``leerstand_bench_load`` (the Ballenstedt demo, seeded when empty) and
starts gunicorn with the shipped settings (``-c python:leerstand.gunicorn_conf``) on a free
loopback port; only 127.0.0.1 is ever loaded. Locust (as a library, headless) runs ``--users``
simulated users for ``--seconds``: nine in ten are visitors of the public map (the map page,
units of a view, ideas, a unit page, the report), one in ten is staff (signed in: start page,
register, a unit, the register map's data, statistics). It prints requests/s, p50/p95/p99 and
errors per kind of request and in total, and the machine's load, so that releases can be
compared (run it on an otherwise idle machine). Usage:
``scripts/load [--users 20] [--seconds 30] [--workers N]``"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
import urllib.request

import gevent.monkey  # locust needs it before anything opens a socket

gevent.monkey.patch_all()

import benchdb  # noqa: E402 (puts the repository on sys.path)
from locust import HttpUser, between, task  # noqa: E402
from locust.env import Environment  # noqa: E402

URL = benchdb.database_url("leerstand_bench_load")
EMAIL, PASSWORD = "demo@ballenstedt.example", "leerstand-demo"  # the demo's staff account
VIEW = "bbox=11.20,51.70,11.26,51.73"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Visitor(HttpUser):
    weight = 9
    wait_time = between(0.5, 2)

    @task(4)
    def map_page(self):
        self.client.get("/", name="/ (map)")

    @task(6)
    def units_of_view(self):
        self.client.get(f"/api/units.geojson?{VIEW}&limit=500", name="/api/units.geojson")

    @task(2)
    def ideas(self):
        self.client.get("/api/proposals.geojson", name="/api/proposals.geojson")

    @task(2)
    def unit_page(self):
        self.client.get(f"/leerstand/{self.environment.unit_id}", name="/leerstand/<id>")

    @task(1)
    def report(self):
        self.client.get("/bericht", name="/bericht")


class Staff(HttpUser):
    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        page = self.client.get("/login", name="/login").text
        token = CSRF.search(page).group(1)
        form = {"email": EMAIL, "password": PASSWORD, "csrf_token": token}
        with self.client.post(
            "/login", data=form, name="/login (POST)", allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 302:  # else every staff page would be the login page
                answer.failure(f"login refused ({answer.status_code})")

    @task(3)
    def home(self):
        self.client.get("/verwaltung/", name="/verwaltung/")

    @task(3)
    def register(self):
        self.client.get("/verwaltung/register", name="/verwaltung/register")

    @task(2)
    def unit(self):
        unit = self.environment.unit_id
        self.client.get(f"/verwaltung/einheiten/{unit}", name="/verwaltung/einheiten/<id>")

    @task(2)
    def register_map(self):
        self.client.get("/verwaltung/register.geojson", name="/verwaltung/register.geojson")

    @task(1)
    def statistics(self):
        self.client.get("/verwaltung/statistik", name="/verwaltung/statistik")


def prepare() -> int:
    """The database with the demo; the id of a public unit for the unit pages."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from leerstand import create_app
    from leerstand.db import db
    from leerstand.models import Unit

    benchdb.create_database(URL)
    app = create_app({"DATABASE_URL": URL, "LEERSTAND_ENV": "development", "TILE_URL": ""})
    with app.app_context():
        upgrade()
    result = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        return db.session.scalar(select(Unit.id).where(Unit.publishable).order_by(Unit.id))


def start_gunicorn(port: int, workers: int | None) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": URL, "LEERSTAND_ENV": "development",
           "LEERSTAND_ENV_FILE": os.devnull, "BASE_URL": f"http://127.0.0.1:{port}",
           "TILE_URL": "", "LEERSTAND_BIND": f"127.0.0.1:{port}"}  # fmt: skip
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    command = [str(benchdb.ROOT / ".venv/bin/gunicorn"), "-c", "python:leerstand.gunicorn_conf",
               "--access-logfile", os.devnull, "leerstand:create_app()"]  # fmt: skip
    process = subprocess.Popen(command, cwd=benchdb.ROOT, env=env, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def report(stats, seconds: float) -> None:
    head = (
        f"{'request':<36} {'count':>7} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'errors':>6}"
    )
    benchdb.say(head + "   (ms)")
    rows = sorted(stats.entries.values(), key=lambda e: e.name) + [stats.total]
    for entry in rows:
        name = "TOTAL" if entry is stats.total else entry.name
        benchdb.say(
            f"{name[:36]:<36} {entry.num_requests:>7} {entry.num_requests / seconds:>7.1f} "
            f"{entry.get_response_time_percentile(0.5):>6.0f} "
            f"{entry.get_response_time_percentile(0.95):>6.0f} "
            f"{entry.get_response_time_percentile(0.99):>6.0f} {entry.num_failures:>6}"
        )
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    benchdb.say(f"Load (1/5/15 min) {load} on {os.cpu_count()} cores")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    # at most 200: a tenth are staff, and logins are limited to 20 a minute per address
    parser.add_argument("--users", type=int, default=20, help="simulated users (1–200)")
    parser.add_argument("--seconds", type=int, default=30, help="duration (5–3600)")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers")
    args = parser.parse_args()
    if not (1 <= args.users <= 200 and 5 <= args.seconds <= 3600):
        parser.error("--users must be 1–200 and --seconds 5–3600 (a bounded test)")
    unit_id = prepare()
    port = benchdb.free_port()
    server = start_gunicorn(port, args.workers)
    try:
        env = Environment(user_classes=[Visitor, Staff], host=f"http://127.0.0.1:{port}")
        env.unit_id = unit_id
        runner = env.create_local_runner()
        runner.start(args.users, spawn_rate=max(1, args.users // 5))
        started = time.monotonic()
        time.sleep(args.seconds)
        runner.quit()
        report(env.stats, time.monotonic() - started)
        return 1 if env.stats.total.num_failures else 0
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    sys.exit(main())
