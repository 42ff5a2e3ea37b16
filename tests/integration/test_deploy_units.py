"""The systemd units in scripts/deploy/ call what exists: flask commands the app has, scripts of
this repository, the shipped gunicorn settings; every timer has its service; and systemd itself
finds nothing wrong with them but the install paths (/srv/leerstand) missing here."""

import configparser
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
UNITS = REPO / "scripts" / "deploy"
INSTALL = "/srv/leerstand"


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(path)
    return parser


def services() -> list[Path]:
    return sorted(UNITS.glob("*.service"))


def test_the_units_are_there():
    assert [p.name for p in sorted(UNITS.iterdir())] == [
        "leerstand-backup.service", "leerstand-backup.timer",
        "leerstand-reminders.service", "leerstand-reminders.timer",
        "leerstand-retention.service", "leerstand-retention.timer",
        "leerstand-worker.service", "leerstand.service",
    ]  # fmt: skip


@pytest.mark.parametrize("path", services(), ids=lambda p: p.name)
def test_every_service_calls_what_exists(app, path):
    command = unit(path)["Service"]["ExecStart"].split()
    program = command[0].replace(INSTALL, str(REPO))
    if program.endswith("/flask"):
        assert command[1:3] == ["--app", "leerstand"]
        assert command[3] in app.cli.list_commands(app.app_context())  # a command of the app
    elif program.endswith("/gunicorn"):
        assert command[1:] == ["-c", "python:leerstand.gunicorn_conf", "leerstand:create_app()"]
        from leerstand import gunicorn_conf

        assert gunicorn_conf.timeout == 30 and gunicorn_conf.workers >= 1
    else:
        assert os.access(program, os.X_OK), program  # a script of this repository
    assert unit(path)["Service"]["EnvironmentFile"] == "/etc/leerstand/leerstand.env"


@pytest.mark.parametrize("path", sorted(UNITS.glob("*.timer")), ids=lambda p: p.name)
def test_every_timer_starts_its_service(path):
    assert path.with_suffix(".service").exists()
    assert unit(path)["Timer"]["OnCalendar"]
    assert unit(path)["Timer"]["Persistent"] == "true"  # a missed night runs at the next boot


def test_systemd_finds_nothing_wrong_but_the_install_paths():
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze (package systemd) is installed by scripts/lib.sh"
    paths = [str(p) for p in sorted(UNITS.iterdir())]
    done = subprocess.run([analyze, "verify", "--man=no", *paths], capture_output=True, text=True)
    complaints = [
        line for line in done.stderr.splitlines()
        if line.strip() and INSTALL not in line and "/var/backups/leerstand" not in line
    ]  # fmt: skip
    assert complaints == []
