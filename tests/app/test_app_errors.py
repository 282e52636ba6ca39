"""Behaviour 10: one error shape for every error, and a 500 that leaks nothing but is logged."""

import logging
import traceback
from collections.abc import Iterator

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


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/items/", "GET, POST"),
        ("OPTIONS", "/items/", "GET, POST"),
        ("PUT", "/items/1", "DELETE, GET, PATCH"),
        ("POST", "/users/me", "GET, PATCH"),
        ("DELETE", "/auth/token", "POST"),
    ],
)
def test_a_405_lists_every_method_of_the_path(
    client: TestClient, method: str, path: str, allow: str
) -> None:
    """Starlette answers from the first route that matches the path: `Allow: GET` alone."""
    response = client.request(method, path)

    assert response.status_code == 405
    assert response.headers["Allow"] == allow
    assert_error_shape(response.json(), "method_not_allowed")


def test_every_undocumented_method_is_a_405_naming_the_documented_ones(
    client: TestClient,
) -> None:
    for path, operations in client.app.openapi()["paths"].items():
        concrete = path.replace("{item_id}", "1")
        for method in {"GET", "POST", "PUT", "PATCH", "DELETE"} - {m.upper() for m in operations}:
            response = client.request(method, concrete)
            assert response.status_code == 405, (method, path)
            assert response.headers["Allow"] == ", ".join(sorted(m.upper() for m in operations))


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


def test_an_unexpected_error_stops_inside_the_app(raising_app: FastAPI) -> None:
    """Nothing reaches the server: uvicorn would log it a second time and close the client's
    keep-alive connection. TestClient re-raises whatever reaches it, as a server would see it."""
    with TestClient(raising_app) as client:
        first = client.get("/_test/boom")
        after = client.get("/health")

    assert (first.status_code, after.status_code) == (500, 200)


def test_401_keeps_the_bearer_challenge(client: TestClient) -> None:
    response = client.get("/users/me", headers={"Authorization": "Bearer nope"})

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert_error_shape(response.json(), "not_authenticated")


# An INSERT INTO users that fails as a full disk would: an unexpected error, on a write whose
# values are an email and a password hash.
REFUSE_USER_INSERTS = {
    "sqlite": [
        "CREATE TRIGGER refuse_users BEFORE INSERT ON users "
        "BEGIN INSERT INTO no_such_table VALUES (NEW.email); END"
    ],
    "postgres": [
        "CREATE FUNCTION refuse_users() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'disk full' USING ERRCODE = 'disk_full'; END $$",
        "CREATE TRIGGER refuse_users BEFORE INSERT ON users "
        "FOR EACH ROW EXECUTE FUNCTION refuse_users()",
    ],
}
ALLOW_USER_INSERTS = {
    "sqlite": ["DROP TRIGGER refuse_users"],
    "postgres": ["DROP TRIGGER refuse_users ON users", "DROP FUNCTION refuse_users()"],
}


@pytest.fixture
def users_table_refuses_inserts(sql, backend: str) -> Iterator[None]:
    for statement in REFUSE_USER_INSERTS[backend]:
        sql(statement)
    try:
        yield
    finally:
        for statement in ALLOW_USER_INSERTS[backend]:
            sql(statement)


def test_a_failed_write_logs_neither_the_email_nor_the_hash(
    application: FastAPI,
    users_table_refuses_inserts: None,
    password: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with (
        caplog.at_level(logging.INFO),  # sqlalchemy.engine too: every statement, as echo=True
        TestClient(application, raise_server_exceptions=False) as client,
    ):
        response = client.post("/users/", json={"email": "ann@example.com", "password": password})

    assert response.status_code == 500
    [error] = [record for record in caplog.records if record.name.startswith("app")]
    logged = caplog.text + "".join(traceback.format_exception(error.exc_info[1]))
    assert "INSERT INTO users" in logged  # the statement is there to debug with ...
    assert "ann@example.com" not in logged  # ... but not its values
    assert "$2b$" not in logged
    assert password not in logged
