"""The Alembic migration builds exactly the models' schema, and undoes it."""

import asyncio
import gc
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.pool import NullPool

from app.core.config import get_settings
from app.core.database import Base, make_engine

SOLUTIONS_DIR = Path(__file__).resolve().parents[2] / "solutions"


@pytest.fixture
def alembic_config(empty_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Config]:
    # env.py reads the URL from the app's settings, as `alembic upgrade head` does.
    monkeypatch.setenv("DATABASE_URL", empty_database_url)
    get_settings.cache_clear()
    config = Config(str(SOLUTIONS_DIR / "alembic.ini"))
    config.attributes["configure_logger"] = False
    yield config
    get_settings.cache_clear()


def _schema_state(url: str) -> tuple[list[object], set[str]]:
    def inspect_sync(connection) -> tuple[list[object], set[str]]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata), set(inspect(connection).get_table_names())

    async def run() -> tuple[list[object], set[str]]:
        engine = make_engine(url, poolclass=NullPool)
        async with engine.connect() as connection:
            state = await connection.run_sync(inspect_sync)
        await engine.dispose()
        return state

    return asyncio.run(run())


def test_upgrade_matches_the_models_and_downgrade_removes_them(
    alembic_config: Config, empty_database_url: str
) -> None:
    command.upgrade(alembic_config, "head")
    diffs, tables = _schema_state(empty_database_url)

    assert diffs == []
    assert tables == {"alembic_version", "users", "items"}

    command.downgrade(alembic_config, "base")
    _, tables = _schema_state(empty_database_url)

    assert tables <= {"alembic_version"}

    command.upgrade(alembic_config, "head")
    assert _schema_state(empty_database_url)[0] == []


def test_alembic_command_line_from_the_solutions_directory(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    env = {**os.environ, "DATABASE_URL": url}

    result = subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=SOLUTIONS_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "Running upgrade  -> 0001" in result.stderr
    assert _schema_state(url) == ([], {"alembic_version", "users", "items"})


def test_a_config_attribute_names_the_database_instead_of_the_environment(
    alembic_config: Config, empty_database_url: str, tmp_path: Path
) -> None:
    """What notebook 08 does: migrate a database the caller names, whatever DATABASE_URL says."""
    named = f"sqlite+aiosqlite:///{tmp_path / 'named.db'}"
    alembic_config.attributes["database_url"] = named

    command.upgrade(alembic_config, "head")

    assert _schema_state(named) == ([], {"alembic_version", "users", "items"})
    assert _schema_state(empty_database_url)[1] == set()  # DATABASE_URL's database untouched


def test_called_inside_a_running_event_loop_the_error_names_the_fix(
    alembic_config: Config, recwarn: pytest.WarningsRecorder
) -> None:
    """A notebook cell or an async app calling `command.upgrade` directly: a clear error, and
    no coroutine left behind to warn later under someone else's cell."""

    async def from_inside_a_loop() -> None:
        command.upgrade(alembic_config, "head")

    with pytest.raises(RuntimeError, match=r"asyncio\.to_thread"):
        asyncio.run(from_inside_a_loop())
    gc.collect()
    assert not [w for w in recwarn if "never awaited" in str(w.message)]


def test_0002_keeps_the_rows_and_ids_and_undoes_cleanly(
    alembic_config: Config, empty_database_url: str
) -> None:
    command.upgrade(alembic_config, "0001")
    run_sql(empty_database_url, INSERT_USERS)
    run_sql(empty_database_url, "INSERT INTO items (owner_id, title) VALUES (2, 'kept')")

    command.upgrade(alembic_config, "0002")
    after = run_sql(empty_database_url, "SELECT id, email, token_version FROM users ORDER BY id")
    items = run_sql(empty_database_url, "SELECT id, owner_id, title FROM items")
    command.downgrade(alembic_config, "0001")
    columns = run_sql(empty_database_url, "SELECT * FROM users ORDER BY id")

    assert [tuple(row) for row in after] == [(1, "a@example.com", 0), (2, "b@example.com", 0)]
    assert [tuple(row) for row in items] == [(1, 2, "kept")]
    assert [len(row) for row in columns] == [5, 5]  # token_version gone, rows kept
    command.upgrade(alembic_config, "head")
    assert _schema_state(empty_database_url)[0] == []


def test_after_the_migrations_sqlite_never_reuses_an_id(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'ids.db'}"
    config = Config(str(SOLUTIONS_DIR / "alembic.ini"))
    config.attributes.update(configure_logger=False, database_url=url)
    command.upgrade(config, "head")

    run_sql(url, INSERT_USERS)
    run_sql(url, "DELETE FROM users WHERE id = 2")
    run_sql(url, "INSERT INTO users (email, hashed_password) VALUES ('c@example.com', 'x')")

    assert [row.id for row in run_sql(url, "SELECT id FROM users ORDER BY id")] == [1, 3]
    tables = run_sql(url, "SELECT sql FROM sqlite_master WHERE name IN ('users', 'items')")
    assert all("AUTOINCREMENT" in row.sql for row in tables)


INSERT_USERS = (
    "INSERT INTO users (email, hashed_password) "
    "VALUES ('a@example.com', 'x'), ('b@example.com', 'x')"
)


def run_sql(url: str, statement: str) -> list[Any]:
    async def run() -> list[Any]:
        engine = make_engine(url, poolclass=NullPool)
        async with engine.begin() as connection:
            result = await connection.execute(text(statement))
            rows = list(result.all()) if result.returns_rows else []
        await engine.dispose()
        return rows

    return asyncio.run(run())
