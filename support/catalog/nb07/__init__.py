"""Notebook 07 · Errors: its lesson card and exercises."""

from __future__ import annotations

from answers import nb07 as answers
from answers.alternatives import nb07 as alternatives
from answers.mistakes import nb07 as mistakes
from support.catalog import Lesson
from support.catalog.nb07 import (
    app_error_handler,
    register_error_handlers,
    validation_error_handler,
)
from support.exercises import Exercise, mistakes_for

LESSON = Lesson(
    number="07",
    title="Errors",
    filename="07_errors.ipynb",
    teaching_minutes=47,
    exercise_minutes=13,
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


EXERCISES = [
    Exercise(
        id="app_error_handler",
        title="One handler for every domain error",
        check=app_error_handler.check,
        answer=answers.app_error_handler,
        hints=app_error_handler.HINTS,
        mistakes=mistakes_for(mistakes, "app_error_handler"),
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
        check=validation_error_handler.check,
        answer=answers.validation_error_handler,
        hints=validation_error_handler.HINTS,
        mistakes=mistakes_for(mistakes, "validation_error_handler"),
        alternatives=[alternatives.validation_error_handler_sync],
        kind="function",
        success="Invalid requests now get the one error shape, and nothing the client sent "
        "comes back in it.",
    ),
    Exercise(
        id="register_error_handlers",
        title="Register both handlers where the app is built",
        check=register_error_handlers.check,
        answer=answers.register_error_handlers,
        hints=register_error_handlers.HINTS,
        mistakes=mistakes_for(mistakes, "register_error_handlers"),
        alternatives=[alternatives.register_error_handlers_with_decorators],
        kind="function",
        success="Both handlers are registered in one place, before the app serves anything, "
        "as the finished package's `create_app` does with `register_exception_handlers(app)`.",
    ),
]
