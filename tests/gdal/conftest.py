"""GDAL's command-line tools (Debian's gdal-bin: ``ogrinfo``, ``ogr2ogr``) as real clients of
the OGC API against a live server on loopback. The server reads only committed data, so these
tests commit for real (no per-test transaction) and empty every volatile table afterwards."""

from __future__ import annotations

import pytest

from leerstand.db import db


@pytest.fixture(autouse=True)
def session(app):
    """Overrides tests/conftest.py's rolled-back session: the live server must see the rows."""
    with app.app_context():
        yield db.session
