"""The define_note check's helpers: the columns it asks for, timestamps the database sets."""

from __future__ import annotations

import re
from typing import Any

from support.exercises import Incorrect, error_summary

_NOT_NULL = re.compile(r"NOT NULL constraint failed: \w+\.(\w+)")


def _refused_column(exc: Exception) -> str | None:
    """The column an IntegrityError's NOT NULL refusal names, if it is one."""
    match = _NOT_NULL.search(str(exc))
    return match.group(1) if match else None


NOTE_COLUMNS = ("id", "owner_id", "title", "body", "created_at")


def _not_null_fix(column: str) -> str:
    """What to change when the database refused NULL in `column` for a note that left it empty."""
    if column == "created_at":
        return (
            "Nothing fills it in: give it `server_default=func.now()`, so the database sets it "
            "on every INSERT."
        )
    if column == "body":
        return "`body` is optional: annotate it `Mapped[str | None]`, which allows NULL."
    return (
        f"`{column}` is required, but the task does not list it as one: only `title` and "
        "`owner_id` must be given."
    )


def _uses_a_global_base(define_note: Any) -> str | None:
    """The parameter's name if `define_note` builds its class on a global `Base` instead."""
    code = getattr(define_note, "__code__", None)
    if code is None or "Base" not in code.co_names or "Base" in code.co_varnames:
        return None
    return code.co_varnames[0] if code.co_argcount else ""


async def _must_be_refused(session: Any, row: Any, message: str, *, code: str) -> None:
    """The database must refuse ``row``; if it is saved, the learner hears ``message``."""
    from sqlalchemy.exc import IntegrityError

    session.add(row)
    try:
        await session.flush()
    except IntegrityError:
        await session.rollback()
    else:
        raise Incorrect(message, code=code)


async def _delete_one_note(Session: Any, Note: Any, User: Any, owner_id: int) -> None:
    """Deleting a note must leave its owner, and the owner's other notes, alone."""
    from sqlalchemy import func, select
    from sqlalchemy.exc import IntegrityError

    async with Session() as session:
        second = Note(owner_id=owner_id, title="Buy milk")  # a title the first note has too
        session.add(second)
        try:
            await session.commit()
        except IntegrityError as exc:
            raise Incorrect(
                "A user's second note titled 'Buy milk' was refused "
                f"({error_summary(exc.orig or exc)}): two notes may share a title. Remove "
                "`unique=True` from `title`.",
                code="title-unique",
            ) from exc
        await session.delete(second)
        await session.commit()
    async with Session() as session:
        users = await session.scalar(select(func.count()).select_from(User))
    if not users:
        raise Incorrect(
            "Deleting one note deleted its owner too (and with the owner, their other notes): "
            "a delete `cascade` on `Note.owner` runs from the note to the user. A cascade "
            "belongs on the parent's side, `User.notes`, which the check already has: remove "
            '`cascade=...` from `owner`, `relationship(back_populates="notes")`.',
            code="cascade-on-child",
        )


async def _check_created_by_the_database(Session: Any, owner_id: int) -> None:
    """A writer that is not this model (a script, plain SQL) must get `created_at` too."""
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    insert = "INSERT INTO notes (owner_id, title{}) VALUES (:owner_id, 'From a script'{})"
    async with Session() as session:  # never committed: the rows go when it closes
        try:
            await session.execute(text(insert.format("", "")), {"owner_id": owner_id})
            stamped = await session.scalar(
                text("SELECT created_at FROM notes WHERE title = 'From a script'")
            )
        except IntegrityError as exc:
            column = _refused_column(exc)
            if column != "created_at":
                raise Incorrect(
                    "A note inserted with plain SQL, with only an owner and a title, was "
                    "refused: "
                    + (_not_null_fix(column) if column else error_summary(exc.orig or exc)),
                    code="plain-insert-refused",
                ) from exc
            stamped = None
    if stamped is None:
        raise Incorrect(
            "A note inserted with plain SQL (as a script or another service would) got no "
            "`created_at`: the value is set by Python, not by the database. Replace "
            "`default=...` with `server_default=func.now()`, so the database sets it for "
            "every writer.",
            code="created-at-set-by-python",
        )
    async with Session() as session:
        try:
            await session.execute(
                text(insert.format(", created_at", ", NULL")), {"owner_id": owner_id}
            )
        except IntegrityError:
            return
    raise Incorrect(
        "`created_at` accepted NULL: a note must always have one. Annotate it "
        "`Mapped[datetime]`, not `Mapped[datetime | None]`, which makes the column NOT NULL.",
        code="created-at-nullable",
    )
