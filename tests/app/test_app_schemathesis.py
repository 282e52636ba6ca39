"""Property-based: generated requests, valid and invalid, pass every check Schemathesis has:
no 5xx, every status, header and body as documented, valid data accepted and invalid data
refused, 405s that name the allowed methods, auth that is never ignored."""

from collections.abc import Callable

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.python.asgi import shutdown_lifespans

EXAMPLES_PER_OPERATION = 25


@pytest.fixture
def bearer(application: FastAPI, password: str) -> dict[str, str]:
    # A client of its own that closes (and disposes the engine) before Schemathesis takes over:
    # asyncpg connections belong to the event loop that opened them.
    with TestClient(application) as client:
        credentials = {"email": "fuzz@example.com", "password": password}
        client.post("/users/", json=credentials)
        form = {"username": credentials["email"], "password": password}
        token = client.post("/auth/token", data=form).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        client.post("/items/", headers=headers, json={"title": "an item to find"})
    return headers


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_generated_requests(
    application: FastAPI,
    bearer: dict[str, str],
    mode: GenerationMode,
    record_property: Callable[[str, object], None],
) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", application)
    load_all_checks()
    every_check = CHECKS.get_all()
    cases = 0
    try:
        for result in schema.get_all_operations():
            operation = result.ok()
            has_inputs = any(operation.iter_parameters()) or any(operation.body)
            if mode is GenerationMode.NEGATIVE and not has_inputs:
                continue  # nothing to make invalid

            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                derandomize=True,
                database=None,
                deadline=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case: schemathesis.Case) -> None:
                nonlocal cases
                cases += 1
                case.call_and_validate(headers=bearer, checks=every_check)

            check()
    finally:
        # Schemathesis keeps the app's lifespan running on its own loop; ending it disposes
        # the engine.
        shutdown_lifespans()
    record_property("schemathesis_cases", cases)
    assert cases >= EXAMPLES_PER_OPERATION
