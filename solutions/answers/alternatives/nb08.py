"""Other correct answers to notebook 08 · The assembled service."""

from contextlib import asynccontextmanager

import sqlalchemy as sa
from fastapi import FastAPI

from app.api.routes import auth, health, items, users
from app.api.routes.auth import LoginThrottle
from app.core.config import Settings
from app.core.database import Base, make_engine, make_sessionmaker
from app.core.exceptions import register_exception_handlers


def build_app_engine_in_lifespan(settings: Settings) -> FastAPI:
    # The engine made at startup instead: nothing exists until the server starts.
    @asynccontextmanager
    async def lifespan(application: FastAPI):
        engine = make_engine(settings.DATABASE_URL)
        application.state.sessionmaker = make_sessionmaker(engine)
        if settings.CREATE_TABLES:
            async with engine.begin() as connection:
                await connection.run_sync(Base.metadata.create_all)
        try:
            yield
        finally:
            await engine.dispose()

    application = FastAPI(lifespan=lifespan)
    application.state.settings = settings
    application.state.login_throttle = LoginThrottle(
        per_account=settings.LOGIN_FAILURES_PER_ACCOUNT,
        per_client=settings.LOGIN_FAILURES_PER_CLIENT,
        window_seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS,
    )
    for router in (health.router, auth.router, users.router, items.router):
        application.include_router(router)
    register_exception_handlers(application)
    return application


def upgrade_with_sql_default(op) -> None:
    keep_ids_unique = {"sqlite_autoincrement": True}
    with op.batch_alter_table("items", table_kwargs=keep_ids_unique) as batch:
        batch.add_column(
            sa.Column("priority", sa.Integer(), nullable=False, server_default=sa.text("3"))
        )
        batch.create_check_constraint("priority_range", "priority >= 1 AND priority <= 5")


def test_priority_in_loops(client) -> None:
    created = client.post("/items/", json={"title": "Water the plants"})
    assert created.status_code == 201 and created.json()["priority"] == 3
    for priority in (1, 2, 5):
        reply = client.post("/items/", json={"title": "Fix", "priority": priority})
        assert reply.status_code == 201, reply.text
        assert reply.json()["priority"] == priority
    for priority in (0, 6, -1, 100):
        assert (
            client.post("/items/", json={"title": "Nap", "priority": priority}).status_code == 422
        )
