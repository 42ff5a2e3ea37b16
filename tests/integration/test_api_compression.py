"""Compression of the public JSON (Flask-Compress): only when the client asks
(``Accept-Encoding``), in the encoding it prefers; the decompressed body is the very body sent
without compression, also when it is streamed; HTML pages are never compressed (BREACH); the
ETag of a compressed answer (``"…:gzip"``) brings a 304 when sent back."""

from __future__ import annotations

import gzip

import brotli
import pytest

from tests import factories as f

UNITS = "/api/units.geojson"


@pytest.fixture
def units(session, base):
    town = f.owner(session, base.municipality, is_municipality=True)
    for kind in ("shop", "office", "hall", "gastro"):
        building = f.building(session, base.municipality)
        f.ownership(session, building, town)
        f.unit(session, building, kind=kind, publishable=True)
    session.commit()


def _plain(client, url: str = UNITS) -> bytes:
    response = client.get(url)
    assert "Content-Encoding" not in response.headers
    return response.get_data()


@pytest.mark.parametrize(
    "accept",
    [None, "identity", "gzip;q=0", "GZIP; Q=0.0", "compress", "gzip;q=0, br;q=0, zstd;q=0"],
)
def test_no_compression_unless_asked(client, units, accept):
    headers = {"Accept-Encoding": accept} if accept else {}
    response = client.get(UNITS, headers=headers)
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert response.get_json()["numberReturned"] == 4


@pytest.mark.parametrize(
    ("accept", "encoding", "decompress"),
    [
        ("gzip", "gzip", gzip.decompress),
        ("br", "br", brotli.decompress),
        ("gzip, br", "br", brotli.decompress),  # equal preference: the server's order
        ("gzip;q=1.0, br;q=0.5", "gzip", gzip.decompress),  # the client's preference wins
        ("gzip;q=0.001", "gzip", gzip.decompress),  # a low preference is still a yes
        ("br;q=0, gzip", "gzip", gzip.decompress),  # a refused one is skipped
    ],
)
def test_compressed_as_asked_and_identical_decompressed(
    client, units, accept, encoding, decompress
):
    plain = _plain(client)
    response = client.get(UNITS, headers={"Accept-Encoding": accept})
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"] and "Cookie" in response.headers["Vary"]
    body = response.get_data()
    assert len(body) < len(plain)
    assert decompress(body) == plain


def test_streamed_pages_are_compressed_as_they_go(throwaway_app, client, units):
    streaming = throwaway_app(API_BUFFER_FEATURES=1).test_client()
    plain = streaming.get(f"{UNITS}?limit=4").get_data()
    response = streaming.get(f"{UNITS}?limit=4", headers={"Accept-Encoding": "gzip"})
    body = response.get_data()
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Content-Length" not in response.headers  # chunked: not known in advance
    assert gzip.decompress(body) == plain == _plain(client, f"{UNITS}?limit=4")


def test_compressed_etag_brings_a_304(client, units):
    response = client.get(UNITS, headers={"Accept-Encoding": "gzip"})
    tag = response.headers["ETag"]
    assert tag.endswith(':gzip"')
    again = client.get(UNITS, headers={"Accept-Encoding": "gzip", "If-None-Match": tag})
    assert again.status_code == 304 and again.headers["ETag"] == tag
    plain_tag = client.get(UNITS).headers["ETag"]
    assert tag == plain_tag.removesuffix('"') + ':gzip"'


def test_area_layers_and_ogc_json_are_compressed_too(client, units):
    for url in ("/api/boundary.geojson", "/ogc/collections?f=json"):
        response = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert response.headers["Content-Encoding"] == "gzip", url
        assert gzip.decompress(response.get_data()) == _plain(client, url)


def test_html_pages_are_not_compressed(client, units):
    response = client.get("/", headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert b"<html" in response.get_data()
