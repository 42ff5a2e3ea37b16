"""The shipped gunicorn configuration (leerstand/gunicorn_conf.py) as the README runs it: a real
gunicorn, its worker count from WEB_CONCURRENCY, its access log with response time and the
request id (the proxy's or the app's), the owner's secret masked."""

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.conftest import TEST_DATABASE_URL
from tests.smtp import free_port


def _get(url: str, headers: dict) -> int:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture
def served(tmp_path):
    port = free_port()
    (tmp_path / "metrics").mkdir()
    env = dict(
        os.environ,
        DATABASE_URL=TEST_DATABASE_URL,
        LEERSTAND_ENV="development",
        LEERSTAND_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:leerstand.gunicorn_conf",
         "leerstand:create_app()"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)
            break
        except OSError:
            time.sleep(0.1)
    yield base, process
    process.terminate()
    process.wait(15)


def test_access_log_has_time_request_id_and_no_secret(served):
    base, process = served
    secret = "Geheim_Link-9f8e7d6c5b4a39281706"
    assert _get(f"{base}/impressum", {"X-Request-ID": "proxy-abc-123"}) == 200
    assert _get(f"{base}/antwort/{secret}", {}) == 404
    workers = subprocess.run(
        ["pgrep", "-P", str(process.pid)], capture_output=True, text=True
    ).stdout.split()
    process.terminate()
    log = process.communicate(timeout=15)[0]
    assert len(workers) == 2  # WEB_CONCURRENCY
    line = next(x for x in log.splitlines() if "/impressum" in x)
    assert re.search(r'"GET /impressum HTTP/1\.1" 200 \d+ \d+ms id=proxy-abc-123 ', line), line
    masked = next(x for x in log.splitlines() if "/antwort/" in x)
    assert re.search(r'"GET /antwort/\*\*\* HTTP/1\.1" 404 \d+ \d+ms id=[0-9a-f]{32} ', masked)
    assert secret not in log


def test_metrics_add_up_the_workers(served):
    """Each scrape reaches one of the two workers; it still counts the requests of both."""
    base, _process = served
    for _ in range(6):
        assert _get(f"{base}/impressum", {}) == 200
    labels = 'endpoint="public.imprint",method="GET",status="200"'
    for _ in range(3):
        with urllib.request.urlopen(f"{base}/metrics", timeout=5) as response:
            page = response.read().decode()
        assert f"leerstand_requests_total{{{labels}}} 6.0" in page
