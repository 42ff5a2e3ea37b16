"""The OpenAPI document: valid OpenAPI 3.0 (the meta-schema schemathesis ships), every JSON
endpoint in it, parameters from the parsers' own constants; and kept true by a property-based
test (schemathesis through WSGI): every GET operation with generated parameters answers no 5xx,
only documented status codes and content types, and bodies that match the schemas."""

from __future__ import annotations

import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.specs.openapi.definitions import OPENAPI_30_VALIDATOR

from leerstand import vocab
from leerstand.services.accounts import api_tokens
from leerstand.services.public.params import PROPOSAL_PARAMS, UNIT_PARAMS
from tests.conftest import login
from tests.integration import public_world

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 20


@pytest.fixture
def document(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_document_is_valid_openapi_30(document):
    errors = [error.message for error in OPENAPI_30_VALIDATOR.iter_errors(document)]
    assert errors == []
    assert document["openapi"] == "3.0.3"
    schemathesis.openapi.from_dict(document).validate()


def test_every_json_endpoint_is_documented(document):
    for path in (
        "/api/units.geojson", "/api/proposals.geojson", "/api/boundary.geojson",
        "/api/districts.geojson", "/api/focus-areas.geojson", "/api/places",
        "/api/buildings.geojson", "/healthz", "/verwaltung/import/{token}/status",
    ):  # fmt: skip
        assert "get" in document["paths"][path], path


def test_ogc_paths_are_merged_with_their_security(document):
    paths = document["paths"]
    assert any(path.startswith("/ogc/collections") for path in paths)
    staff = [path for path in paths if path.startswith("/ogc/verwaltung/")]
    assert staff
    schemes = document["components"]["securitySchemes"]
    for path in staff:
        for requirement in paths[path]["get"]["security"]:
            for name in requirement:
                assert schemes[name]["type"] == "http", (path, name)  # the token
    assert schemes["session"] == {
        "type": "apiKey",
        "in": "cookie",
        "name": "session",
        "description": "Anmeldung im Browser (Verwaltung/Initiativen)",
    }
    places = paths["/api/places"]["get"]
    assert places["security"] == [{"session": []}]


def test_parameters_come_from_the_parsers(document):
    def params(path):
        return {p["name"]: p for p in document["paths"][path]["get"]["parameters"]}

    units, proposals = params("/api/units.geojson"), params("/api/proposals.geojson")
    assert set(units) == UNIT_PARAMS and set(proposals) == PROPOSAL_PARAMS
    assert units["kind"]["schema"]["enum"] == list(vocab.UNIT_KINDS)
    assert proposals["use_kind"]["schema"]["enum"] == list(vocab.USE_KINDS)
    assert units["limit"]["schema"] == {
        "type": "integer", "minimum": 1, "maximum": 10000, "default": 1000,
    }  # fmt: skip
    assert units["bbox"]["style"] == "form" and units["bbox"]["explode"] is False


def test_unit_properties_schema_is_the_public_allowlist(document):
    properties = document["components"]["schemas"]["UnitProperties"]
    assert properties["additionalProperties"] is False
    assert "internal_notes" not in properties["properties"]
    assert "rent_eur_month" not in properties["properties"]
    assert properties["properties"]["kind"]["enum"] == list(vocab.UNIT_KINDS)


def test_openapi_json_is_public_with_cors(client):
    response = client.get("/api/openapi.json", headers={"Origin": "https://x.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.fixture
def credentials(app, client, session, base):
    """A committed public world, a staff login cookie and a staff API token."""
    public_world.build(session, base)
    _, raw = api_tokens.create(session, base.staff, "schemathesis", 1, _now())
    session.commit()
    login(client, "staff@test.example")
    name = app.config.get("SESSION_COOKIE_NAME") or "session"
    return {
        # schemathesis' WSGI transport does not decompress: ask for the body as it is
        "headers": {"Authorization": f"Bearer {raw}", "Accept-Encoding": "identity"},
        "cookies": {name: client.get_cookie(name).value},
    }


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)


def test_every_get_operation_keeps_to_the_document(app, credentials):
    """Property-based: ~20 generated requests per GET operation, no 5xx, documented answers."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    started = time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]
    gets = [op for op in operations if op.method.upper() == "GET"]
    assert len(gets) >= 9
    seen: set[tuple[str, int]] = set()
    for operation in gets:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case):
            response = case.call_and_validate(**credentials, checks=CHECKS)
            seen.add((case.operation.path, response.status_code))

        check()
    assert time.monotonic() - started < 60
    for path in ("/api/places", "/api/buildings.geojson", "/api/units.geojson"):
        assert (path, 200) in seen, path  # the credentials worked and data came back
