"""Notebook 07 · Errors, exercise `app_error_handler`: its check and hints."""

from __future__ import annotations

from typing import Any

from support.catalog.nb07._shared import (
    _call_handler,
    _error_body,
    _error_classes,
    _require_handler,
)
from support.exercises import CheckContext, Incorrect

HINTS = [
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
]


async def check(ctx: CheckContext, handler: Any) -> None:

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
