"""Notebook 07 · Errors: its lesson card and exercises."""

from __future__ import annotations

import inspect
import json
from typing import Any

from pydantic import BaseModel, Field

from answers import nb07 as answers
from answers.alternatives import nb07 as alternatives
from answers.mistakes import nb07 as mistakes
from support.catalog import Lesson
from support.exercises import CheckContext, Exercise, Incorrect, Mistake, describe

LESSON = Lesson(
    number="07",
    title="Errors",
    filename="07_errors.ipynb",
    teaching_minutes=50,
    exercise_minutes=25,
    builds_on="05 Routes (routes, `TestClient`), 06 Security (401 and `WWW-Authenticate`)",
    objectives=(
        "Explain why services that raise `HTTPException` cannot be reused or unit tested "
        "without FastAPI.",
        "Raise domain exceptions (`NotFoundError`, `ConflictError`, ...) that know nothing "
        "of HTTP, and map them to responses with exception handlers.",
        "Give domain, HTTP and validation errors one shape: `code`, `detail`, `errors`.",
        "Turn a database `IntegrityError` into a 409 and any unexpected error into a "
        "logged 500 that leaks nothing.",
        "Keep SQL parameters (emails, password hashes) out of errors and logs, and refuse a "
        "request body over a size limit with a 413 before it is read.",
    ),
    package_files=(
        "app/core/exceptions.py",
        "app/schemas/error.py",
        "app/main.py",
        "app/core/database.py",
    ),
    key_points=(
        "Services raise domain errors; only exception handlers at the edge speak HTTP.",
        "Every error a client sees has the same keys, `code`, `detail`, `errors`, and none "
        "echoes what the client sent: rebuild a 422 from `loc`, `msg` and `type`.",
        "Register handlers on Starlette's `HTTPException` (it also catches the router's 404 "
        "and 405), before the app serves its first request.",
        "An unexpected error is logged with its traceback and answered with a generic 500; "
        "an engine with `hide_parameters=True` keeps emails and password hashes out of that log.",
        "Refuse a body over the limit before reading it: a pure ASGI middleware answers 413 to "
        "a `Content-Length` over it and counts a streamed body as it arrives.",
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
    # Sync or async: Starlette awaits an `async def` handler and runs a plain `def` in a thread.
    ctx.require_function(handler, is_async=False, name=name)


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
                "exception ends. Return `JSONResponse(body, status_code=...)` instead.",
                code="raises-http-exception",
            ) from None
        if isinstance(cause, TypeError) and "'method' object" in str(cause):
            raise Incorrect(
                f"`{name}` raised {type(cause).__name__}: {cause}. `exc.errors` is a method: "
                "call it, `exc.errors()`, to get the list of errors.",
                code="errors-not-called",
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
            "route's return value into JSON, not a handler's.",
            code="returns-dict",
        )
    if result is None:
        raise Incorrect(
            f"`{name}` returned `None`: add `return JSONResponse(body, status_code=...)`.",
            code="returns-none",
        )
    raise Incorrect(
        f"`{name}` returned {describe(result)}; return `JSONResponse(body, status_code=...)`.",
        code="returns-other",
    )


def _error_body(resp: Any, name: str) -> dict[str, Any]:
    try:
        body = json.loads(resp.body)
    except (ValueError, TypeError, AttributeError):
        raise Incorrect(
            f"`{name}` answered a body that is not JSON: build it with `JSONResponse(body, ...)`.",
            code="body-not-json",
        ) from None
    if not isinstance(body, dict) or set(body) != {"code", "detail", "errors"}:
        keys = sorted(body) if isinstance(body, dict) else describe(body)
        raise Incorrect(
            f"`{name}` answered with the keys {keys}; the one error shape has exactly "
            '"code", "detail" and "errors" (an empty list when there are no field errors).',
            code="wrong-keys",
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
                    "Pass `status_code=exc.status_code`.",
                    code="status-200",
                )
            raise Incorrect(
                f"For a `{kind}` the response is {resp.status_code}, it should be "
                f"{exc.status_code}: use `status_code=exc.status_code`, so each error class "
                "keeps its own status (a new class needs no change to the handler).",
                code="wrong-status",
            )
        body = _error_body(resp, name)
        for key, source in (("code", "exc.code"), ("detail", "exc.message")):
            wanted = getattr(exc, source.removeprefix("exc."))
            if body[key] != wanted:
                raise Incorrect(
                    f'For `{kind}(...)` "{key}" is {body[key]!r}; it should be {wanted!r}: '
                    f"take it from `{source}`.",
                    code="wrong-field",
                )
        if body["errors"] != []:
            raise Incorrect(
                f'"errors" is {body["errors"]!r}; make it an empty list, `[]`: a domain error '
                "has no field errors, and a client can then always loop over the list.",
                code="errors-not-empty-list",
            )
        sent = resp.headers.get("www-authenticate")
        if exc.status_code == 401 and sent != "Bearer":
            raise Incorrect(
                "The 401 for an `AuthenticationError` has no `WWW-Authenticate: Bearer` header, "
                "which HTTP requires on every 401: pass `headers=exc.headers` to `JSONResponse`.",
                code="no-bearer-header",
            )
        if exc.status_code != 401 and sent is not None:
            raise Incorrect(
                f"The {exc.status_code} for a `{kind}` carries `WWW-Authenticate: {sent}`, which "
                "belongs on a 401 only: it tells the client to log in again. Pass "
                "`headers=exc.headers`, which is `None` for every class but `AuthenticationError`.",
                code="bearer-everywhere",
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


# --------------------------------------------------------------------------------------------
# register_error_handlers


def _wiring_app(not_found: Any, conflict: Any) -> Any:
    """Routes that raise what each handler must answer; no handler of the learner's yet."""
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/items/{item_id}")
    async def read_item(item_id: int) -> dict[str, str]:
        raise not_found("Item not found.")

    @app.post("/items/")
    async def create_item() -> dict[str, str]:
        raise conflict("An item with this title exists.")

    @app.post("/users/")
    async def create_user(user_in: Signup) -> dict[str, str]:
        return {"email": user_in.email}

    return app


def _added_handler(app: Any, before: dict[Any, Any], exc_class: type) -> tuple[Any, Any]:
    """The class and handler the learner registered that the app picks for `exc_class`, as
    Starlette looks it up (the nearest class in its MRO); (None, None) when there is none."""
    for cls in exc_class.__mro__:
        if cls is Exception:  # answered apart, as a 500, by Starlette's outermost middleware
            break
        handler = app.exception_handlers.get(cls)
        if handler is not None:
            return (cls, handler) if before.get(cls) is not handler else (None, None)
    return None, None


def _one_shape(reply: Any) -> bool:
    try:
        body = reply.json()
    except ValueError:
        return False
    return isinstance(body, dict) and set(body) == {"code", "detail", "errors"}


def _what_it_answered(reply: Any) -> str:
    try:
        body = reply.json()
    except ValueError:
        return f"{reply.status_code} with a body that is not JSON"
    keys = sorted(body) if isinstance(body, dict) else describe(body)
    return f"{reply.status_code} with the keys {keys}"


def _name(obj: Any) -> str:
    return getattr(obj, "__name__", None) or describe(obj)


async def check_register_error_handlers(ctx: CheckContext, register: Any) -> None:
    from fastapi.exceptions import RequestValidationError
    from fastapi.testclient import TestClient

    name = "register_error_handlers"
    ctx.require_function(register, is_async=False, name=name)
    if inspect.iscoroutinefunction(register):
        raise Incorrect(
            f"`{name}` is an `async def`: the function that builds the app calls it without "
            "`await`, and then it only makes a coroutine and registers nothing. "
            "`app.add_exception_handler(...)` needs no `await`: define it with plain `def`.",
            code="is-async",
        )
    app_error, not_found, conflict, _ = _error_classes(register)
    app = _wiring_app(not_found, conflict)
    before = dict(app.exception_handlers)
    await ctx.call(register, app)
    added = [
        cls for cls, handler in app.exception_handlers.items() if before.get(cls) is not handler
    ]
    if not added:
        raise Incorrect(
            f"After `{name}(app)` the app has no handler of yours: register each one on the app "
            "the function receives, `app.add_exception_handler(ExceptionClass, handler)`, "
            "rather than on a new `FastAPI()`.",
            code="registers-nothing",
        )

    with TestClient(app, raise_server_exceptions=False) as client:
        domain = [
            (not_found, 404, client.get("/items/2")),
            (conflict, 409, client.post("/items/")),
        ]
        invalid = client.post("/users/", json=TWO_PROBLEMS)

    for exc_class, status, reply in domain:
        if reply.status_code == status and _one_shape(reply):
            continue
        cls, handler = _added_handler(app, before, exc_class)
        kind = exc_class.__name__
        if handler is None:
            narrow = [c for c in added if c is not app_error and issubclass(c, app_error)]
            if narrow:
                raise Incorrect(
                    f"A `{kind}` answered {reply.status_code}: your handler is registered for "
                    f"{', '.join(f'`{c.__name__}`' for c in narrow)} only. Register it for the "
                    "base class, `AppError`: a handler also answers every subclass, including "
                    "the ones written next year.",
                    code="registered-on-a-subclass",
                )
            raise Incorrect(
                f"A `{kind}` answered {reply.status_code}: no handler of yours answers domain "
                "errors. Register `app_error_handler` (Exercise 1) for `AppError`.",
                code="no-app-error-handler",
            )
        fix = (
            "The registration is right: finish Exercise 1, whose check says what "
            "`app_error_handler` gets wrong."
            if cls is app_error and _name(handler) == "app_error_handler"
            else "Register `app_error_handler` (Exercise 1) for `AppError`."
        )
        raise Incorrect(
            f"A `{kind}` reached `{_name(handler)}`, which you registered for `{cls.__name__}`, "
            f"and it answered {_what_it_answered(reply)}; it should be {status} in the one error "
            f"shape. {fix}",
            code="domain-wrong-response",
        )

    cls, handler = _added_handler(app, before, RequestValidationError)
    if handler is None:
        stray = [c for c in added if not issubclass(c, app_error)]
        if stray:
            names = ", ".join(f"`{c.__name__}`" for c in stray)
            raise Incorrect(
                "The invalid signup got FastAPI's default 422: nothing of yours is registered "
                f"for `RequestValidationError`, but for {names}. "
                "FastAPI raises `RequestValidationError` (from `fastapi.exceptions`), which "
                "Pydantic's own `ValidationError` does not catch.",
                code="validation-wrong-class",
            )
        raise Incorrect(
            "The invalid signup got FastAPI's default 422, the one that echoes the input: "
            "register `validation_error_handler` (Exercise 2) for `RequestValidationError`.",
            code="no-validation-handler",
        )
    if PASSWORD in invalid.text:
        fix = (
            "The registration is right: finish Exercise 2, whose handler must keep only "
            "`loc`, `msg` and `type`."
            if _name(handler) == "validation_error_handler"
            else "Register `validation_error_handler` from Exercise 2, which keeps only `loc`, "
            "`msg` and `type`."
        )
        raise Incorrect(
            f"The 422 carries the password the client sent, {PASSWORD!r}: the handler you "
            f"registered for `{cls.__name__}`, `{_name(handler)}`, puts `str(exc)` or the raw "
            f"errors in the body. {fix}",
            code="echoes-input",
        )
    if invalid.status_code != 422 or not _one_shape(invalid):
        fix = (
            "The registration is right: finish Exercise 2, whose check says what "
            "`validation_error_handler` gets wrong."
            if cls is RequestValidationError and _name(handler) == "validation_error_handler"
            else "Register `validation_error_handler` (Exercise 2) for `RequestValidationError`."
        )
        raise Incorrect(
            f"The invalid signup reached `{_name(handler)}`, which you registered for "
            f"`{cls.__name__}`, and it answered {_what_it_answered(invalid)}; it should be 422 "
            f"in the one error shape. {fix}",
            code="validation-wrong-response",
        )


EXERCISES = [
    Exercise(
        id="app_error_handler",
        title="One handler for every domain error",
        check=check_app_error_handler,
        answer=answers.app_error_handler,
        hints=[
            "No `if` per class and no table of classes: the exception already carries "
            "everything the response needs, so the handler only copies it. Look at the "
            "attributes `AppError` defines.",
            "A handler returns a response: `JSONResponse(body, status_code=..., headers=...)`. "
            "What goes in it is on `exc`: `exc.status_code`, `exc.code`, `exc.message` and "
            "`exc.headers` (`headers=None` adds no header, which is what the classes other "
            "than `AuthenticationError` have).",
            "The shape of the body of the function, with each `...` one attribute of `exc`:\n"
            '`body = {"code": ..., "detail": ..., "errors": []}`\n'
            "`return JSONResponse(body, status_code=..., headers=...)`",
        ],
        mistakes=[
            Mistake(mistakes.app_error_always_400, code="wrong-status"),
            Mistake(mistakes.app_error_status_200, code="status-200"),
            Mistake(mistakes.app_error_returns_dict, code="returns-dict"),
            Mistake(mistakes.app_error_wrong_keys, code="wrong-keys"),
            Mistake(mistakes.app_error_forgets_headers, code="no-bearer-header"),
            Mistake(mistakes.app_error_raises_http_exception, code="raises-http-exception"),
            Mistake(mistakes.app_error_errors_none, code="errors-not-empty-list"),
            Mistake(mistakes.app_error_bearer_everywhere, code="bearer-everywhere"),
            Mistake(mistakes.app_error_plain_text, code="body-not-json"),
            Mistake(mistakes.app_error_code_is_class_name, code="wrong-field"),
        ],
        alternatives=[
            alternatives.app_error_handler_plain_response,
            alternatives.app_error_handler_sync,
        ],
        kind="function",
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
            "`exc.errors()` (a method: mind the parentheses) is a list of dicts with the keys "
            "`loc`, `msg`, `type`, `input` and sometimes `ctx`. Keep the first three, with "
            '`list(e["loc"])` for `loc`, in a list comprehension; answer with '
            "`JSONResponse(body, status_code=422)`.",
            "The shape of the body of the function, with each `...` to fill:\n"
            '`errors = [{"loc": ..., "msg": ..., "type": ...} for e in exc.errors()]`\n'
            '`body = {"code": "validation_error", "detail": ..., "errors": errors}`\n'
            "`return JSONResponse(body, status_code=422)`",
        ],
        mistakes=[
            Mistake(mistakes.validation_errors_raw, code="errors-echo-input"),
            Mistake(mistakes.validation_error_status_400, code="not-422"),
            Mistake(mistakes.validation_error_messages_only, code="errors-not-dicts"),
            Mistake(mistakes.validation_error_first_only, code="wrong-number-of-errors"),
            Mistake(mistakes.validation_error_keeps_ctx, code="extra-keys"),
            Mistake(mistakes.validation_errors_not_called, code="errors-not-called"),
            Mistake(mistakes.validation_error_detail_echoes_input, code="detail-echoes-input"),
            Mistake(mistakes.validation_error_without_type, code="missing-keys"),
            Mistake(mistakes.validation_error_field_name_only, code="wrong-errors"),
            Mistake(mistakes.validation_error_status_200, code="status-200"),
            Mistake(mistakes.validation_error_other_code, code="wrong-code"),
            Mistake(mistakes.validation_error_detail_is_the_list, code="no-detail-sentence"),
        ],
        alternatives=[alternatives.validation_error_handler_sync],
        kind="function",
        success="Invalid requests now get the one error shape, and nothing the client sent "
        "comes back in it.",
    ),
    Exercise(
        id="register_error_handlers",
        title="Register both handlers where the app is built",
        check=check_register_error_handlers,
        answer=answers.register_error_handlers,
        hints=[
            "Registering is one call per handler, made on the app the function receives, before "
            "it serves anything. The class you register for decides which exceptions reach the "
            "handler: that class and all its subclasses.",
            "`app.add_exception_handler(ExceptionClass, handler)`. The classes: `AppError`, "
            "the base of every domain error, and FastAPI's `RequestValidationError`. The "
            "handlers: yours from Exercises 1 and 2, passed without calling them.",
            "The shape, with each `...` a class and each handler one of yours:\n"
            "`app.add_exception_handler(..., app_error_handler)`\n"
            "`app.add_exception_handler(..., validation_error_handler)`",
        ],
        mistakes=[
            Mistake(mistakes.register_on_a_new_app, code="registers-nothing"),
            Mistake(mistakes.register_async, code="is-async"),
            Mistake(mistakes.register_on_a_subclass, code="registered-on-a-subclass"),
            Mistake(mistakes.register_forgets_app_error, code="no-app-error-handler"),
            Mistake(mistakes.register_step_5_handler, code="domain-wrong-response"),
            Mistake(mistakes.register_on_pydantic_validation_error, code="validation-wrong-class"),
            Mistake(mistakes.register_forgets_validation, code="no-validation-handler"),
            Mistake(mistakes.register_handler_returning_str_exc, code="echoes-input"),
            Mistake(mistakes.register_copy_paste, code="validation-wrong-response"),
        ],
        alternatives=[alternatives.register_error_handlers_with_decorators],
        kind="function",
        success="Both handlers are registered in one place, before the app serves anything, "
        "as the finished package's `create_app` does with `register_exception_handlers(app)`.",
    ),
]
