"""Wrong answers to notebook 07 that its check recognises."""

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import ValidationError

from answers import nb07 as answers
from app.core.exceptions import AppError, NotFoundError
from support.exercises import edited, mistake

BODY = '{"code": exc.code, "detail": exc.message, "errors": []}'
ERRORS = '[{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]'
APP_ERROR_LINE = "    app.add_exception_handler(AppError, app_error_handler)\n"
VALIDATION_LINE = (
    "    app.add_exception_handler(RequestValidationError, validation_error_handler)\n"
)


def _app_error(name: str, *edits: tuple[str, str]):
    return edited(answers.app_error_handler, *edits, name=name)


def _validation_error(name: str, *edits: tuple[str, str]):
    return edited(answers.validation_error_handler, *edits, name=name)


app_error_always_400 = mistake("app_error_handler", code="wrong-status")(
    _app_error(
        "app_error_always_400",
        ("status_code=exc.status_code, headers=exc.headers", "status_code=400"),
    )
)


app_error_status_200 = mistake("app_error_handler", code="status-200")(
    _app_error(
        "app_error_status_200",
        (
            "JSONResponse(body, status_code=exc.status_code, headers=exc.headers)",
            "JSONResponse(body)",
        ),
    )
)


app_error_returns_dict = mistake("app_error_handler", code="returns-dict")(
    _app_error(
        "app_error_returns_dict",
        (") -> JSONResponse:", ") -> dict:"),
        (
            "return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)",
            "return body",
        ),
    )
)


app_error_wrong_keys = mistake("app_error_handler", code="wrong-keys")(
    _app_error("app_error_wrong_keys", (BODY, '{"error": exc.message}'))
)


app_error_forgets_headers = mistake("app_error_handler", code="no-bearer-header")(
    _app_error("app_error_forgets_headers", (", headers=exc.headers", ""))
)


@mistake("app_error_handler", code="raises-http-exception")
async def app_error_raises_http_exception(request: Request, exc: AppError) -> JSONResponse:
    raise HTTPException(status_code=exc.status_code, detail=exc.message, headers=exc.headers)


validation_errors_raw = mistake("validation_error_handler", code="errors-echo-input")(
    _validation_error("validation_errors_raw", (ERRORS, "exc.errors()"))
)


validation_error_status_400 = mistake("validation_error_handler", code="not-422")(
    _validation_error("validation_error_status_400", ("status_code=422", "status_code=400"))
)


validation_error_messages_only = mistake("validation_error_handler", code="errors-not-dicts")(
    _validation_error(
        "validation_error_messages_only", (ERRORS, '[e["msg"] for e in exc.errors()]')
    )
)


app_error_errors_none = mistake("app_error_handler", code="errors-not-empty-list")(
    _app_error("app_error_errors_none", ('"errors": []', '"errors": None'))
)


app_error_bearer_everywhere = mistake("app_error_handler", code="bearer-everywhere")(
    _app_error(
        "app_error_bearer_everywhere",
        ("headers=exc.headers", 'headers={"WWW-Authenticate": "Bearer"}'),
    )
)


validation_error_first_only = mistake("validation_error_handler", code="wrong-number-of-errors")(
    # "each request has one problem": not when two fields are wrong
    _validation_error(
        "validation_error_first_only",
        (
            "errors = " + ERRORS,
            "e = exc.errors()[0]\n"
            '    errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]}]',
        ),
    )
)


validation_error_keeps_ctx = mistake("validation_error_handler", code="extra-keys")(
    _validation_error(
        "validation_error_keeps_ctx",
        (ERRORS, '[{k: v for k, v in e.items() if k != "input"} for e in exc.errors()]'),
    )
)


validation_errors_not_called = mistake("validation_error_handler", code="errors-not-called")(
    _validation_error(
        "validation_errors_not_called", ("for e in exc.errors()]", "for e in exc.errors]")
    )
)


validation_error_detail_echoes_input = mistake(
    "validation_error_handler", code="detail-echoes-input"
)(
    # str(exc): inputs
    _validation_error(
        "validation_error_detail_echoes_input", ('"detail": detail', '"detail": str(exc)')
    )
)


@mistake("app_error_handler", code="body-not-json")
async def app_error_plain_text(request: Request, exc: AppError) -> PlainTextResponse:
    return PlainTextResponse(exc.message, status_code=exc.status_code, headers=exc.headers)


app_error_code_is_class_name = mistake("app_error_handler", code="wrong-field")(
    # not exc.code
    _app_error("app_error_code_is_class_name", ('"code": exc.code', '"code": type(exc).__name__'))
)


validation_error_without_type = mistake("validation_error_handler", code="missing-keys")(
    _validation_error("validation_error_without_type", (', "type": e["type"]}', "}"))
)


validation_error_field_name_only = mistake("validation_error_handler", code="wrong-errors")(
    _validation_error(
        "validation_error_field_name_only", ('"loc": list(e["loc"])', '"loc": e["loc"][-1]')
    )
)


validation_error_status_200 = mistake("validation_error_handler", code="status-200")(
    # 200, JSONResponse's default
    _validation_error(
        "validation_error_status_200", ("JSONResponse(body, status_code=422)", "JSONResponse(body)")
    )
)


validation_error_other_code = mistake("validation_error_handler", code="wrong-code")(
    _validation_error(
        "validation_error_other_code", ('"code": "validation_error"', '"code": "invalid_request"')
    )
)


validation_error_detail_is_the_list = mistake(
    "validation_error_handler", code="no-detail-sentence"
)(
    # not a sentence
    _validation_error(
        "validation_error_detail_is_the_list", ('"detail": detail', '"detail": errors')
    )
)


# register_error_handlers


async def not_found_handler(request: Request, exc: NotFoundError) -> JSONResponse:
    body = {"code": exc.code, "detail": exc.message, "errors": []}
    return JSONResponse(body, status_code=404)


async def validation_error_as_text(request: Request, exc: RequestValidationError) -> JSONResponse:
    body = {"code": "validation_error", "detail": str(exc), "errors": []}  # str(exc): the input
    return JSONResponse(body, status_code=422)


def _register(name: str, *edits: tuple[str, str]):
    using = {
        "FastAPI": FastAPI,
        "NotFoundError": NotFoundError,
        "ValidationError": ValidationError,
        "not_found_handler": not_found_handler,
        "validation_error_as_text": validation_error_as_text,
    }
    return edited(answers.register_error_handlers, *edits, name=name, using=using)


register_on_a_new_app = mistake("register_error_handlers", code="registers-nothing")(
    # registers on an app nobody serves
    _register("register_on_a_new_app", ("-> None:\n", "-> None:\n    app = FastAPI()\n"))
)


register_async = mistake("register_error_handlers", code="is-async")(
    # create_app would call it without await
    _register(
        "register_async", ("def register_error_handlers(", "async def register_error_handlers(")
    )
)


register_on_a_subclass = mistake("register_error_handlers", code="registered-on-a-subclass")(
    # a ConflictError gets past
    _register("register_on_a_subclass", ("(AppError,", "(NotFoundError,"))
)


register_forgets_app_error = mistake("register_error_handlers", code="no-app-error-handler")(
    _register("register_forgets_app_error", (APP_ERROR_LINE, ""))
)


register_step_5_handler = mistake("register_error_handlers", code="domain-wrong-response")(
    # every domain error becomes a 404
    _register(
        "register_step_5_handler", ("AppError, app_error_handler", "AppError, not_found_handler")
    )
)


register_on_pydantic_validation_error = mistake(
    "register_error_handlers", code="validation-wrong-class"
)(
    # pydantic's class
    _register(
        "register_on_pydantic_validation_error", ("(RequestValidationError,", "(ValidationError,")
    )
)


register_forgets_validation = mistake("register_error_handlers", code="no-validation-handler")(
    _register("register_forgets_validation", (VALIDATION_LINE, ""))
)


register_handler_returning_str_exc = mistake("register_error_handlers", code="echoes-input")(
    _register(
        "register_handler_returning_str_exc",
        ("validation_error_handler)", "validation_error_as_text)"),
    )
)


register_copy_paste = mistake("register_error_handlers", code="validation-wrong-response")(
    # line copied, not edited
    _register(
        "register_copy_paste",
        (
            "RequestValidationError, validation_error_handler",
            "RequestValidationError, app_error_handler",
        ),
    )
)
