"""Notebook 08 · The assembled service, exercise `priority_downgrade`: its check and hints."""

from typing import Any

from answers import nb08 as answers
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
    if "No such constraint" in text:
        return Incorrect(
            "Alembic found no constraint by the name you gave to `drop_constraint`: "
            "`items` has one CHECK constraint, `ck_items_priority_range`. The naming "
            "convention turns a short name into that one only when Alembic knows the kind: "
            '`batch.drop_constraint("priority_range", type_="check")`, or the full name as '
            f'final, `op.f("{CONSTRAINT}")`, with `type_="check"` too.',
            code="constraint-not-found",
        )
    return Incorrect(
        f"`downgrade` raised {error_summary(exc)}{where_in_answer(downgrade, exc)}. Fix it, "
        "run your cell again, then this check.",
        code="raised",
    )


async def check(ctx: CheckContext, downgrade: Any) -> None:

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


HINTS = [
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
]
