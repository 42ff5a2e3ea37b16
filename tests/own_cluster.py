"""A PostgreSQL cluster of a test's own, to stop and start while the app runs (outage tests).

Made with the newest installed PostgreSQL (like scripts/lib.sh), in a fresh folder, trust on
127.0.0.1 only, on a free port. initdb refuses to run as root: as root the cluster belongs to
the ``postgres`` user (as the project's cluster does)."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.smtp import free_port


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1])


def _as_owner(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class Cluster:
    def __init__(self) -> None:
        self.bin = _bindir()
        self.data = Path(tempfile.mkdtemp(prefix="leerstand-own-cluster-"))
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8")
        settings = (
            f"listen_addresses = '127.0.0.1'\nport = {self.port}\n"
            f"unix_socket_directories = '{self.data}'\nfsync = off\nmax_connections = 30\n"
        )
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(settings)

    def _run(self, name: str, *args: str) -> None:
        command = _as_owner([str(self.bin / name), *args])
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        log = str(self.data / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-w", "-t", "60", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> None:
        import psycopg

        plain = self.url("postgres").replace("+psycopg", "")
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # not running
            self.stop()
        shutil.rmtree(self.data, ignore_errors=True)
