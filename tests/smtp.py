"""A real SMTP server (aiosmtpd) on loopback that collects every message it receives.

``smtp_server`` (per test, messages emptied) runs on one server per session; ``mail_app`` is
an app that sends through it. Registered in tests/conftest.py via ``pytest_plugins``."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller

LINK_RE = re.compile(r"https?://\S+")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Collector:
    """aiosmtpd handler: keeps parsed messages (``email.message.EmailMessage``)."""

    def __init__(self) -> None:
        self.messages: list = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 OK"


class SMTPServer:
    def __init__(self, controller: Controller, collector: Collector) -> None:
        self.controller = controller
        self.collector = collector
        self.host = controller.hostname
        self.port = controller.port

    @property
    def messages(self) -> list:
        with self.collector.lock:
            return list(self.collector.messages)

    def clear(self) -> None:
        with self.collector.lock:
            self.collector.messages.clear()

    def wait_for(self, count: int = 1, timeout: float = 10.0) -> list:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.messages) >= count, f"expected {count} mail(s), got {len(self.messages)}"
        return self.messages


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def links(message) -> list[str]:
    return LINK_RE.findall(body(message))


@pytest.fixture(scope="session")
def _smtp_session():
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield SMTPServer(controller, collector)
    controller.stop()


@pytest.fixture
def smtp_server(_smtp_session):
    _smtp_session.clear()
    yield _smtp_session
    _smtp_session.clear()


@pytest.fixture(scope="session")
def _mail_app(app, _smtp_session):
    from tests.conftest import make_app

    return make_app(MAIL_SERVER=_smtp_session.host, MAIL_PORT=_smtp_session.port)


@pytest.fixture
def mail_app(_mail_app, smtp_server):
    return _mail_app


@pytest.fixture
def mail_client(mail_app):
    return mail_app.test_client()
