"""What notebook 07's checks share: requests made by hand, handlers called, answers read."""

from __future__ import annotations

import inspect
import json
from typing import Any

from pydantic import BaseModel, Field

from support.exercises import CheckContext, Incorrect, describe


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


PASSWORD = "hunter2"  # noqa: S105 - the too-short password the check sends on purpose

TWO_PROBLEMS = {"password": PASSWORD}  # the email is missing and the password too short


class Signup(BaseModel):
    email: str
    password: str = Field(min_length=8)
