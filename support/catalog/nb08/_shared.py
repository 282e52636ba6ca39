"""What notebook 08's checks share: the migrations applied, watched and their schema read."""

import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from support.exercises import CheckContext, Incorrect

CONSTRAINT = "ck_items_priority_range"


@contextmanager
def _initial_database() -> Iterator[Any]:
    """A sync engine on a fresh SQLite file holding the package's initial schema and one item."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    import app.models  # noqa: F401 - registers the tables on Base.metadata
    from app.core.database import Base
    from support.notebook import fresh_database_url

    url = make_url(fresh_database_url("check")).set(drivername="sqlite")
    engine = create_engine(url)
    try:
        Base.metadata.create_all(engine)
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO users (email, hashed_password) VALUES ('ada@example.com', 'x')")
            )
            connection.execute(text("INSERT INTO items (owner_id, title) VALUES (1, 'Existing')"))
        yield engine
    finally:
        engine.dispose()


class BatchClosed(Exception):
    """A batch operation called after its `with op.batch_alter_table(...)` block had ended."""


class _ClosedBatch:
    def __getattr__(self, name: str) -> Any:
        raise BatchClosed("the batch_alter_table block had already ended")


def _watched_operations(connection: Any, calls: list[str]) -> Any:
    """A real ``op`` with the package's target metadata (as `env.py` configures it), whose batch
    blocks record the order of their operations and refuse any call made after the block."""
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    from app.core.database import Base

    class WatchedOperations(Operations):
        @contextmanager
        def batch_alter_table(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
            with super().batch_alter_table(*args, **kwargs) as batch:
                invoke = batch.invoke

                def recorded(operation: Any) -> Any:
                    calls.append(type(operation).__name__)
                    return invoke(operation)

                batch.invoke = recorded
                yield batch
            batch.impl = _ClosedBatch()  # Alembic would silently ignore what comes after

    context = MigrationContext.configure(connection, opts={"target_metadata": Base.metadata})
    return WatchedOperations(context)


def _apply(engine: Any, migration: Callable[[Any], Any], calls: list[str] | None = None) -> Any:
    """Run ``migration(op)`` in one transaction, as `alembic upgrade` runs a revision."""
    with engine.begin() as connection:
        return migration(_watched_operations(connection, [] if calls is None else calls))


def _items_schema(engine: Any) -> dict[str, Any]:
    from sqlalchemy import inspect as inspect_db

    found = inspect_db(engine)
    if "items" not in found.get_table_names():
        return {}
    return {
        "columns": [(c["name"], str(c["type"]), c["nullable"]) for c in found.get_columns("items")],
        "checks": sorted(c["name"] or "" for c in found.get_check_constraints("items")),
        "indexes": sorted(i["name"] for i in found.get_indexes("items")),
        "foreign_keys": [
            (fk["constrained_columns"], fk["referred_table"], fk["options"].get("ondelete"))
            for fk in found.get_foreign_keys("items")
        ],
    }


def _require_migration(ctx: CheckContext, fn: Any, name: str) -> None:
    if inspect.iscoroutinefunction(fn):
        raise Incorrect(
            f"Define `{name}` with plain `def`: Alembic calls a migration synchronously "
            "and would never await it.",
            code="async-def",
        )
    ctx.require_function(fn, is_async=False, name=name)


def _keeps_autoincrement(engine: Any) -> bool:
    from sqlalchemy import text

    with engine.connect() as connection:
        found = "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'items'"
        sql = connection.scalar(text(found))
    return sql is None or "AUTOINCREMENT" in sql.upper()


def _check_ids_never_reused(kept: bool, name: str) -> None:
    if not kept:
        raise Incorrect(
            f"`{name}` works, but batch mode rebuilt `items` without `AUTOINCREMENT`, which "
            "revision 0002 gave it: SQLite would hand a deleted item's id to the next new item "
            "again. Alembic reads the table to copy it, and reading does not see "
            "`AUTOINCREMENT`: tell the copy again, with the `table_kwargs` of "
            "`op.batch_alter_table`, as 0002 does.",
            code="autoincrement-lost",
        )
