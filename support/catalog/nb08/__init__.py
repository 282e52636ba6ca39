"""Notebook 08 · The assembled service: its lesson card and exercises."""

import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from answers import nb08 as answers
from answers.alternatives import nb08 as alternatives
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
    teaching_minutes=60,
    exercise_minutes=25,
    builds_on="every notebook before it; 05 Routes (`TestClient`), 06 Security (hashing in a "
    "thread) and 07 Errors (the one error shape) most",
    objectives=(
        "Find each notebook's pattern in the files of the finished package.",
        "Configure the service from environment variables with pydantic-settings, and make it "
        "refuse to start in production with a placeholder secret.",
        "Explain what `create_app()` builds and what its lifespan runs at startup and shutdown.",
        "Apply and undo an Alembic migration, and write one that adds a column to a table "
        "that already has rows, on SQLite too.",
        "Start the real server, call it, stop it, and run the package's tests.",
        "Keep a login storm from taking the connection pool down: release the connection "
        "before slow work, and refuse with 503 and `Retry-After` when the queue is full.",
        "Explain what WAL and a busy timeout change for concurrent writers on SQLite.",
        "Write a test that fails when the code is wrong.",
    ),
    package_files=(
        "app/main.py",
        "app/core/config.py",
        "app/services/items.py",
        "alembic/env.py",
        "alembic/versions/0001_initial.py",
        "alembic/versions/0002_ids_never_reused_token_version.py",
    ),
    key_points=(
        "Settings come from the environment; production refuses the placeholder secret "
        "before the app serves anything.",
        "`create_app(settings)` builds the app without touching the database; the lifespan "
        "runs at startup and shutdown, and `TestClient` runs it only as a context manager.",
        "The schema changes through migrations: a new NOT NULL column needs a "
        "`server_default` for the rows already there, and SQLite needs batch mode to change "
        "constraints.",
        "Under load, a request that waits for slow work must not hold a pooled connection: "
        "release it first, and refuse at once (503, `Retry-After`) when the wait would be "
        "too long. On SQLite, WAL and a busy timeout make writers wait their turn.",
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
            "and would never await it.",
            code="async-def",
        )
    ctx.require_function(fn, is_async=False, name=name)


# --------------------------------------------------------------------------------------------
# priority_upgrade


def _explain_upgrade_error(exc: Exception, upgrade: Any) -> Incorrect:
    text = str(exc)
    if isinstance(exc, BatchClosed):
        return Incorrect(
            f"`upgrade` called a batch operation{where_in_answer(upgrade, exc)}, after its "
            "`with op.batch_alter_table(...)` block had ended. Alembic rebuilds the table when "
            "the block ends and silently ignores anything later: indent that line inside the "
            "block.",
            code="batch-closed",
        )
    if "requires that constraint is explicitly named" in text:
        return Incorrect(
            "Your CHECK constraint has no name, and the naming convention needs one to build "
            f"`{CONSTRAINT}` (a later migration drops a constraint by its name): give it the "
            'short name `"priority_range"`.',
            code="unnamed-constraint",
        )
    if "NOT NULL column with default value NULL" in text:
        return Incorrect(
            "SQLite refused: the new NOT NULL column has no value for the item that is already "
            "in the table. Give the column a default that the database itself applies, a "
            "`server_default`: it fills the existing rows. (`default=3` is applied by "
            "SQLAlchemy to rows the app inserts later, never by the database to rows already "
            "there.)",
            code="no-server-default",
        )
    if "is expected to be one of type" in text and "str" in text:
        return Incorrect(
            "`server_default` takes SQL text, so pass it a string: "
            '`server_default="3"`, not the number 3.',
            code="integer-server-default",
        )
    if "ALTER of constraints in SQLite" in text:
        return Incorrect(
            "SQLite cannot add a constraint to an existing table, so `op.create_check_constraint` "
            "fails there. Batch mode can: `op.batch_alter_table(...)` rebuilds the table with "
            "the changes made on it, the constraint included.",
            code="constraint-outside-batch",
        )
    return Incorrect(
        f"`upgrade` raised {error_summary(exc)}{where_in_answer(upgrade, exc)}. Fix it, run "
        "your cell again, then this check.",
        code="raised",
    )


async def check_priority_upgrade(ctx: CheckContext, upgrade: Any) -> None:
    _require_migration(ctx, upgrade, "upgrade")
    with _initial_database() as engine:
        before = _items_schema(engine)
        try:
            _apply(engine, upgrade)
        except Exception as exc:
            raise _explain_upgrade_error(exc, upgrade) from None
        _check_priority_column(engine)
        _check_rest_of_table(before, _items_schema(engine))
        _check_ids_never_reused(_keeps_autoincrement(engine), "upgrade")


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


def _check_rest_of_table(before: dict[str, Any], after: dict[str, Any]) -> None:
    """Everything the upgrade was not asked to change is as it was."""
    lost = [
        f"the foreign key on {', '.join(fk[0])}"
        for fk in before["foreign_keys"]
        if fk not in after["foreign_keys"]
    ] + [f"the index `{name}`" for name in before["indexes"] if name not in after["indexes"]]
    if lost:
        raise Incorrect(
            f"After `upgrade` the `items` table has lost {' and '.join(lost)}: the table was "
            "rebuilt without them. Let batch mode rebuild it, `with op.batch_alter_table("
            '"items") as batch:`: it copies every column, index and constraint the table had, '
            "and adds yours.",
            code="rebuilt-table-lost-schema",
        )


def _check_priority_column(engine: Any) -> None:
    from sqlalchemy import Integer, text
    from sqlalchemy import inspect as inspect_db

    columns = {c["name"]: c for c in inspect_db(engine).get_columns("items")}
    if "priority" not in columns:
        raise Incorrect(
            "`upgrade` ran, but the `items` table has no `priority` column: add it with "
            "`add_column` (inside the batch block, if you use one).",
            code="no-priority-column",
        )
    if not isinstance(columns["priority"]["type"], Integer):
        raise Incorrect(
            f"`priority` has the type {columns['priority']['type']}; make it `sa.Integer()`.",
            code="not-integer",
        )
    with engine.connect() as connection:
        existing = connection.execute(text("SELECT priority FROM items")).scalars().all()
    if not existing:
        raise Incorrect(
            "The item that was in the table is gone after `upgrade`: a migration runs on a "
            "database with real data, and must keep every row. Change the table in place, "
            '`with op.batch_alter_table("items") as batch:`, instead of dropping it.',
            code="rows-lost",
        )
    existing = existing[0]
    if existing != 3:
        raise Incorrect(
            f"The item that was already in the table has priority {existing!r}, not 3. Give the "
            "column a server default of 3 (`server_default`): the database fills the existing "
            "rows with it.",
            code="existing-not-3",
        )
    if columns["priority"]["nullable"] or _insert(engine, None) is None:
        raise Incorrect(
            "The database accepts an item whose priority is NULL. Declare the column "
            "`nullable=False`: every item has a priority.",
            code="nullable",
        )
    if _insert(engine, ...) is not None:
        raise Incorrect(
            "An item inserted without a priority was refused: the column needs a server default "
            "of 3 (`server_default`), which the database applies to every insert.",
            code="no-default-for-new-rows",
        )
    for wrong in (0, 6):
        if _insert(engine, wrong) is None:
            raise Incorrect(
                f"The database accepts priority {wrong}. Add a CHECK constraint on the table "
                "(in batch mode, on SQLite), so that no code path, not even a script with raw "
                "SQL, can store it.",
                code="no-check",
            )
    for right in (1, 5):
        refused = _insert(engine, right)
        if refused is not None:
            raise Incorrect(
                f"The database refuses priority {right} ({error_summary(refused)}): "
                "1 to 5 must be allowed, both ends included.",
                code="refuses-valid",
            )
    _check_constraint_name(engine)


def _check_constraint_name(engine: Any) -> None:
    from sqlalchemy import inspect as inspect_db

    names = [c["name"] for c in inspect_db(engine).get_check_constraints("items")]
    if CONSTRAINT in names:
        return
    if f"ck_items_{CONSTRAINT}" in names:
        raise Incorrect(
            f"The constraint works, but the database knows it as `ck_items_{CONSTRAINT}`: the "
            "naming convention added its prefix to the full name you gave, as Alembic does in "
            'the package\'s migrations. Give the short name, `"priority_range"`, as the model '
            f'does, or mark the full name as final with `op.f("{CONSTRAINT}")`.',
            code="double-prefix",
        )
    raise Incorrect(
        f"The constraint works, but the database knows it as `{names[0]}`, not `{CONSTRAINT}`, "
        "the name a later migration will use to drop it. The naming convention turns the short "
        f'name `"priority_range"` into `{CONSTRAINT}`.',
        code="wrong-constraint-name",
    )


# --------------------------------------------------------------------------------------------
# priority_downgrade


def _explain_downgrade_error(exc: Exception, downgrade: Any) -> Incorrect:
    text = str(exc)
    if isinstance(exc, BatchClosed):
        return Incorrect(
            f"`downgrade` called a batch operation{where_in_answer(downgrade, exc)}, after its "
            "`with op.batch_alter_table(...)` block had ended. Alembic rebuilds the table when "
            "the block ends and silently ignores anything later: indent that line inside the "
            "block.",
            code="batch-closed",
        )
    if "after drop column" in text or "ALTER of constraints in SQLite" in text:
        return Incorrect(
            "SQLite refused to alter the table in place: its CHECK constraint names "
            "`priority`. Batch mode, `op.batch_alter_table(...)`, rebuilds the table with the "
            "changes instead: make them on the batch object.",
            code="not-batch",
        )
    if "no such column: priority" in text:
        return Incorrect(
            "Batch mode rebuilt the table with its CHECK constraint, and the constraint still "
            "names `priority`, which is gone. Remove the constraint too, by its name "
            "(`drop_constraint`), before the column.",
            code="constraint-kept",
        )
    if f"No such constraint: 'ck_items_{CONSTRAINT}'" in text:
        return Incorrect(
            f"Alembic looked for `ck_items_{CONSTRAINT}`: the naming convention added its "
            "prefix to the full name you gave, as it does in the package's migrations. Give "
            f'the short name, `"priority_range"`, or mark the full name as final with '
            f'`op.f("{CONSTRAINT}")`.',
            code="full-name-without-f",
        )
    return Incorrect(
        f"`downgrade` raised {error_summary(exc)}{where_in_answer(downgrade, exc)}. Fix it, "
        "run your cell again, then this check.",
        code="raised",
    )


async def check_priority_downgrade(ctx: CheckContext, downgrade: Any) -> None:

    _require_migration(ctx, downgrade, "downgrade")
    calls: list[str] = []
    with _initial_database() as engine:
        before = _items_schema(engine)
        _apply(engine, answers.upgrade)
        try:
            _apply(engine, downgrade, calls)
        except Exception as exc:
            raise _explain_downgrade_error(exc, downgrade) from None
        after = _items_schema(engine)
        kept = _keeps_autoincrement(engine)
        if not after:
            raise Incorrect(
                "`downgrade` dropped the whole `items` table, and every item with it. Undo only "
                "what the upgrade did: drop only the column and its constraint.",
                code="drops-table",
            )
        if any(name == "priority" for name, *_ in after["columns"]):
            raise Incorrect(
                'The `priority` column is still there: add `batch.drop_column("priority")`.',
                code="column-kept",
            )
        if after != before:
            raise Incorrect(
                "The `items` table is not what it was before the upgrade (columns, constraints, "
                "index or foreign key differ): undo exactly what the upgrade did, nothing more.",
                code="table-differs",
            )
        _apply(engine, answers.upgrade)  # reversible: the upgrade runs again after it
    dropped = [c for c in calls if c in ("DropColumnOp", "DropConstraintOp")]
    if dropped[:2] == ["DropColumnOp", "DropConstraintOp"]:
        raise Incorrect(
            "On SQLite this works, since batch mode rebuilds the table once at the end of the "
            "block, but on PostgreSQL batch mode runs each change as it comes: dropping the "
            "column drops its CHECK constraint with it, and `drop_constraint` then fails. Undo "
            "in reverse order: drop the constraint first, then the column.",
            code="column-dropped-first",
        )
    _check_ids_never_reused(kept, "downgrade")


# --------------------------------------------------------------------------------------------
# priority_test: the learner's test against a correct service and broken ones


def _priority_service(
    *,
    low: int | None = 1,
    high: int | None = 5,
    default: int = 3,
    keeps_priority: bool = True,
    always_fails: bool = False,
    refuses_with: tuple[int, int] = (422, 422),
):
    """A small in-memory items service with a `priority` field, right or broken on purpose.
    ``refuses_with`` is the status for a priority below the range, and for one above it."""
    from fastapi import FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from pydantic import BaseModel, ConfigDict, Field

    class PriorityItemCreate(BaseModel):
        model_config = ConfigDict(extra="forbid")
        title: str = Field(min_length=1, max_length=200)
        priority: int = Field(default, ge=low, le=high)

    service = FastAPI()
    stored: list[dict[str, Any]] = []

    if refuses_with != (422, 422):

        @service.exception_handler(RequestValidationError)
        async def refuse(request: Request, exc: RequestValidationError) -> JSONResponse:
            sent = [e.get("input") for e in exc.errors() if e["loc"][-1] == "priority"]
            below = bool(sent) and isinstance(sent[0], int) and sent[0] < 1
            above = bool(sent) and isinstance(sent[0], int) and sent[0] > 5
            status = refuses_with[0] if below else refuses_with[1] if above else 422
            return JSONResponse({"detail": "Refused."}, status_code=status)

    @service.post("/items/", status_code=201)
    async def create_item(item_in: PriorityItemCreate) -> Any:
        if always_fails:
            return JSONResponse({"detail": "Internal server error."}, status_code=500)
        priority = item_in.priority if keeps_priority else default
        item = {"id": len(stored) + 1, "title": item_in.title, "priority": priority}
        stored.append(item)
        return item

    return service


class _Broken(NamedTuple):
    """A service broken on purpose, what a test that passes against it misses, and its code."""

    service: dict[str, Any]
    message: str
    code: str


_EXACT = (
    "a test that only checks that a request was not accepted (`!= 201`, `>= 400`) cannot tell "
    "the two apart. Assert the exact status the service promises for every priority outside "
    "1 to 5: 422."
)

# In the order they are tried: the first one a test passes against is the one reported.
BROKEN_SERVICES: list[_Broken] = [
    _Broken(
        service={"always_fails": True},
        message="Your test passed against a service that answers every request with 500: it "
        "never looks at the responses, so it cannot fail. Add `assert` statements on the "
        "status code and on the returned priority.",
        code="passes-always-500",
    ),
    _Broken(
        service={"high": None},
        message="Your test passed against a service that accepts priority 6: a test that cannot "
        "catch that bug proves nothing about it. Post a priority of 6 and assert the status "
        "is 422.",
        code="misses-no-upper-bound",
    ),
    _Broken(
        service={"low": None},
        message="Your test passed against a service that accepts priority 0. Test both ends of "
        "the range: post a priority of 0 too, and assert the status is 422.",
        code="misses-no-lower-bound",
    ),
    _Broken(
        service={"high": 6},
        message="Your test passed against a service that accepts priority 6 and refuses only "
        "from 7 on (an off-by-one bound, `le=6`). Test the values right at the boundary, "
        "where off-by-one bugs live: post a priority of 6 and assert 422.",
        code="misses-upper-boundary",
    ),
    _Broken(
        service={"low": 0},
        message="Your test passed against a service that accepts priority 0 and refuses only "
        "from -1 down (an off-by-one bound, `ge=0`). Test the values right at the boundary, "
        "where off-by-one bugs live: post a priority of 0 and assert 422.",
        code="misses-lower-boundary",
    ),
    _Broken(
        service={"refuses_with": (400, 400)},
        message="Your test passed against a service that refuses priorities 0 and 6 with 400, "
        f"not 422: {_EXACT}",
        code="inexact-status-400",
    ),
    _Broken(
        service={"refuses_with": (400, 422)},
        message="Your test passed against a service that refuses priority 0 with 400 (and 6 "
        f"with 422): {_EXACT}",
        code="inexact-status-low",
    ),
    _Broken(
        service={"refuses_with": (422, 400)},
        message="Your test passed against a service that refuses priority 6 with 400 (and 0 "
        f"with 422): {_EXACT}",
        code="inexact-status-high",
    ),
    _Broken(
        service={"keeps_priority": False},
        message="Your test passed against a service that ignores the priority the client sends "
        "and always stores 3. Post a priority of 5 and assert the response's `priority` is 5.",
        code="misses-ignored-priority",
    ),
    _Broken(
        service={"high": 4},
        message="Your test passed against a service that refuses priority 5, the top of the "
        "range. Post a priority of 5 and assert it is created (201) with priority 5.",
        code="misses-refused-5",
    ),
    _Broken(
        service={"low": 2},
        message="Your test passed against a service that refuses priority 1, the bottom of the "
        "range. Post a priority of 1 and assert it is created (201) with priority 1.",
        code="misses-refused-1",
    ),
    _Broken(
        service={"default": 1},
        message="Your test passed against a service that gives new items priority 1 by "
        "default. Post an item without a priority and assert the response's `priority` is 3.",
        code="misses-wrong-default",
    ),
]


def _run_test(
    test: Callable[[Any], Any], exchanges: list[str] | None = None, **broken: Any
) -> Exception | None:
    """Run the learner's test on a fresh service; the exception it raised, if it failed.
    Each request and its answer are described in ``exchanges``."""
    from fastapi.testclient import TestClient

    def record(reply: Any) -> None:
        reply.read()
        if exchanges is not None:
            exchanges.append(_describe_exchange(reply))

    with TestClient(_priority_service(**broken), raise_server_exceptions=False) as client:
        client.event_hooks = {"request": [], "response": [record]}
        try:
            test(client)
        except Exception as exc:
            return exc
    return None


def _describe_exchange(reply: Any) -> str:
    """`POST /items/ {"priority": 5} answered 422 (body.title: Field required)`"""
    sent = reply.request.content.decode(errors="replace") if reply.request.content else ""
    said = ""
    try:
        detail = reply.json().get("detail")
    except ValueError:
        detail = None
    if isinstance(detail, list) and detail and isinstance(detail[0], dict):
        where = ".".join(str(part) for part in detail[0].get("loc", ()))
        said = f" ({where}: {detail[0].get('msg', '')})"
    request = f"{reply.request.method} {reply.request.url.path}"
    return f"`{request} {sent}`".replace(" `", "`") + f" answered {reply.status_code}{said}"


async def check_priority_test(ctx: CheckContext, test: Any) -> None:
    if inspect.iscoroutinefunction(test):
        raise Incorrect(
            "Define `test_priority` with plain `def`: `TestClient` is synchronous, and a test "
            "written with `async def` would never run its body.",
            code="async-def",
        )
    ctx.require_function(test, is_async=False, name="test_priority")
    exchanges: list[str] = []
    failed = _run_test(test, exchanges)
    if failed is not None:
        last = f" The last request, {exchanges[-1]}." if exchanges else ""
        raise Incorrect(
            f"Your test failed against the correct service with {error_summary(failed)}"
            f"{where_in_answer(test, failed)}, and a test must pass when the code is right."
            f"{last} The correct service answers 201 with priority 3 by default, the "
            "priority sent from 1 to 5, and 422 outside that range (or without a title).",
            code="fails-on-correct-service",
        )
    outcomes = [(_run_test(test, **broken.service), broken) for broken in BROKEN_SERVICES]
    never_fails_by_assert = not any(isinstance(failed, AssertionError) for failed, _ in outcomes)
    if never_fails_by_assert and any(failed is None for failed, _ in outcomes):
        raise Incorrect(
            "Your test never asserts: it passes against a broken service because nothing in it "
            "can fail. A comparison on a line of its own, like `r.status_code == 422`, is "
            "computed and thrown away: write `assert r.status_code == 422`.",
            code="never-asserts",
        )
    for failed, broken in outcomes:
        if failed is None:
            raise Incorrect(broken.message, code=broken.code)


EXERCISES = [
    Exercise(
        id="priority_upgrade",
        title="A migration that adds `priority` to a table that has rows",
        check=check_priority_upgrade,
        answer=answers.upgrade,
        hints=[
            "Think of the item already in the table: the moment the column appears, it needs a "
            "value, and only the database can give it one. Then think of who must refuse a "
            "priority of 6: not only the app, the table itself.",
            "Three tools. `sa.Column(name, type, nullable=..., server_default=...)`: "
            "`server_default` is SQL text (a string) that the database writes into every row "
            "that has no value, the rows already there included. "
            '`op.batch_alter_table("items")`: a `with` block whose `batch` has '
            "`add_column(column)` and `create_check_constraint(name, condition)`; SQLite needs "
            "it, since it cannot add a constraint to a table that exists, and its "
            '`table_kwargs={"sqlite_autoincrement": True}` keeps the `AUTOINCREMENT` of '
            "revision 0002 in the copy. And `op.f(name)`, which marks a full name as final, so "
            "the naming convention does not prefix it again.",
            'The shape, the blanks yours: `with op.batch_alter_table("items", '
            'table_kwargs={"sqlite_autoincrement": True}) as batch:`, and inside that block '
            "two calls, "
            '`batch.add_column(sa.Column("priority", sa.Integer(), nullable=..., '
            "server_default=...))` and "
            f'`batch.create_check_constraint(op.f("{CONSTRAINT}"), "priority BETWEEN ...")`. '
            "Both inside the block: when it ends, the table has been rebuilt.",
        ],
        mistakes=[
            Mistake(mistakes.upgrade_without_server_default, code="no-server-default"),
            Mistake(mistakes.upgrade_with_python_default, code="no-server-default"),
            Mistake(mistakes.upgrade_with_integer_server_default, code="integer-server-default"),
            Mistake(mistakes.upgrade_nullable, code="nullable"),
            Mistake(mistakes.upgrade_without_check, code="no-check"),
            Mistake(mistakes.upgrade_constraint_outside_batch, code="constraint-outside-batch"),
            Mistake(mistakes.upgrade_check_after_batch, code="batch-closed"),
            Mistake(mistakes.upgrade_full_name_without_f, code="double-prefix"),
            Mistake(mistakes.upgrade_unnamed_check, code="unnamed-constraint"),
            Mistake(mistakes.upgrade_rebuilds_items_by_hand, code="rebuilt-table-lost-schema"),
            Mistake(mistakes.upgrade_recreates_empty_table, code="rows-lost"),
            Mistake(mistakes.upgrade_priority_as_string, code="not-integer"),
            Mistake(mistakes.upgrade_default_1, code="existing-not-3"),
            Mistake(mistakes.upgrade_drops_the_default, code="no-default-for-new-rows"),
            Mistake(mistakes.upgrade_check_excludes_ends, code="refuses-valid"),
            Mistake(mistakes.upgrade_other_constraint_name, code="wrong-constraint-name"),
            Mistake(mistakes.upgrade_loses_autoincrement, code="autoincrement-lost"),
        ],
        kind="function",
        alternatives=[alternatives.upgrade_with_sql_default],
        success="Existing items got priority 3, and the database itself refuses 0 and 6.",
    ),
    Exercise(
        id="priority_downgrade",
        title="A downgrade that undoes it, on SQLite too",
        check=check_priority_downgrade,
        answer=answers.downgrade,
        hints=[
            "Undo each thing the upgrade did, the last one first. On SQLite the rebuilt table "
            "must not keep a constraint that names a column it no longer has; on PostgreSQL, "
            "dropping the column first would take its constraint with it, and dropping the "
            "constraint after that would fail.",
            'Batch mode again: `op.batch_alter_table("items", table_kwargs=...)` gives a '
            '`batch` with `drop_constraint(name, type_="check")` and `drop_column(name)`; the '
            "copy keeps `AUTOINCREMENT` only if `table_kwargs` says so, as in the upgrade. The "
            f"name to drop is the one the database knows, `{CONSTRAINT}`: pass it through "
            "`op.f(...)`, or the naming convention prefixes it a second time.",
            'The shape: one `with op.batch_alter_table("items", table_kwargs=...) as batch:` '
            "block (the same `table_kwargs` as the upgrade's), and inside it two calls in this "
            "order: `batch.drop_constraint(op.f(...), type_=...)`, then "
            "`batch.drop_column(...)`.",
        ],
        mistakes=[
            Mistake(mistakes.downgrade_plain_drop_column, code="not-batch"),
            Mistake(mistakes.downgrade_keeps_the_constraint, code="constraint-kept"),
            Mistake(mistakes.downgrade_drops_the_table, code="drops-table"),
            Mistake(mistakes.downgrade_column_first, code="column-dropped-first"),
            Mistake(mistakes.downgrade_full_name_without_f, code="full-name-without-f"),
            Mistake(mistakes.downgrade_column_after_batch, code="batch-closed"),
            Mistake(mistakes.downgrade_rebuilds_items_by_hand, code="table-differs"),
            Mistake(mistakes.downgrade_loses_autoincrement, code="autoincrement-lost"),
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
            "A test catches only the bugs it looks for. List what the service promises (what "
            "happens without a priority, with a valid one, at each end of the range) and give "
            "each promise one request and an `assert`.",
            '`response = client.post("/items/", json={...})` sends a request; '
            "`response.status_code` is its status and `response.json()` its body as a dict. "
            "A line `assert <condition>` fails the test when the condition is false (a bare "
            "comparison does nothing). A created item answers 201 with its `priority`; a "
            "refused one, 422.",
            'The shape: post `{"title": ...}` with no priority and assert 201 and a priority '
            "of 3; for each of 1 and 5 (`for value in (1, 5):`), post it and assert 201 and "
            "that very priority back; for each of 0 and 6, post it and assert the status is "
            "422.",
        ],
        mistakes=[
            Mistake(mistakes.test_priority_without_asserts, code="never-asserts"),
            Mistake(mistakes.test_priority_comparisons_without_assert, code="never-asserts"),
            Mistake(mistakes.test_priority_not_201, code="inexact-status-400"),
            Mistake(mistakes.test_priority_missing_title, code="fails-on-correct-service"),
            Mistake(mistakes.test_priority_happy_path_only, code="misses-no-upper-bound"),
            Mistake(mistakes.test_priority_upper_bound_only, code="misses-no-lower-bound"),
            Mistake(mistakes.test_priority_expects_400, code="fails-on-correct-service"),
            Mistake(mistakes.test_priority_far_outside_only, code="misses-upper-boundary"),
            Mistake(mistakes.test_priority_exact_status_at_one_end, code="inexact-status-low"),
            Mistake(mistakes.test_priority_top_of_range_only, code="misses-refused-1"),
            Mistake(mistakes.test_priority_refusals_only, code="passes-always-500"),
            Mistake(
                mistakes.test_priority_exact_status_at_the_bottom_only, code="inexact-status-high"
            ),
            Mistake(
                mistakes.test_priority_default_and_refusals_only, code="misses-ignored-priority"
            ),
            Mistake(mistakes.test_priority_minus_one, code="misses-lower-boundary"),
            Mistake(mistakes.test_priority_bottom_of_range_only, code="misses-refused-5"),
            Mistake(mistakes.test_priority_always_sends_priority, code="misses-wrong-default"),
        ],
        kind="function",
        alternatives=[alternatives.test_priority_in_loops],
        success="Your test passes on the correct service and fails on each of "
        f"{len(BROKEN_SERVICES)} broken ones.",
    ),
]
