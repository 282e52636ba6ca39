import logging
import re
from http import HTTPStatus
from typing import ClassVar

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger(__name__)


class AppError(Exception):
    """A domain error: it knows its status but nothing else about HTTP."""

    status_code: int = status.HTTP_500_INTERNAL_SERVER_ERROR
    code: str = "app_error"
    message: str = "The request could not be completed."
    default_headers: ClassVar[dict[str, str]] = {}

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.message = message or self.message
        self.code = code or self.code
        self.headers: dict[str, str] | None = {**self.default_headers, **(headers or {})} or None
        super().__init__(self.message)


class NotFoundError(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"
    message = "Resource not found."


class ConflictError(AppError):
    status_code = status.HTTP_409_CONFLICT
    code = "conflict"
    message = "The request conflicts with existing data."


class AuthenticationError(AppError):
    status_code = status.HTTP_401_UNAUTHORIZED
    code = "not_authenticated"
    message = "Could not validate credentials."
    default_headers: ClassVar[dict[str, str]] = {"WWW-Authenticate": "Bearer"}


class PermissionDeniedError(AppError):
    status_code = status.HTTP_403_FORBIDDEN
    code = "permission_denied"
    message = "You do not have permission to do this."


class TooManyRequestsError(AppError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    code = "too_many_requests"
    message = "Too many failed attempts: wait the seconds in Retry-After, then try again."

    def __init__(self, retry_after: int) -> None:
        super().__init__(headers={"Retry-After": str(retry_after)})


class ServiceBusyError(AppError):
    """Refused at once rather than queued: a queue without a bound only turns load into timeouts."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    code = "service_busy"
    message = "The server is busy: wait the seconds in Retry-After, then try again."

    def __init__(self, retry_after: int = 1) -> None:
        super().__init__(headers={"Retry-After": str(retry_after)})


def error_response(
    status_code: int,
    code: str,
    detail: str,
    errors: list[dict[str, object]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = {"code": code, "detail": detail, "errors": errors or []}
    return JSONResponse(body, status_code=status_code, headers=headers)


def _status_phrase(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "Error"


async def _app_error(_: Request, exc: AppError) -> JSONResponse:
    return error_response(exc.status_code, exc.code, exc.message, headers=exc.headers)


HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> str:
    """Every method some route serves at this path, for the `Allow` header of a 405.

    Starlette lists only the methods of the first route whose path matches, but `GET /items/`
    and `POST /items/` are two routes: ask every route about every method instead.
    """
    routes = request.app.router.routes
    return ", ".join(
        method
        for method in sorted(HTTP_METHODS)
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    )


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    phrase = _status_phrase(exc.status_code)
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail else phrase
    # An HTTPException of ours may name its code; else it comes from the status's phrase.
    code = getattr(exc, "code", None) or re.sub(r"[^a-z0-9]+", "_", phrase.lower()).strip("_")
    headers = exc.headers
    if headers and "Allow" in headers:  # a 405 from routing
        headers = {**headers, "Allow": allowed_methods(request)}
    return error_response(exc.status_code, code, detail, headers=headers)


async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
    # Only where, what and why: the rejected input itself could be a password.
    errors = [
        {"loc": list(error["loc"]), "msg": error["msg"], "type": error["type"]}
        for error in exc.errors()
    ]
    detail = "The request is invalid: see `errors` for each field."
    return error_response(status.HTTP_422_UNPROCESSABLE_CONTENT, "validation_error", detail, errors)


async def _integrity_error(_: Request, exc: IntegrityError) -> JSONResponse:
    # The database's message names tables, columns and values: log-worthy, not client-worthy.
    return error_response(status.HTTP_409_CONFLICT, ConflictError.code, ConflictError.message)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    logger.error("Unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(
        status.HTTP_500_INTERNAL_SERVER_ERROR, "internal_error", "Internal server error."
    )


class AnswerUnexpectedErrors:
    """A 500 for an error that nothing else handled, answered inside the app.

    Left to Starlette's outermost middleware, the error is answered too, but then re-raised to
    the server, which logs it a second time and closes the client's keep-alive connection.
    Stopped here, it is logged once and the connection stays open. `create_app` adds it last,
    so it wraps every other middleware of the app.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        except Exception as exc:
            if started:  # too late for a 500: the server logs it and ends the response
                raise
            response = await _unexpected_error(Request(scope), exc)
            await response(scope, receive, send)


def register_exception_handlers(app: FastAPI) -> None:
    """One JSON shape for every error: {"code", "detail", "errors"}."""
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
    # What escapes anyway (an app without AnswerUnexpectedErrors) gets the same 500 from
    # Starlette's outermost middleware.
    app.add_exception_handler(Exception, _unexpected_error)
