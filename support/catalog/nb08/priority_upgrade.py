"""Notebook 08 · The assembled service, exercise `priority_upgrade`: its check and hints."""

from typing import Any

from support.catalog.nb08._shared import (
    CONSTRAINT,
    BatchClosed,
    _apply,
    _check_ids_never_reused,
    _initial_database,
    _items_schema,
    _keeps_autoincrement,
    _require_migration,
)
from support.exercises import CheckContext, Incorrect, error_summary, where_in_answer


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
    if "NOT NULL constraint failed" in text and ".priority" in text:
        return Incorrect(
            "The batch copy of `items` refused its own rows: the new `priority` column is NOT "
            "NULL, and the item already in the table has no value to copy into it. Give the "
            'column a default that the database itself applies, `server_default="3"`: it '
            "fills the rows that are already there. (`default=3` is applied by SQLAlchemy to "
            "rows the app inserts later, never to rows already there.)",
            code="batch-no-server-default",
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


async def check(ctx: CheckContext, upgrade: Any) -> None:
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


HINTS = [
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
]
