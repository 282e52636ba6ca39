"""Fixtures for the finished package's tests.

Every database test runs on a fresh SQLite file, and also on PostgreSQL when TEST_DATABASE_URL
is a postgresql+asyncpg:// URL (its tables are emptied before each test, re-created when needed).
"""

import asyncio
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.pool import NullPool

from app import models  # noqa: F401 - registers every table on Base.metadata
from app.core.config import Settings
from app.core.database import Base, make_engine
from app.main import create_app

SOLUTIONS_DIR = Path(__file__).resolve().parents[2] / "solutions"
TEST_SECRET_KEY = "test-only-secret-key-that-is-long-enough-0123456789"
PASSWORD = "correct horse battery staple"


def _backends() -> list[Any]:
    backends = [pytest.param("sqlite", id="sqlite")]
    if os.environ.get("TEST_DATABASE_URL"):
        backends.append(pytest.param("postgres", id="postgres", marks=pytest.mark.postgres))
    return backends


async def _reset_schema(url: str, *, create: bool) -> None:
    engine = make_engine(url, poolclass=NullPool)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.drop_all)
        await connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        if create:
            await connection.run_sync(Base.metadata.create_all)
    await engine.dispose()


def run_sql(url: str, statement: str, **params: Any) -> list[Any]:
    """Run one statement on a private connection and return its rows (none for writes)."""

    async def run() -> list[Any]:
        engine = make_engine(url, poolclass=NullPool)
        async with engine.begin() as connection:
            result = await connection.execute(text(statement), params)
            rows = list(result.all()) if result.returns_rows else []
        await engine.dispose()
        return rows

    # A thread of its own, so async tests can call it too (asyncio.run refuses a running loop).
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(asyncio.run, run()).result()


# PostgreSQL databases whose tables match the models: emptying them is enough between tests.
_READY_SCHEMAS: set[str] = set()


@pytest.fixture(params=_backends())
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def empty_database_url(backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
    url = os.environ["TEST_DATABASE_URL"]
    _READY_SCHEMAS.discard(url)
    asyncio.run(_reset_schema(url, create=False))
    return url


@pytest.fixture
def database_url(backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        asyncio.run(_reset_schema(url, create=True))
    elif (url := os.environ["TEST_DATABASE_URL"]) in _READY_SCHEMAS:
        tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
        run_sql(url, f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    else:
        asyncio.run(_reset_schema(url, create=True))
        _READY_SCHEMAS.add(url)
    return url


@pytest.fixture
def sql(database_url: str) -> Callable[..., list[Any]]:
    """`sql("SELECT ...", key=value)`: look at the database behind the application's back."""
    return lambda statement, **params: run_sql(database_url, statement, **params)


def make_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "ENVIRONMENT": "test",
        "DATABASE_URL": database_url,
        "SECRET_KEY": TEST_SECRET_KEY,
        "BCRYPT_ROUNDS": 4,
        "CREATE_TABLES": False,
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
def application(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(application: FastAPI) -> Iterator[TestClient]:
    # As a context manager: one event loop for the whole test, and the lifespan disposes the engine.
    with TestClient(application) as test_client:
        yield test_client


@pytest.fixture
def signup(client: TestClient) -> Callable[..., dict[str, str]]:
    """`signup(email)` registers a user, logs in and returns the Authorization header."""

    def register_and_login(email: str, password: str = PASSWORD) -> dict[str, str]:
        created = client.post("/users/", json={"email": email, "password": password})
        assert created.status_code == 201, created.text
        token = client.post("/auth/token", data={"username": email, "password": password})
        assert token.status_code == 200, token.text
        return {"Authorization": f"Bearer {token.json()['access_token']}"}

    return register_and_login


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    cases = sum(
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        for name, value in report.user_properties
        if name == "schemathesis_cases"
    )
    if cases:
        terminalreporter.write_line(f"schemathesis: {cases} generated requests checked")
