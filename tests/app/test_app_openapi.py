"""Behaviour 7 in the documentation: the OpenAPI schema never describes a password in a response."""

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI

from app.core.config import Settings
from app.main import create_app


@pytest.fixture
def openapi() -> dict[str, Any]:
    # No database needed: building the schema never connects.
    settings = Settings(_env_file=None, ENVIRONMENT="development")  # type: ignore[call-arg]
    application: FastAPI = create_app(settings)
    return application.openapi()


def _refs(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value.rsplit("/", 1)[-1]
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _response_schemas(openapi: dict[str, Any]) -> set[str]:
    schemas = openapi["components"]["schemas"]
    pending = [
        name
        for path in openapi["paths"].values()
        for operation in path.values()
        for response in operation["responses"].values()
        for name in _refs(response)
    ]
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name not in seen:
            seen.add(name)
            pending.extend(_refs(schemas[name]))
    return seen


def test_no_hashed_password_anywhere(openapi: dict[str, Any]) -> None:
    assert "hashed_password" not in json.dumps(openapi)


def test_no_response_schema_has_a_password(openapi: dict[str, Any]) -> None:
    schemas = openapi["components"]["schemas"]
    response_schemas = _response_schemas(openapi)

    assert {
        "UserResponse",
        "ItemPage",
        "ItemResponse",
        "Token",
        "ErrorResponse",
    } <= response_schemas
    for name in response_schemas:
        properties = schemas[name].get("properties", {})
        assert not {"password", "hashed_password"} & set(properties), name


def test_every_operation_declares_its_success_and_error_shapes(openapi: dict[str, Any]) -> None:
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            success = [code for code in responses if code.startswith("2")]
            assert len(success) == 1, (method, path)
            if success != ["204"]:
                assert "application/json" in responses[success[0]]["content"], (method, path)
            for code, response in responses.items():
                if code.startswith("4"):
                    assert set(_refs(response)) == {"ErrorResponse"}, (method, path, code)


def test_token_endpoint_is_the_oauth2_password_flow(openapi: dict[str, Any]) -> None:
    scheme = openapi["components"]["securitySchemes"]["OAuth2PasswordBearer"]
    token = openapi["paths"]["/auth/token"]["post"]

    assert scheme["flows"]["password"]["tokenUrl"] == "/auth/token"
    assert list(token["requestBody"]["content"]) == ["application/x-www-form-urlencoded"]
    for path in ("/users/me", "/items/", "/items/{item_id}"):
        for operation in openapi["paths"][path].values():
            assert operation["security"] == [{"OAuth2PasswordBearer": []}], path


def _schema(openapi: dict[str, Any], name: str) -> dict[str, Any]:
    return openapi["components"]["schemas"][name]


@pytest.mark.parametrize(
    ("model", "field"),
    [("ItemUpdate", "title"), ("UserUpdate", "email"), ("UserUpdate", "password")],
)
def test_optional_fields_that_refuse_null_are_documented_as_never_null(
    openapi: dict[str, Any], model: str, field: str
) -> None:
    schema = _schema(openapi, model)["properties"][field]

    assert schema["type"] == "string"
    assert "anyOf" not in schema
    assert "default" not in schema
    assert field not in _schema(openapi, model).get("required", [])


def test_the_title_is_documented_with_its_real_constraints(openapi: dict[str, Any]) -> None:
    for model in ("ItemCreate", "ItemUpdate"):
        title = _schema(openapi, model)["properties"]["title"]
        assert (title["minLength"], title["maxLength"]) == (1, 200), model
        assert re.fullmatch(title["pattern"], "a\x00b") is None


def test_text_that_cannot_contain_nul_says_so(openapi: dict[str, Any]) -> None:
    description = _schema(openapi, "ItemCreate")["properties"]["description"]["anyOf"][0]
    password = _schema(openapi, "UserCreate")["properties"]["password"]

    for schema in (description, password):
        assert re.fullmatch(schema["pattern"], "fine text")
        assert re.fullmatch(schema["pattern"], "nul\x00") is None


def test_every_operation_with_a_body_documents_what_the_body_can_cause(
    openapi: dict[str, Any],
) -> None:
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            if "requestBody" in operation:
                assert {"400", "413", "422"} <= set(operation["responses"]), (method, path)


def test_refusals_under_load_are_documented(openapi: dict[str, Any]) -> None:
    paths = openapi["paths"]

    assert {"401", "429", "503"} <= set(paths["/auth/token"]["post"]["responses"])
    assert "503" in paths["/users/"]["post"]["responses"]
    assert "503" in paths["/users/me"]["patch"]["responses"]
