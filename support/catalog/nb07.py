"""Notebook 07 · Errors: its lesson card and exercises."""

from __future__ import annotations

import inspect
import json
from typing import Any

from pydantic import BaseModel, Field

from answers import nb07 as answers
from answers.mistakes import nb07 as mistakes
from support.catalog import Lesson
from support.exercises import CheckContext, Exercise, Incorrect, Mistake, describe

LESSON = Lesson(
    number="07",
    title="Errors",
    filename="07_errors.ipynb",
    teaching_minutes=35,
    exercise_minutes=20,
    objectives=(
        "Explain why services that raise `HTTPException` cannot be reused or unit tested "
        "without FastAPI.",
        "Raise domain exceptions (`NotFoundError`, `ConflictError`, ...) that know nothing "
        "of HTTP, and map them to responses with exception handlers.",
        "Give domain, HTTP and validation errors one shape: `code`, `detail`, `errors`.",
        "Turn a database `IntegrityError` into a 409 and any unexpected error into a "
        "logged 500 that leaks nothing.",
    ),
    package_files=("app/core/exceptions.py", "app/schemas/error.py"),
    key_points=(
        "Services raise domain errors; only exception handlers at the edge speak HTTP.",
        "Every error a client sees has the same keys: `code`, `detail`, `errors`.",
        "The default 422 body echoes the rejected `input`, which can be a password: "
        "rebuild it from `loc`, `msg` and `type`.",
        "Register handlers on Starlette's `HTTPException` (it also catches the router's 404 "
        "and 405), before the app serves its first request.",
        "An unexpected error is logged with its traceback and answered with a generic 500: "
        "the details go to the log, never to the client.",
    ),
)


# --------------------------------------------------------------------------------------------
# Shared by the checks


def _request(method: str = "GET", path: str = "/items/1", body: bytes = b"") -> Any:
    from starlette.requests import Request

    async def receive() -> dict[str, Any]:  # a handler may read the body, as in a real app
        return {"type": "http.request", "body": body, "more_body": False}

    headers = [(b"content-type", b"application/json")] if body else []
    return Request(
        {
            "type": "http",
            "method": method,
            "path": path,
            "root_path": "",
            "scheme": "http",
            "query_string": b"",
            "headers": headers,
            "server": ("testserver", 80),
        },
        receive,
    )


def _require_handler(ctx: CheckContext, handler: Any, name: str) -> None:
    # Our own async message first: the engine's speaks of the database, which a handler never
    # touches.
    if (inspect.isfunction(handler) or inspect.ismethod(handler)) and not (
        inspect.iscoroutinefunction(handler)
    ):
        raise Incorrect(
            f"Define `{name}` with `async def`, like the handlers above: it does no blocking "
            "work, and Starlette would run a plain `def` handler in a thread for nothing."
        )
    ctx.require_function(handler, is_async=True, name=name)


async def _call_handler(
    ctx: CheckContext, handler: Any, name: str, exc: Exception, request: Any = None
) -> Any:
    from starlette.exceptions import HTTPException

    try:
        result = await ctx.call(handler, request if request is not None else _request(), exc)
    except Incorrect as wrong:
        cause = wrong.__cause__
        if isinstance(cause, HTTPException):
            raise Incorrect(
                f"`{name}` raised an `HTTPException`. A handler must not raise: it is where the "
                "exception ends. Return `JSONResponse(body, status_code=...)` instead."
            ) from None
        if isinstance(cause, TypeError) and "'method' object" in str(cause):
            raise Incorrect(
                f"`{name}` raised {type(cause).__name__}: {cause}. `exc.errors` is a method: "
                "call it, `exc.errors()`, to get the list of errors."
            ) from None
        raise
    return _as_response(result, name)


def _as_response(result: Any, name: str) -> Any:
    from starlette.responses import Response

    if isinstance(result, Response):
        return result
    if isinstance(result, dict):
        raise Incorrect(
            f"`{name}` returned a dict. An exception handler must return a response: "
            "wrap the body, `return JSONResponse(body, status_code=...)`. FastAPI turns a "
            "route's return value into JSON, not a handler's."
        )
    if result is None:
        raise Incorrect(
            f"`{name}` returned `None`: add `return JSONResponse(body, status_code=...)`."
        )
    raise Incorrect(
        f"`{name}` returned {describe(result)}; return `JSONResponse(body, status_code=...)`."
    )


def _error_body(resp: Any, name: str) -> dict[str, Any]:
    try:
        body = json.loads(resp.body)
    except (ValueError, TypeError, AttributeError):
        raise Incorrect(
            f"`{name}` answered a body that is not JSON: build it with `JSONResponse(body, ...)`."
        ) from None
    if not isinstance(body, dict) or set(body) != {"code", "detail", "errors"}:
        keys = sorted(body) if isinstance(body, dict) else describe(body)
        raise Incorrect(
            f"`{name}` answered with the keys {keys}; the one error shape has exactly "
            '"code", "detail" and "errors" (an empty list when there are no field errors).'
        )
    return body


# --------------------------------------------------------------------------------------------
# app_error_handler

_ERROR_CLASSES = ("AppError", "NotFoundError", "ConflictError", "AuthenticationError")


def _error_classes(handler: Any) -> tuple[Any, ...]:
    """The error classes the handler's own module sees: in the notebook, the ones its cells
    define (an `isinstance` check against them must hold); otherwise the finished package's."""
    from app.core import exceptions as package

    try:
        scope = inspect.unwrap(handler).__globals__
    except (AttributeError, ValueError):
        scope = {}
    found = [scope.get(name) for name in _ERROR_CLASSES]
    base = found[0]
    if (
        isinstance(base, type)
        and issubclass(base, Exception)
        and all(isinstance(cls, type) and issubclass(cls, base) for cls in found[1:])
        and [getattr(cls, "status_code", None) for cls in found[1:]] == [404, 409, 401]
        and getattr(found[3], "headers", None) == {"WWW-Authenticate": "Bearer"}
    ):
        return tuple(found)
    return tuple(getattr(package, name) for name in _ERROR_CLASSES)


async def check_app_error_handler(ctx: CheckContext, handler: Any) -> None:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    name = "app_error_handler"
    _require_handler(ctx, handler, name)
    app_error, not_found, conflict, authentication = _error_classes(handler)

    class GoneError(app_error):  # type: ignore[misc,valid-type]  # a class no table can list
        status_code = 410
        code = "gone"
        message = "This item was archived."

    for exc in (
        not_found("Item not found."),
        conflict("Email already registered."),
        authentication(),
        GoneError(),
    ):
        kind = type(exc).__name__
        resp = await _call_handler(ctx, handler, name, exc)
        if resp.status_code != exc.status_code:
            if resp.status_code == 200:
                raise Incorrect(
                    f"For a `{kind}` the response is 200 OK: `JSONResponse` defaults to 200. "
                    "Pass `status_code=exc.status_code`."
                )
            raise Incorrect(
                f"For a `{kind}` the response is {resp.status_code}, it should be "
                f"{exc.status_code}: use `status_code=exc.status_code`, so each error class "
                "keeps its own status (a new class needs no change to the handler)."
            )
        body = _error_body(resp, name)
        for key, source in (("code", "exc.code"), ("detail", "exc.message")):
            wanted = getattr(exc, source.removeprefix("exc."))
            if body[key] != wanted:
                raise Incorrect(
                    f'For `{kind}(...)` "{key}" is {body[key]!r}; it should be {wanted!r}: '
                    f"take it from `{source}`."
                )
        if body["errors"] != []:
            raise Incorrect(
                f'"errors" is {body["errors"]!r}; make it an empty list, `[]`: a domain error '
                "has no field errors, and a client can then always loop over the list."
            )
        sent = resp.headers.get("www-authenticate")
        if exc.status_code == 401 and sent != "Bearer":
            raise Incorrect(
                "The 401 for an `AuthenticationError` has no `WWW-Authenticate: Bearer` header, "
                "which HTTP requires on every 401: pass `headers=exc.headers` to `JSONResponse`."
            )
        if exc.status_code != 401 and sent is not None:
            raise Incorrect(
                f"The {exc.status_code} for a `{kind}` carries `WWW-Authenticate: {sent}`, which "
                "belongs on a 401 only: it tells the client to log in again. Pass "
                "`headers=exc.headers`, which is `None` for every class but `AuthenticationError`."
            )

    app = FastAPI()
    app.add_exception_handler(app_error, handler)

    @app.get("/items/{item_id}")
    async def read_item(item_id: int) -> None:
        raise not_found("Item not found.")

    with TestClient(app, raise_server_exceptions=False) as client:
        reply = client.get("/items/1")
    if reply.status_code != 404:
        raise Incorrect(
            f"Mounted with `app.add_exception_handler(AppError, {name})`, `GET /items/1` "
            f"answered {reply.status_code} instead of 404. Run your handler on its own first."
        )


# --------------------------------------------------------------------------------------------
# validation_error_handler

PASSWORD = "hunter2"  # noqa: S105 - the too-short password the check sends on purpose
TWO_PROBLEMS = {"password": PASSWORD}  # the email is missing and the password too short


class Signup(BaseModel):
    email: str
    password: str = Field(min_length=8)


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
            "`msg` and `type`: the client needs `loc` to know which field to fix."
        )
    for error in errors:
        extra, missing = sorted(set(error) - wanted), sorted(wanted - set(error))
        if extra:
            raise Incorrect(
                f"An error has the extra key(s) {extra}: keep only `loc`, `msg` and `type`, "
                "by building a new dict for each entry rather than copying it."
            )
        if missing:
            raise Incorrect(
                f"An error lacks the key(s) {missing}: each one needs `loc` (which field), "
                "`msg` (a sentence) and `type` (a stable name)."
            )
    if len(errors) != len(expected):
        raise Incorrect(
            f'"errors" has {len(errors)} {"entry" if len(errors) == 1 else "entries"}, but the '
            f"request had {len(expected)} problems (a missing email and a short password): "
            "build one dict for every entry of `exc.errors()`, with a loop or a list "
            "comprehension."
        )
    key = lambda e: (str(e["loc"]), str(e["type"]))  # noqa: E731
    if sorted(map(key, errors)) != sorted(map(key, expected)) or (
        sorted(e["msg"] for e in errors) != sorted(e["msg"] for e in expected)
    ):
        raise Incorrect(
            f"The errors read {errors}; copy `loc`, `msg` and `type` from each entry of "
            '`exc.errors()` (here `loc` is ["body", "email"] and ["body", "password"]).'
        )


async def check_validation_error_handler(ctx: CheckContext, handler: Any) -> None:
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
                "`status_code=422`: the request was understood but its content is invalid."
            )
        raise Incorrect(
            f"The response is {resp.status_code}; invalid input is 422 Unprocessable Content, "
            "as FastAPI answers by default and clients expect: pass `status_code=422`."
        )
    body = _error_body(resp, name)
    if body["code"] != "validation_error":
        raise Incorrect(
            f'"code" is {body["code"]!r}; set it to "validation_error", so a client can '
            "branch on it."
        )
    if not isinstance(body["detail"], str) or not body["detail"].strip():
        raise Incorrect(
            f'"detail" is {body["detail"]!r}; make it a sentence for humans, such as '
            '"The request is invalid: see `errors` for each field."'
        )
    errors = body["errors"]
    leaked = PASSWORD in resp.body.decode(errors="replace")
    has_input = isinstance(errors, list) and any(
        isinstance(e, dict) and "input" in e for e in errors
    )
    if leaked or has_input:
        raise Incorrect(
            f"The response echoes what the client sent: the password {PASSWORD!r} is in it. "
            "Build each error from `loc`, `msg` and `type` only, and drop `input` (and `ctx`)."
        )
    expected = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
    _check_errors(errors, expected)

    # Mounted for real: a missing field's default `input` is the whole body, password and all.
    with TestClient(_signup_app(handler), raise_server_exceptions=False) as client:
        reply = client.post("/users/", json={"password": "correct horse battery"})
    if reply.status_code != 422 or "correct horse" in reply.text:
        raise Incorrect(
            "With the email missing, `POST /users/` answered "
            f"{reply.status_code} and echoed the body: drop `input` from every error."
        )


EXERCISES = [
    Exercise(
        id="app_error_handler",
        title="One handler for every domain error",
        check=check_app_error_handler,
        answer=answers.app_error_handler,
        hints=[
            "No `if` per class and no table of classes: the exception already carries "
            "everything the response needs. Look at the attributes `AppError` defines.",
            "`JSONResponse` takes the body, then `status_code=` and `headers=`. Fill the body's "
            "`code` and `detail`, the status and the headers each from one attribute of `exc` "
            "(`headers=None` adds no header).",
        ],
        mistakes=[
            Mistake(mistakes.app_error_always_400, says="status_code=exc.status_code"),
            Mistake(mistakes.app_error_status_200, says="defaults to 200"),
            Mistake(mistakes.app_error_returns_dict, says="JSONResponse(body"),
            Mistake(mistakes.app_error_wrong_keys, says='"code", "detail" and "errors"'),
            Mistake(mistakes.app_error_forgets_headers, says="WWW-Authenticate: Bearer"),
            Mistake(mistakes.app_error_raises_http_exception, says="must not raise"),
            Mistake(mistakes.app_error_errors_none, says="empty list"),
            Mistake(mistakes.app_error_bearer_everywhere, says="belongs on a 401 only"),
        ],
        success="Every domain error, including classes written next year, now answers with "
        "its own status and the one error shape.",
    ),
    Exercise(
        id="validation_error_handler",
        title="A 422 that does not echo the input",
        check=check_validation_error_handler,
        answer=answers.validation_error_handler,
        hints=[
            "Do not send `exc.errors()` as it is: build a new, smaller dict for each of its "
            "entries, with what the client needs to fix the field and nothing it sent.",
            "Loop over `exc.errors()` (a method: mind the parentheses) and, for each entry `e`, "
            'keep `list(e["loc"])`, `e["msg"]` and `e["type"]` under the same keys. Put '
            'the list under `"errors"`, with `"code": "validation_error"` and '
            "`status_code=422`.",
        ],
        mistakes=[
            Mistake(mistakes.validation_errors_raw, says="drop `input`"),
            Mistake(mistakes.validation_error_status_400, says="status_code=422"),
            Mistake(mistakes.validation_error_messages_only, says="`loc`, `msg` and `type`"),
            Mistake(mistakes.validation_error_first_only, says="one dict for every entry"),
            Mistake(mistakes.validation_error_keeps_ctx, says="extra key(s) ['ctx']"),
            Mistake(mistakes.validation_errors_not_called, says="`exc.errors()`"),
        ],
        success="Invalid requests now get the one error shape, and nothing the client sent "
        "comes back in it.",
    ),
]
