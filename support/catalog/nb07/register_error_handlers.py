"""Notebook 07 · Errors, exercise `register_error_handlers`: its check and hints."""

from __future__ import annotations

import inspect
from typing import Any

from support.catalog.nb07._shared import PASSWORD, TWO_PROBLEMS, Signup, _error_classes
from support.exercises import CheckContext, Incorrect, describe

HINTS = [
    "Registering is one call per handler, made on the app the function receives, before "
    "it serves anything. The class you register for decides which exceptions reach the "
    "handler: that class and all its subclasses.",
    "`app.add_exception_handler(ExceptionClass, handler)`. The classes: `AppError`, "
    "the base of every domain error, and FastAPI's `RequestValidationError`. The "
    "handlers: yours from Exercises 1 and 2, passed without calling them.",
    "The shape, with each `...` a class and each handler one of yours:\n"
    "`app.add_exception_handler(..., app_error_handler)`\n"
    "`app.add_exception_handler(..., validation_error_handler)`",
]


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


async def check(ctx: CheckContext, register: Any) -> None:
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
