"""Fixtures for every integration test module (each one only runs where a test asks for it)."""

from __future__ import annotations

import pytest

from tests.conftest import login
from tests.integration.jobs_world import live  # noqa: F401  (a fixture for the job tests)


@pytest.fixture
def mail_staff(mail_client, base):
    """The staff user logged in on the app that sends mail over the test SMTP server."""
    login(mail_client, base.staff.email)
    return mail_client
