"""Notebook 07 · Errors, exercise `validation_error_handler`: its check and hints."""

from __future__ import annotations

import json
from typing import Any

from support.catalog.nb07._shared import (
    PASSWORD,
    TWO_PROBLEMS,
    Signup,
    _call_handler,
    _error_body,
    _request,
    _require_handler,
)
from support.exercises import CheckContext, Incorrect

HINTS = [
    "Do not send `exc.errors()` as it is: build a new, smaller dict for each of its "
    "entries, with what the client needs to fix the field and nothing it sent.",
    "`exc.errors()` (a method: mind the parentheses) is a list of dicts with the keys "
    "`loc`, `msg`, `type`, `input` and sometimes `ctx`. Keep the first three, with "
    '`list(e["loc"])` for `loc`, in a list comprehension; answer with '
    "`JSONResponse(body, status_code=422)`.",
    "The shape of the body of the function, with each `...` to fill:\n"
    '`errors = [{"loc": ..., "msg": ..., "type": ...} for e in exc.errors()]`\n'
    '`body = {"code": "validation_error", "detail": ..., "errors": errors}`\n'
    "`return JSONResponse(body, status_code=422)`",
]


def _signup_app(handler: Any) -> Any:
    from fastapi import FastAPI
    from fastapi.exceptions import RequestValidationError

    app = FastAPI()
    app.add_exception_handler(RequestValidationError, handler)

    @app.post("/users/")
    async def create_user(user_in: Signup) -> dict[str, str]:
        return {"email": user_in.email}

    return app


def _check_errors(errors: Any, expected: list[dict[str, Any]]) -> None:
    wanted = {"loc", "msg", "type"}
    if not isinstance(errors, list) or not all(isinstance(e, dict) for e in errors):
        raise Incorrect(
            f'"errors" is {errors!r}; it should hold one dict per problem with exactly `loc`, '
            "`msg` and `type`: the client needs `loc` to know which field to fix.",
            code="errors-not-dicts",
        )
    for error in errors:
        extra, missing = sorted(set(error) - wanted), sorted(wanted - set(error))
        if extra:
            raise Incorrect(
                f"An error has the extra key(s) {extra}: keep only `loc`, `msg` and `type`, "
                "by building a new dict for each entry rather than copying it.",
                code="extra-keys",
            )
        if missing:
            raise Incorrect(
                f"An error lacks the key(s) {missing}: each one needs `loc` (which field), "
                "`msg` (a sentence) and `type` (a stable name).",
                code="missing-keys",
            )
    if len(errors) != len(expected):
        raise Incorrect(
            f'"errors" has {len(errors)} {"entry" if len(errors) == 1 else "entries"}, but the '
            f"request had {len(expected)} problems (a missing email and a short password): "
            "build one dict for every entry of `exc.errors()`, with a loop or a list "
            "comprehension.",
            code="wrong-number-of-errors",
        )
    key = lambda e: (str(e["loc"]), str(e["type"]))  # noqa: E731
    if sorted(map(key, errors)) != sorted(map(key, expected)) or (
        sorted(e["msg"] for e in errors) != sorted(e["msg"] for e in expected)
    ):
        raise Incorrect(
            f"The errors read {errors}; copy `loc`, `msg` and `type` from each entry of "
            '`exc.errors()` (here `loc` is ["body", "email"] and ["body", "password"]).',
            code="wrong-errors",
        )


async def check(ctx: CheckContext, handler: Any) -> None:
    from fastapi.responses import JSONResponse
    from fastapi.testclient import TestClient

    name = "validation_error_handler"
    _require_handler(ctx, handler, name)

    # A real RequestValidationError, as FastAPI raises it for a signup with two problems.
    captured: list[Any] = []

    async def capture(request: Any, exc: Any) -> Any:
        captured.append(exc)
        return JSONResponse({}, status_code=422)

    with TestClient(_signup_app(capture)) as client:
        client.post("/users/", json=TWO_PROBLEMS)
    exc = captured[0]
    request = _request("POST", "/users/", json.dumps(TWO_PROBLEMS).encode())
    resp = await _call_handler(ctx, handler, name, exc, request)
    if resp.status_code != 422:
        if resp.status_code == 200:
            raise Incorrect(
                "The response is 200 OK: `JSONResponse` defaults to 200. Pass "
                "`status_code=422`: the request was understood but its content is invalid.",
                code="status-200",
            )
        raise Incorrect(
            f"The response is {resp.status_code}; invalid input is 422 Unprocessable Content, "
            "as FastAPI answers by default and clients expect: pass `status_code=422`.",
            code="not-422",
        )
    body = _error_body(resp, name)
    if body["code"] != "validation_error":
        raise Incorrect(
            f'"code" is {body["code"]!r}; set it to "validation_error", so a client can '
            "branch on it.",
            code="wrong-code",
        )
    if not isinstance(body["detail"], str) or not body["detail"].strip():
        raise Incorrect(
            f'"detail" is {body["detail"]!r}; make it a sentence for humans, such as '
            '"The request is invalid: see `errors` for each field."',
            code="no-detail-sentence",
        )
    errors = body["errors"]
    if PASSWORD in str(body["detail"]):
        raise Incorrect(
            f'"detail" echoes what the client sent: the password {PASSWORD!r} is in it. '
            "`str(exc)` lists every error with its `input`: make `detail` a fixed sentence, "
            'such as "The request is invalid: see `errors` for each field."',
            code="detail-echoes-input",
        )
    has_input = isinstance(errors, list) and any(
        isinstance(e, dict) and "input" in e for e in errors
    )
    if PASSWORD in json.dumps(errors) or has_input:
        raise Incorrect(
            f'"errors" echoes what the client sent: the password {PASSWORD!r} is in it. '
            "Build each error from `loc`, `msg` and `type` only, and drop `input` (and `ctx`).",
            code="errors-echo-input",
        )
    expected = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
    _check_errors(errors, expected)
