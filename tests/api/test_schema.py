"""The OpenAPI schema: served at a stable URL, valid, and what the endpoints really answer."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

SCHEMA_URL = "/api/v1/openapi.json"


@pytest.fixture
def spec() -> dict[str, Any]:
    response = Client().get(SCHEMA_URL)  # public: no customer's data in it
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi_3(spec):
    assert spec["openapi"].startswith("3.")
    validate(spec)


def test_the_schema_lists_every_endpoint_with_the_bearer_token(spec):
    assert set(spec["paths"]) == {
        "/api/v1/customers",
        "/api/v1/supply-points",
        "/api/v1/supply-points/{supply_point_id}",
        "/api/v1/meters",
        "/api/v1/meters/{meter_id}/state",
        "/api/v1/readings",
        "/api/v1/daily-consumption",
        "/api/v1/invoices",
        "/api/v1/invoices/{invoice_id}",
        "/api/v1/advances",
        "/api/v1/payments",
    }
    schemes = spec["components"]["securitySchemes"]
    assert [scheme["scheme"] for scheme in schemes.values()] == ["bearer"]
    for path, operations in spec["paths"].items():
        assert operations["get"]["security"], path


def _validator(spec: dict[str, Any], path: str, status: int) -> Draft202012Validator:
    content = spec["paths"][path]["get"]["responses"][str(status)]["content"]
    schema = content["application/json"]["schema"]
    # $refs point at "#/components/…": keep the components next to the response's schema.
    return Draft202012Validator({**schema, "components": spec["components"]})


def test_every_response_matches_the_schema(spec, world, customer):
    cache.clear()
    client = token_client(customer)
    ids = {
        "supply_point_id": world.supply_point.pk,
        "meter_id": world.meter.pk,
        "invoice_id": world.invoice.pk,
    }
    for path in spec["paths"]:
        url = path.format(**ids)
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.json()
        if "items" in body:
            assert body["items"], f"{url}: nothing to check"
        errors = list(_validator(spec, path, 200).iter_errors(body))
        assert not errors, f"{url}: {errors[0].message}"
    missing = client.get("/api/v1/invoices/999999")
    assert missing.status_code == 404
    assert not list(
        _validator(spec, "/api/v1/invoices/{invoice_id}", 404).iter_errors(missing.json())
    )


def test_refusals_match_the_schema(spec, world, customer, settings):
    cache.clear()
    settings.PRAMEN_API_RATE_LIMIT = "1/m"
    client = token_client(customer)
    assert client.get("/api/v1/meters").status_code == 200
    too_many = client.get("/api/v1/meters")
    unauthorized = Client().get("/api/v1/meters")
    for response, status in ((too_many, 429), (unauthorized, 401)):
        assert response.status_code == status
        validator = _validator(spec, "/api/v1/meters", status)
        assert not list(validator.iter_errors(response.json())), response.json()
