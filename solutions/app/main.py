from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files

from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from app import models  # noqa: F401 - registers every table on Base.metadata
from app.api.routes import auth, health, items, users
from app.core.config import Settings, get_settings
from app.core.database import Base, make_engine, make_sessionmaker
from app.core.exceptions import register_exception_handlers
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
    register_exception_handlers(application)
    serve_docs_offline(application)
    for module in (health, auth, users, items):
        application.include_router(module.router)
    return application


app = create_app()
