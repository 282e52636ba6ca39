"""Notebook 08 · The assembled service: its lesson card and exercises."""

import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from answers import nb08 as answers
from answers.mistakes import nb08 as mistakes
from support.catalog import Lesson
from support.exercises import (
    CheckContext,
    Exercise,
    Incorrect,
    Mistake,
    error_summary,
    where_in_answer,
)

LESSON = Lesson(
    number="08",
    title="The assembled service",
    filename="08_assembled_service.ipynb",
    teaching_minutes=45,
    exercise_minutes=25,
    objectives=(
        "Find each notebook's pattern in the files of the finished package.",
        "Configure the service from environment variables with pydantic-settings, and make it "
        "refuse to start in production with a placeholder secret.",
        "Explain what `create_app()` builds and what its lifespan runs at startup and shutdown.",
        "Apply and undo an Alembic migration, and write one that adds a column to a table "
        "that already has rows, on SQLite too.",
        "Start the real server, call it, stop it, and run the package's tests.",
        "Write a test that fails when the code is wrong.",
    ),
    package_files=(
        "app/main.py",
        "app/core/config.py",
        "app/services/items.py",
        "alembic/env.py",
        "alembic/versions/0001_initial.py",
    ),
    key_points=(
        "Settings come from the environment; production refuses the placeholder secret "
        "before the app serves anything.",
        "`create_app(settings)` builds the app without touching the database; the lifespan "
        "runs at startup and shutdown, and `TestClient` runs it only as a context manager.",
        "The schema changes through migrations: a new NOT NULL column needs a "
        "`server_default` for the rows already there, and SQLite needs batch mode to change "
        "constraints.",
        "A server started from code is stopped in a `finally`, so nothing keeps running.",
        "A test is only worth having if it fails against a wrong implementation.",
    ),
)

CONSTRAINT = "ck_items_priority_range"


# --------------------------------------------------------------------------------------------
# Shared by the migration checks: a real SQLite database with the initial schema and one item


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


def _apply(engine: Any, migration: Callable[[Any], Any]) -> Any:
    """Run ``migration(op)`` in one transaction, as `alembic upgrade` runs a revision."""
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    with engine.begin() as connection:
        return migration(Operations(MigrationContext.configure(connection)))


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


def _insert(engine: Any, priority: Any) -> Exception | None:
    """Insert an item with ``priority`` (or none: ``...``); the error, if the database refuses."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    if priority is ...:
        statement = text("INSERT INTO items (owner_id, title) VALUES (1, 'New')")
    else:
        statement = text("INSERT INTO items (owner_id, title, priority) VALUES (1, 'New', :p)")
    try:
        with engine.begin() as connection:
            connection.execute(statement, {"p": priority})
    except DBAPIError as exc:
        return exc
    return None


def _require_migration(ctx: CheckContext, fn: Any, name: str) -> None:
    if inspect.iscoroutinefunction(fn):
        raise Incorrect(
            f"Define `{name}` with plain `def`: Alembic calls a migration synchronously "
            "and would never await it."
        )
    ctx.require_function(fn, is_async=False, name=name)


# --------------------------------------------------------------------------------------------
# priority_upgrade


def _explain_upgrade_error(exc: Exception, upgrade: Any) -> str:
    text = str(exc)
    if "NOT NULL column with default value NULL" in text:
        return (
            "SQLite refused: a NOT NULL column needs a value for the item that is already in "
            'the table. Give the column `server_default="3"`: the database fills the existing '
            "rows with it. (`default=3` is applied by SQLAlchemy to rows the app inserts later, "
            "never by the database to rows already there.)"
        )
    if "is expected to be one of type" in text and "str" in text:
        return (
            "`server_default` takes SQL text, so pass it a string: "
            '`server_default="3"`, not the number 3.'
        )
    if "ALTER of constraints in SQLite" in text:
        return (
            "SQLite cannot add a constraint to an existing table. Do the change inside "
            '`with op.batch_alter_table("items") as batch:` and call '
            "`batch.add_column(...)` and `batch.create_check_constraint(...)` on it: batch mode "
            "rebuilds the table with the constraint."
        )
    return (
        f"`upgrade` raised {error_summary(exc)}{where_in_answer(upgrade, exc)}. Fix it, run "
        "your cell again, then this check."
    )


async def check_priority_upgrade(ctx: CheckContext, upgrade: Any) -> None:
    _require_migration(ctx, upgrade, "upgrade")
    with _initial_database() as engine:
        try:
            _apply(engine, upgrade)
        except Exception as exc:
            raise Incorrect(_explain_upgrade_error(exc, upgrade)) from None
        _check_priority_column(engine)


def _check_priority_column(engine: Any) -> None:
    from sqlalchemy import Integer, text
    from sqlalchemy import inspect as inspect_db

    columns = {c["name"]: c for c in inspect_db(engine).get_columns("items")}
    if "priority" not in columns:
        raise Incorrect(
            "`upgrade` ran, but the `items` table has no `priority` column: add it with "
            '`batch.add_column(sa.Column("priority", sa.Integer(), ...))`.'
        )
    if not isinstance(columns["priority"]["type"], Integer):
        raise Incorrect(
            f"`priority` has the type {columns['priority']['type']}; make it `sa.Integer()`."
        )
    with engine.connect() as connection:
        existing = connection.execute(text("SELECT priority FROM items")).scalar_one()
    if existing != 3:
        raise Incorrect(
            f"The item that was already in the table has priority {existing!r}, not 3. Give the "
            'column `server_default="3"`: the database fills the existing rows with it.'
        )
    if columns["priority"]["nullable"] or _insert(engine, None) is None:
        raise Incorrect(
            "The database accepts an item whose priority is NULL. Declare the column "
            "`nullable=False`: every item has a priority."
        )
    if _insert(engine, ...) is not None:
        raise Incorrect(
            "An item inserted without a priority was refused: the column needs "
            '`server_default="3"`.'
        )
    for wrong in (0, 6):
        if _insert(engine, wrong) is None:
            raise Incorrect(
                f"The database accepts priority {wrong}. Add a CHECK constraint: "
                f'`batch.create_check_constraint("{CONSTRAINT}", "priority BETWEEN 1 AND 5")`, '
                "so that no code path, not even a script with raw SQL, can store it."
            )
    for right in (1, 5):
        refused = _insert(engine, right)
        if refused is not None:
            raise Incorrect(
                f"The database refuses priority {right} ({error_summary(refused)}): "
                "1 to 5 must be allowed, both ends included."
            )


# --------------------------------------------------------------------------------------------
# priority_downgrade


def _explain_downgrade_error(exc: Exception, downgrade: Any) -> str:
    text = str(exc)
    if "after drop column" in text or "ALTER of constraints in SQLite" in text:
        return (
            "SQLite refused to alter the table in place: its CHECK constraint names "
            '`priority`. Use batch mode, `with op.batch_alter_table("items") as batch:`, '
            "which rebuilds the table without the column, and make the changes on `batch`."
        )
    if "no such column: priority" in text:
        return (
            "Batch mode rebuilt the table with its CHECK constraint, and the constraint still "
            f'names `priority`. Call `batch.drop_constraint("{CONSTRAINT}", type_="check")` '
            'before `batch.drop_column("priority")`.'
        )
    return (
        f"`downgrade` raised {error_summary(exc)}{where_in_answer(downgrade, exc)}. Fix it, "
        "run your cell again, then this check."
    )


async def check_priority_downgrade(ctx: CheckContext, downgrade: Any) -> None:
    from sqlalchemy import text

    _require_migration(ctx, downgrade, "downgrade")
    with _initial_database() as engine:
        before = _items_schema(engine)
        _apply(engine, answers.upgrade)
        try:
            _apply(engine, downgrade)
        except Exception as exc:
            raise Incorrect(_explain_downgrade_error(exc, downgrade)) from None
        after = _items_schema(engine)
        if not after:
            raise Incorrect(
                "`downgrade` dropped the whole `items` table, and every item with it. Undo only "
                "what the upgrade did: drop only the column and its constraint."
            )
        if any(name == "priority" for name, *_ in after["columns"]):
            raise Incorrect(
                'The `priority` column is still there: add `batch.drop_column("priority")`.'
            )
        if after != before:
            raise Incorrect(
                "The `items` table is not what it was before the upgrade (columns, constraints, "
                "index or foreign key differ): undo exactly what the upgrade did, nothing more."
            )
        with engine.connect() as connection:
            titles = connection.execute(text("SELECT title FROM items")).scalars().all()
        if titles != ["Existing"]:
            raise Incorrect(
                "The item that was in the table is gone: drop only the column, keep the rows."
            )
        _apply(engine, answers.upgrade)  # reversible: the upgrade runs again after it


# --------------------------------------------------------------------------------------------
# priority_test: the learner's test against a correct service and broken ones


def _priority_service(
    *,
    low: int | None = 1,
    high: int | None = 5,
    default: int = 3,
    keeps_priority: bool = True,
    always_fails: bool = False,
):
    """A small in-memory items service with a `priority` field, right or broken on purpose."""
    from fastapi import FastAPI
    from fastapi.responses import JSONResponse
    from pydantic import BaseModel, ConfigDict, Field

    class PriorityItemCreate(BaseModel):
        model_config = ConfigDict(extra="forbid")
        title: str = Field(min_length=1, max_length=200)
        priority: int = Field(default, ge=low, le=high)

    service = FastAPI()
    stored: list[dict[str, Any]] = []

    @service.post("/items/", status_code=201)
    async def create_item(item_in: PriorityItemCreate) -> Any:
        if always_fails:
            return JSONResponse({"detail": "Internal server error."}, status_code=500)
        priority = item_in.priority if keeps_priority else default
        item = {"id": len(stored) + 1, "title": item_in.title, "priority": priority}
        stored.append(item)
        return item

    return service


# What each broken service gets wrong, and what a test that misses it should add.
BROKEN_SERVICES: list[tuple[dict[str, Any], str]] = [
    (
        {"always_fails": True},
        "Your test passed against a service that answers every request with 500: it never "
        "looks at the responses, so it cannot fail. Add `assert` statements on the status "
        "code and on the returned priority.",
    ),
    (
        {"high": None},
        "Your test passed against a service that accepts priority 6: a test that cannot catch "
        "that bug proves nothing about it. Post a priority of 6 and assert the status is 422.",
    ),
    (
        {"low": None},
        "Your test passed against a service that accepts priority 0. Test both ends of the "
        "range: post a priority of 0 too, and assert the status is 422.",
    ),
    (
        {"keeps_priority": False},
        "Your test passed against a service that ignores the priority the client sends and "
        "always stores 3. Post a priority of 5 and assert the response's `priority` is 5.",
    ),
    (
        {"default": 1},
        "Your test passed against a service that gives new items priority 1 by default. Post "
        "an item without a priority and assert the response's `priority` is 3.",
    ),
]


def _run_test(test: Callable[[Any], Any], **broken: Any) -> Exception | None:
    """Run the learner's test on a fresh service; the exception it raised, if it failed."""
    from fastapi.testclient import TestClient

    with TestClient(_priority_service(**broken), raise_server_exceptions=False) as client:
        try:
            test(client)
        except Exception as exc:
            return exc
    return None


async def check_priority_test(ctx: CheckContext, test: Any) -> None:
    if inspect.iscoroutinefunction(test):
        raise Incorrect(
            "Define `test_priority` with plain `def`: `TestClient` is synchronous, and a test "
            "written with `async def` would never run its body."
        )
    ctx.require_function(test, is_async=False, name="test_priority")
    failed = _run_test(test)
    if failed is not None:
        raise Incorrect(
            f"Your test failed against the correct service ({error_summary(failed)}), and a "
            "test must pass when the code is right. The correct service answers 201 with "
            "priority 3 by default, the priority sent from 1 to 5, and 422 outside that range."
        )
    for broken, message in BROKEN_SERVICES:
        if _run_test(test, **broken) is None:
            raise Incorrect(message)


EXERCISES = [
    Exercise(
        id="priority_upgrade",
        title="A migration that adds `priority` to a table that has rows",
        check=check_priority_upgrade,
        answer=answers.upgrade,
        hints=[
            "Three things: a NOT NULL integer column, a value for the rows already there "
            '(`server_default="3"`, a string of SQL), and a CHECK constraint. SQLite can add a '
            "column in place but not a constraint: use "
            '`with op.batch_alter_table("items") as batch:`.',
            'Inside the `with`: `batch.add_column(sa.Column("priority", sa.Integer(), '
            'nullable=False, server_default="3"))`, then '
            f'`batch.create_check_constraint("{CONSTRAINT}", "priority BETWEEN 1 AND 5")`.',
        ],
        mistakes=[
            Mistake(mistakes.upgrade_without_server_default, says='server_default="3"'),
            Mistake(mistakes.upgrade_with_python_default, says="`default=3` is applied by"),
            Mistake(mistakes.upgrade_with_integer_server_default, says="string"),
            Mistake(mistakes.upgrade_nullable, says="nullable=False"),
            Mistake(mistakes.upgrade_without_check, says="CHECK constraint"),
            Mistake(mistakes.upgrade_constraint_outside_batch, says="batch_alter_table"),
        ],
        kind="function",
        success="Existing items got priority 3, and the database itself refuses 0 and 6.",
    ),
    Exercise(
        id="priority_downgrade",
        title="A downgrade that undoes it, on SQLite too",
        check=check_priority_downgrade,
        answer=answers.downgrade,
        hints=[
            "Undo the upgrade in reverse order, inside "
            '`with op.batch_alter_table("items") as batch:`: SQLite rebuilds the table, and '
            "the rebuilt table must not keep a constraint that names a column it no longer has.",
            f'`batch.drop_constraint("{CONSTRAINT}", type_="check")`, then '
            '`batch.drop_column("priority")`.',
        ],
        mistakes=[
            Mistake(mistakes.downgrade_plain_drop_column, says="batch_alter_table"),
            Mistake(mistakes.downgrade_keeps_the_constraint, says="drop_constraint"),
            Mistake(mistakes.downgrade_drops_the_table, says="drop only the column"),
        ],
        kind="function",
        success="The table is back as it was, with its rows: the migration is reversible.",
    ),
    Exercise(
        id="priority_test",
        title="A test that fails when the code is wrong",
        check=check_priority_test,
        answer=answers.test_priority,
        hints=[
            "Four requests: an item without a priority (201, priority 3), one with priority 5 "
            "(priority 5 in the response), and priorities 0 and 6 (422 each). Assert on each.",
            '`created = client.post("/items/", json={"title": "Water the plants"})`, then '
            '`assert created.status_code == 201` and `assert created.json()["priority"] == 3`; '
            "the same for 5, and a loop over `(0, 6)` asserting `status_code == 422`.",
        ],
        mistakes=[
            Mistake(mistakes.test_priority_without_asserts, says="never looks at the responses"),
            Mistake(mistakes.test_priority_happy_path_only, says="accepts priority 6"),
            Mistake(mistakes.test_priority_upper_bound_only, says="accepts priority 0"),
            Mistake(mistakes.test_priority_expects_400, says="must pass when the code is right"),
        ],
        kind="function",
        success="Your test passes on the correct service and fails on each of five broken ones.",
    ),
]
