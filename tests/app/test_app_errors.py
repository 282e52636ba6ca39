"""Behaviour 10: one error shape for every error, and a 500 that leaks nothing but is logged."""

import logging

import pytest
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError

from app.core.exceptions import (
    AppError,
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
)
from app.schemas.error import ErrorResponse


def assert_error_shape(body: dict, code: str) -> ErrorResponse:
    assert set(body) == {"code", "detail", "errors"}
    error = ErrorResponse.model_validate(body)
    assert error.code == code
    assert error.detail
    return error


@pytest.fixture
def raising_app(application: FastAPI) -> FastAPI:
    """The real application plus routes that raise what the real routes rarely do."""

    async def boom() -> None:
        raise RuntimeError("database password is hunter2")

    async def integrity() -> None:
        raise IntegrityError("INSERT INTO users ...", {"email": "x"}, Exception("UNIQUE failed"))

    async def forbidden() -> None:
        raise PermissionDeniedError()

    async def teapot() -> None:
        raise HTTPException(status_code=418, detail={"not": "a sentence"})

    application.add_api_route("/_test/boom", boom)
    application.add_api_route("/_test/integrity", integrity)
    application.add_api_route("/_test/forbidden", forbidden)
    application.add_api_route("/_test/teapot", teapot)
    return application


def test_domain_errors_carry_their_status() -> None:
    statuses = {
        NotFoundError: 404,
        ConflictError: 409,
        AuthenticationError: 401,
        PermissionDeniedError: 403,
    }
    for error_class, status_code in statuses.items():
        error = error_class("Custom message.")
        assert isinstance(error, AppError)
        assert (error.status_code, error.message) == (status_code, "Custom message.")
    assert AuthenticationError().headers == {"WWW-Authenticate": "Bearer"}


def test_domain_error(client: TestClient, signup) -> None:
    response = client.get("/items/12345", headers=signup("ann@example.com"))

    assert response.status_code == 404
    assert_error_shape(response.json(), "not_found")
    assert response.json()["detail"] == "Item not found."


def test_permission_denied(raising_app: FastAPI) -> None:
    with TestClient(raising_app) as client:
        response = client.get("/_test/forbidden")

    assert response.status_code == 403
    assert_error_shape(response.json(), "permission_denied")


@pytest.mark.parametrize(
    ("method", "path", "status_code", "code"),
    [
        ("GET", "/no-such-route", 404, "not_found"),
        ("DELETE", "/health", 405, "method_not_allowed"),
        ("GET", "/_test/teapot", 418, "i_m_a_teapot"),
    ],
)
def test_http_errors(
    raising_app: FastAPI, method: str, path: str, status_code: int, code: str
) -> None:
    with TestClient(raising_app) as client:
        response = client.request(method, path)

    assert response.status_code == status_code
    assert_error_shape(response.json(), code)


def test_validation_error_lists_fields_without_echoing_input(client: TestClient) -> None:
    secret = "hunter2!"
    response = client.post("/users/", json={"email": "not an email", "password": secret[:5]})

    assert response.status_code == 422
    error = assert_error_shape(response.json(), "validation_error")
    assert {tuple(field.loc) for field in error.errors} == {
        ("body", "email"),
        ("body", "password"),
    }
    for field in response.json()["errors"]:
        assert set(field) == {"loc", "msg", "type"}
    assert secret[:5] not in response.text


def test_malformed_json_is_a_422(client: TestClient) -> None:
    response = client.post(
        "/users/", content=b'{"email": ', headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 422
    assert_error_shape(response.json(), "validation_error")


def test_integrity_error_is_a_409_without_sql(raising_app: FastAPI) -> None:
    with TestClient(raising_app) as client:
        response = client.get("/_test/integrity")

    assert response.status_code == 409
    assert_error_shape(response.json(), "conflict")
    assert "INSERT" not in response.text
    assert "UNIQUE" not in response.text


def test_unexpected_error_is_a_generic_500_and_is_logged(
    raising_app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.ERROR, logger="app"),
        TestClient(raising_app, raise_server_exceptions=False) as client,
    ):
        response = client.get("/_test/boom")

    assert response.status_code == 500
    assert response.json() == {
        "code": "internal_error",
        "detail": "Internal server error.",
        "errors": [],
    }
    assert "hunter2" not in response.text
    [record] = [record for record in caplog.records if record.name.startswith("app")]
    assert record.levelno == logging.ERROR
    assert "/_test/boom" in record.getMessage()
    assert record.exc_info is not None
    assert "hunter2" in str(record.exc_info[1])


def test_401_keeps_the_bearer_challenge(client: TestClient) -> None:
    response = client.get("/users/me", headers={"Authorization": "Bearer nope"})

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert_error_shape(response.json(), "not_authenticated")
