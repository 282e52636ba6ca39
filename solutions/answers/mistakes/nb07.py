"""Wrong answers to notebook 07 that its check recognises."""

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import ValidationError

from answers.nb07 import app_error_handler, validation_error_handler
from app.core.exceptions import AppError, NotFoundError
from support.exercises import mistake


@mistake("app_error_handler", code="wrong-status")
async def app_error_always_400(request: Request, exc: AppError) -> JSONResponse:
    body = {"code": exc.code, "detail": exc.message, "errors": []}
    return JSONResponse(body, status_code=400)


@mistake("app_error_handler", code="status-200")
async def app_error_status_200(request: Request, exc: AppError) -> JSONResponse:
    return JSONResponse({"code": exc.code, "detail": exc.message, "errors": []})


@mistake("app_error_handler", code="returns-dict")
async def app_error_returns_dict(request: Request, exc: AppError) -> dict:
    return {"code": exc.code, "detail": exc.message, "errors": []}


@mistake("app_error_handler", code="wrong-keys")
async def app_error_wrong_keys(request: Request, exc: AppError) -> JSONResponse:
    return JSONResponse({"error": exc.message}, status_code=exc.status_code, headers=exc.headers)


@mistake("app_error_handler", code="no-bearer-header")
async def app_error_forgets_headers(request: Request, exc: AppError) -> JSONResponse:
    body = {"code": exc.code, "detail": exc.message, "errors": []}
    return JSONResponse(body, status_code=exc.status_code)


@mistake("app_error_handler", code="raises-http-exception")
async def app_error_raises_http_exception(request: Request, exc: AppError) -> JSONResponse:
    raise HTTPException(status_code=exc.status_code, detail=exc.message, headers=exc.headers)


@mistake("validation_error_handler", code="errors-echo-input")
async def validation_errors_raw(request: Request, exc: RequestValidationError) -> JSONResponse:
    body = {"code": "validation_error", "detail": "Invalid request.", "errors": exc.errors()}
    return JSONResponse(body, status_code=422)


@mistake("validation_error_handler", code="not-422")
async def validation_error_status_400(
    request: Request, exc: RequestValidationError
) -> JSONResponse:
    errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
    body = {"code": "validation_error", "detail": "Invalid request.", "errors": errors}
    return JSONResponse(body, status_code=400)


@mistake("validation_error_handler", code="errors-not-dicts")
async def validation_error_messages_only(
    request: Request, exc: RequestValidationError
) -> JSONResponse:
    errors = [e["msg"] for e in exc.errors()]
    body = {"code": "validation_error", "detail": "Invalid request.", "errors": errors}
    return JSONResponse(body, status_code=422)


@mistake("app_error_handler", code="errors-not-empty-list")
async def app_error_errors_none(request: Request, exc: AppError) -> JSONResponse:
    body = {"code": exc.code, "detail": exc.message, "errors": None}
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


@mistake("app_error_handler", code="bearer-everywhere")
async def app_error_bearer_everywhere(request: Request, exc: AppError) -> JSONResponse:
    body = {"code": exc.code, "detail": exc.message, "errors": []}
    return JSONResponse(body, status_code=exc.status_code, headers={"WWW-Authenticate": "Bearer"})


@mistake("validation_error_handler", code="wrong-number-of-errors")
async def validation_error_first_only(
    request: Request, exc: RequestValidationError
) -> JSONResponse:
    e = exc.errors()[0]  # "each request has one problem": not when two fields are wrong
    errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]}]
    body = {"code": "validation_error", "detail": "Invalid request.", "errors": errors}
    return JSONResponse(body, status_code=422)


@mistake("validation_error_handler", code="extra-keys")
async def validation_error_keeps_ctx(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [{k: v for k, v in e.items() if k != "input"} for e in exc.errors()]
    body = {"code": "validation_error", "detail": "Invalid request.", "errors": errors}
    return JSONResponse(body, status_code=422)


@mistake("validation_error_handler", code="errors-not-called")
async def validation_errors_not_called(
    request: Request, exc: RequestValidationError
) -> JSONResponse:
    errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors]
    body = {"code": "validation_error", "detail": "Invalid request.", "errors": errors}
    return JSONResponse(body, status_code=422)


@mistake("validation_error_handler", code="detail-echoes-input")
async def validation_error_detail_echoes_input(
    request: Request, exc: RequestValidationError
) -> JSONResponse:
    errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
    body = {"code": "validation_error", "detail": str(exc), "errors": errors}  # str(exc): inputs
    return JSONResponse(body, status_code=422)


@mistake("app_error_handler", code="body-not-json")
async def app_error_plain_text(request: Request, exc: AppError) -> PlainTextResponse:
    return PlainTextResponse(exc.message, status_code=exc.status_code, headers=exc.headers)


@mistake("app_error_handler", code="wrong-field")
async def app_error_code_is_class_name(request: Request, exc: AppError) -> JSONResponse:
    body = {"code": type(exc).__name__, "detail": exc.message, "errors": []}  # not exc.code
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


@mistake("validation_error_handler", code="missing-keys")
async def validation_error_without_type(
    request: Request, exc: RequestValidationError
) -> JSONResponse:
    errors = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
    body = {"code": "validation_error", "detail": "Invalid request.", "errors": errors}
    return JSONResponse(body, status_code=422)


@mistake("validation_error_handler", code="wrong-errors")
async def validation_error_field_name_only(
    request: Request, exc: RequestValidationError
) -> JSONResponse:
    errors = [{"loc": e["loc"][-1], "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
    body = {"code": "validation_error", "detail": "Invalid request.", "errors": errors}
    return JSONResponse(body, status_code=422)


@mistake("validation_error_handler", code="status-200")
async def validation_error_status_200(
    request: Request, exc: RequestValidationError
) -> JSONResponse:
    errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
    body = {"code": "validation_error", "detail": "Invalid request.", "errors": errors}
    return JSONResponse(body)  # 200, JSONResponse's default


@mistake("validation_error_handler", code="wrong-code")
async def validation_error_other_code(
    request: Request, exc: RequestValidationError
) -> JSONResponse:
    errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
    body = {"code": "invalid_request", "detail": "Invalid request.", "errors": errors}
    return JSONResponse(body, status_code=422)


@mistake("validation_error_handler", code="no-detail-sentence")
async def validation_error_detail_is_the_list(
    request: Request, exc: RequestValidationError
) -> JSONResponse:
    errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
    body = {"code": "validation_error", "detail": errors, "errors": errors}  # not a sentence
    return JSONResponse(body, status_code=422)


# register_error_handlers


@mistake("register_error_handlers", code="registers-nothing")
def register_on_a_new_app(app: FastAPI) -> None:
    app = FastAPI()  # registers on an app nobody serves
    app.add_exception_handler(AppError, app_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)


@mistake("register_error_handlers", code="is-async")
async def register_async(app: FastAPI) -> None:  # create_app would call it without await
    app.add_exception_handler(AppError, app_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)


@mistake("register_error_handlers", code="registered-on-a-subclass")
def register_on_a_subclass(app: FastAPI) -> None:
    app.add_exception_handler(NotFoundError, app_error_handler)  # a ConflictError gets past
    app.add_exception_handler(RequestValidationError, validation_error_handler)


@mistake("register_error_handlers", code="no-app-error-handler")
def register_forgets_app_error(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, validation_error_handler)


async def not_found_handler(request: Request, exc: NotFoundError) -> JSONResponse:
    body = {"code": exc.code, "detail": exc.message, "errors": []}
    return JSONResponse(body, status_code=404)


@mistake("register_error_handlers", code="domain-wrong-response")
def register_step_5_handler(app: FastAPI) -> None:
    app.add_exception_handler(AppError, not_found_handler)  # every domain error becomes a 404
    app.add_exception_handler(RequestValidationError, validation_error_handler)


@mistake("register_error_handlers", code="validation-wrong-class")
def register_on_pydantic_validation_error(app: FastAPI) -> None:
    app.add_exception_handler(AppError, app_error_handler)
    app.add_exception_handler(ValidationError, validation_error_handler)  # pydantic's class


@mistake("register_error_handlers", code="no-validation-handler")
def register_forgets_validation(app: FastAPI) -> None:
    app.add_exception_handler(AppError, app_error_handler)


async def validation_error_as_text(request: Request, exc: RequestValidationError) -> JSONResponse:
    body = {"code": "validation_error", "detail": str(exc), "errors": []}  # str(exc): the input
    return JSONResponse(body, status_code=422)


@mistake("register_error_handlers", code="echoes-input")
def register_handler_returning_str_exc(app: FastAPI) -> None:
    app.add_exception_handler(AppError, app_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_as_text)


@mistake("register_error_handlers", code="validation-wrong-response")
def register_copy_paste(app: FastAPI) -> None:
    app.add_exception_handler(AppError, app_error_handler)
    app.add_exception_handler(RequestValidationError, app_error_handler)  # line copied, not edited
