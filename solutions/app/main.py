from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app import models  # noqa: F401 - registers every table on Base.metadata
from app.api.routes import auth, health, items, users
from app.core.config import Settings, get_settings
from app.core.database import Base, make_engine, make_sessionmaker
from app.core.exceptions import register_exception_handlers
from app.core.security import set_password_cost


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

    application = FastAPI(title="Backend Patterns Workbook", version="0.1.0", lifespan=lifespan)
    application.state.settings = settings
    application.state.engine = engine
    application.state.sessionmaker = make_sessionmaker(engine)
    register_exception_handlers(application)
    for module in (health, auth, users, items):
        application.include_router(module.router)
    return application


app = create_app()
