"""Other correct answers to notebook 07 · Errors."""

import json

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from answers.nb07 import app_error_handler, validation_error_handler
from app.core.exceptions import AppError


def app_error_handler_sync(request: Request, exc: AppError) -> JSONResponse:
    body = {"code": exc.code, "detail": exc.message, "errors": []}
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


def validation_error_handler_sync(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [
        {"loc": list(error["loc"]), "msg": error["msg"], "type": error["type"]}
        for error in exc.errors()
    ]
    return JSONResponse(
        {"code": "validation_error", "detail": "Invalid input.", "errors": errors},
        status_code=422,
    )


async def app_error_handler_plain_response(request: Request, exc: AppError) -> Response:
    body = {"code": exc.code, "detail": exc.message, "errors": []}
    return Response(
        json.dumps(body),
        status_code=exc.status_code,
        headers=exc.headers,
        media_type="application/json",
    )


def register_error_handlers_with_decorators(app: FastAPI) -> None:
    app.exception_handler(AppError)(app_error_handler)
    app.exception_handler(RequestValidationError)(validation_error_handler)
