"""Answers to notebook 08 · The assembled service."""

from contextlib import asynccontextmanager

import sqlalchemy as sa
from fastapi import FastAPI

from app.api.routes import auth, health, items, users
from app.api.routes.auth import LoginThrottle
from app.core.config import Settings
from app.core.database import Base, make_engine, make_sessionmaker
from app.core.exceptions import register_exception_handlers


def build_app(settings: Settings) -> FastAPI:
    # Lazy: the engine connects at its first query, so building the app touches no database.
    engine = make_engine(settings.DATABASE_URL)

    @asynccontextmanager
    async def lifespan(application: FastAPI):
        if settings.CREATE_TABLES:
            async with engine.begin() as connection:  # begin(): the CREATE TABLEs are committed
                await connection.run_sync(Base.metadata.create_all)
        yield
        await engine.dispose()  # shutdown: close the pool's connections

    application = FastAPI(lifespan=lifespan)
    # What the dependencies read from request.app.state: get_db, get_current_user, the login.
    application.state.settings = settings
    application.state.engine = engine
    application.state.sessionmaker = make_sessionmaker(engine)
    application.state.login_throttle = LoginThrottle(
        per_account=settings.LOGIN_FAILURES_PER_ACCOUNT,
        per_client=settings.LOGIN_FAILURES_PER_CLIENT,
        window_seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS,
    )
    register_exception_handlers(application)
    for module in (health, auth, users, items):
        application.include_router(module.router)
    return application


def upgrade(op) -> None:
    # SQLite cannot add a constraint to an existing table: batch mode rebuilds the table.
    # Reflection does not see AUTOINCREMENT (revision 0002): the copy must be told again.
    with op.batch_alter_table("items", table_kwargs={"sqlite_autoincrement": True}) as batch:
        # server_default, not default: the database fills the rows that already exist.
        batch.add_column(sa.Column("priority", sa.Integer(), nullable=False, server_default="3"))
        # op.f: the name is final. Without it the naming convention adds a second "ck_items_".
        batch.create_check_constraint(op.f("ck_items_priority_range"), "priority BETWEEN 1 AND 5")


def downgrade(op) -> None:
    # The reverse order: on PostgreSQL, dropping the column first would drop its constraint too.
    with op.batch_alter_table("items", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_constraint(op.f("ck_items_priority_range"), type_="check")
        batch.drop_column("priority")


def test_priority(client) -> None:
    created = client.post("/items/", json={"title": "Water the plants"})
    assert created.status_code == 201
    assert created.json()["priority"] == 3
    for at_the_edge in (1, 5):
        accepted = client.post("/items/", json={"title": "Fix the leak", "priority": at_the_edge})
        assert accepted.status_code == 201
        assert accepted.json()["priority"] == at_the_edge
    for out_of_range in (0, 6):
        rejected = client.post("/items/", json={"title": "Nap", "priority": out_of_range})
        assert rejected.status_code == 422
