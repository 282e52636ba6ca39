from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files

from fastapi import FastAPI, Request, status
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import models  # noqa: F401 - registers every table on Base.metadata
from app.api.routes import auth, health, items, users
from app.api.routes.auth import LoginThrottle
from app.core.config import Settings, get_settings
from app.core.database import Base, make_engine, make_sessionmaker
from app.core.exceptions import (
    AnswerUnexpectedErrors,
    error_response,
    register_exception_handlers,
)
from app.core.security import set_password_cost

# Swagger UI and ReDoc come from the fastapi-offline wheel: the defaults load them from CDNs,
# and /docs renders blank in a room with no internet.
DOCS_ASSETS_URL = "/docs/assets"


def serve_docs_offline(application: FastAPI) -> None:
    """/docs and /redoc as FastAPI.setup() wires them, with every asset served by this app."""
    assets = StaticFiles(directory=str(files("fastapi_offline") / "static"))
    application.mount(DOCS_ASSETS_URL, assets, name="docs-assets")
    oauth2_redirect_url = application.swagger_ui_oauth2_redirect_url or "/docs/oauth2-redirect"

    @application.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        prefix = request.scope.get("root_path", "").rstrip("/")  # behind a proxy's path prefix
        return get_swagger_ui_html(
            openapi_url=f"{prefix}{application.openapi_url}",
            title=f"{application.title} - Swagger UI",
            swagger_js_url=f"{prefix}{DOCS_ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{prefix}{DOCS_ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{prefix}{DOCS_ASSETS_URL}/favicon.png",
            oauth2_redirect_url=f"{prefix}{oauth2_redirect_url}",
            init_oauth=application.swagger_ui_init_oauth,
            swagger_ui_parameters=application.swagger_ui_parameters,
        )

    # Where Swagger UI's "Authorize" popup lands for redirect-based OAuth2 flows.
    @application.get(oauth2_redirect_url, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @application.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        prefix = request.scope.get("root_path", "").rstrip("/")
        return get_redoc_html(
            openapi_url=f"{prefix}{application.openapi_url}",
            title=f"{application.title} - ReDoc",
            redoc_js_url=f"{prefix}{DOCS_ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{prefix}{DOCS_ASSETS_URL}/favicon.png",
            with_google_fonts=False,
        )


class BodyTooLarge(HTTPException):
    code = "content_too_large"  # Python's phrase for 413 changed in 3.13; the code must not

    def __init__(self, max_bytes: int) -> None:
        detail = f"The request body is larger than {max_bytes} bytes."
        super().__init__(status.HTTP_413_CONTENT_TOO_LARGE, detail)


class LimitBodySize:
    """Refuse a request body over `max_bytes` with a 413 before it is in memory.

    Pure ASGI, so it sees the body as it arrives: a Content-Length over the limit is refused
    before the app runs, and a body without one (chunked) as soon as the bytes read pass the
    limit. Without it a route reads any body whole: 300 MB of JSON took 600 MB of memory.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            too_large = BodyTooLarge(self.max_bytes)
            refusal = error_response(too_large.status_code, too_large.code, too_large.detail)
            await refusal(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                # An HTTPException: FastAPI re-raises it from its body parsing, and the app's
                # handler answers with the usual error shape.
                raise BodyTooLarge(self.max_bytes)
            return message

        await self.app(scope, counting_receive, send)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application. Nothing here connects to the database: the engine connects lazily."""
    settings = settings or get_settings()
    set_password_cost(settings.BCRYPT_ROUNDS)
    engine = make_engine(settings.DATABASE_URL)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if settings.CREATE_TABLES:
            async with engine.begin() as connection:
                await connection.run_sync(Base.metadata.create_all)
        yield
        await engine.dispose()

    application = FastAPI(
        title="Backend Patterns Workbook",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # serve_docs_offline serves both pages
        redoc_url=None,
    )
    application.state.settings = settings
    application.state.engine = engine
    application.state.sessionmaker = make_sessionmaker(engine)
    application.state.login_throttle = LoginThrottle(
        per_account=settings.LOGIN_FAILURES_PER_ACCOUNT,
        per_client=settings.LOGIN_FAILURES_PER_CLIENT,
        window_seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS,
    )
    application.add_middleware(LimitBodySize, max_bytes=settings.MAX_BODY_BYTES)
    register_exception_handlers(application)
    serve_docs_offline(application)
    for module in (health, auth, users, items):
        application.include_router(module.router)
    application.add_middleware(AnswerUnexpectedErrors)  # last added: wraps the others
    return application


app = create_app()
