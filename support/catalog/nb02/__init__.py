"""Notebook 02 · Models: its lesson card and exercises."""

from __future__ import annotations

import gc
import re
import typing
import warnings
from datetime import UTC, datetime
from typing import Any

from answers import nb02 as answers
from answers.alternatives import nb02 as alternatives
from answers.mistakes import nb02 as mistakes
from support.catalog import Lesson
from support.exercises import CheckContext, Exercise, Incorrect, Mistake, error_summary

LESSON = Lesson(
    number="02",
    title="Models",
    filename="02_models.ipynb",
    # Estimated from a timed read-through (prose at ~150 words a minute, ~20 s a code cell,
    # exercises written from scratch with one failed check each); not yet timed with learners.
    teaching_minutes=46,
    exercise_minutes=20,
    objectives=(
        "Declare a model with `DeclarativeBase`, `Mapped` and `mapped_column`, and say what each "
        "annotation means to the database.",
        "Make the database refuse bad rows.",
        "Choose between `server_default` and `default`, knowing which writers get each.",
        "Store timezone-aware UTC timestamps on SQLite.",
        "Name constraints so migrations can find them.",
        "Switch SQLite's foreign keys on for every connection with a `connect` event listener.",
        "Link two models with a foreign key and a relationship that cascades.",
        "Recognise and fix `MissingGreenlet`, and catch it when it comes wrapped in a "
        "`StatementError`.",
    ),
    package_files=("app/models/user.py", "app/models/item.py", "app/core/database.py"),
    key_points=(
        "Declare models with `DeclarativeBase`, `Mapped[...]` and `mapped_column()`: the "
        "annotation gives the Python type to your tools and the nullability to the database.",
        "Let the database enforce what must always hold (unique, not null, foreign keys); it "
        "refuses bad rows with an `IntegrityError`, whoever writes them.",
        "`server_default` is in the table, so every writer gets it; `default=` is added by "
        "SQLAlchemy, and a plain SQL `INSERT` never sees it.",
        "SQLite hands back naive datetimes even for `DateTime(timezone=True)`; a `UTCDateTime` "
        "type decorator makes them timezone-aware UTC everywhere.",
        "Give `MetaData` a naming convention before the first migration, so every constraint has "
        "a name Alembic can drop or alter.",
        "An attribute read cannot await: after a write, load what the database set "
        "(`eager_defaults`, `session.refresh`, `awaitable_attrs`), and load relationships in the "
        "query (`selectinload`), or you get `MissingGreenlet`, often wrapped in a "
        "`StatementError`.",
    ),
    builds_on="01 The database session (an async engine and "
    "`async_sessionmaker(engine, expire_on_commit=False)`)",
)


# --------------------------------------------------------------------------------------------
# The checks' own models

# The checks' database stamps every UPDATE with this time instead of its clock, so a check can
# tell the value the database set from one Python set (datetime.now() is never this).
DATABASE_UPDATED_AT = datetime(2000, 1, 2, 3, 4, 5, tzinfo=UTC)


def _fresh_base() -> Any:
    from sqlalchemy import MetaData
    from sqlalchemy.ext.asyncio import AsyncAttrs
    from sqlalchemy.orm import DeclarativeBase

    from app.core.database import NAMING_CONVENTION

    class Base(AsyncAttrs, DeclarativeBase):
        metadata = MetaData(naming_convention=NAMING_CONVENTION)

    return Base


def _owner_model(Base: Any) -> Any:
    """A User like the notebook's typed one: no eager_defaults."""
    from sqlalchemy import String, func, literal_column
    from sqlalchemy.orm import Mapped, mapped_column

    from app.core.database import UTCDateTime

    stamp = literal_column(f"'{DATABASE_UPDATED_AT:%Y-%m-%d %H:%M:%S.%f}'")
    namespace: dict[str, Any] = {
        "__tablename__": "users",
        "__annotations__": {
            "id": Mapped[int],
            "email": Mapped[str],
            "hashed_password": Mapped[str],
            "created_at": Mapped[datetime],
            "updated_at": Mapped[datetime | None],
        },
        "id": mapped_column(primary_key=True),
        "email": mapped_column(String(320), unique=True),
        "hashed_password": mapped_column(String(255), default="<not a real hash>"),
        "created_at": mapped_column(UTCDateTime(timezone=True), server_default=func.now()),
        "updated_at": mapped_column(UTCDateTime(timezone=True), onupdate=stamp),
    }
    return type("User", (Base,), namespace)


_NOT_NULL = re.compile(r"NOT NULL constraint failed: \w+\.(\w+)")


def _refused_column(exc: Exception) -> str | None:
    """The column an IntegrityError's NOT NULL refusal names, if it is one."""
    match = _NOT_NULL.search(str(exc))
    return match.group(1) if match else None


# --------------------------------------------------------------------------------------------
# Exercise 1: the owned resource


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


async def check_define_note(ctx: CheckContext, define_note: Any) -> None:
    from sqlalchemy import String, select
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm import relationship

    ctx.require_function(define_note, is_async=False, name="define_note")
    parameter = _uses_a_global_base(define_note)
    if parameter is not None:
        # Checked before the call: running it would add `notes` to the notebook's own Base.
        named = f"is called `{parameter}`" if parameter else "is missing"
        raise Incorrect(
            f"`define_note`'s parameter {named}, so `class Note(Base)` inside it uses the "
            "notebook's own `Base`, not the fresh one the check passes in. Names are "
            "case-sensitive: write `def define_note(Base):`.",
            code="global-base",
        )
    Base = _fresh_base()
    User = _owner_model(Base)
    Note = await ctx.call(define_note, Base)
    if Note is None:
        raise Incorrect(
            "`define_note(Base)` returned `None`. End the function with `return Note`, "
            "the class you defined inside it.",
            code="returns-none",
        )
    if not (isinstance(Note, type) and issubclass(Note, Base)):
        raise Incorrect(
            "`define_note(Base)` should return a model class defined on the `Base` it receives "
            "(`class Note(Base): ...`, then `return Note`).",
            code="not-a-model",
        )
    if Note.__tablename__ != "notes":
        raise Incorrect(
            f'The table is called {Note.__tablename__!r}; name it `__tablename__ = "notes"`.',
            code="wrong-tablename",
        )
    missing = [c for c in NOTE_COLUMNS if c not in Note.__table__.c]
    if missing:
        raise Incorrect(
            "Note has no "
            + ", ".join(f"`{c}`" for c in missing)
            + " column. It needs "
            + ", ".join(f"`{c}`" for c in NOTE_COLUMNS)
            + ", each a `Mapped[...]` attribute.",
            code="missing-columns",
        )
    title_type = Note.__table__.c.title.type
    if not isinstance(title_type, String) or title_type.length != 200:
        raise Incorrect(
            "A title is at most 200 characters, and the column type is where the database "
            "(and later the input schema) learns that limit: "
            "`title: Mapped[str] = mapped_column(String(200))`.",
            code="title-not-string-200",
        )
    if getattr(Note.__table__.c.body.type, "length", None):
        raise Incorrect(
            f"`body` is a `{Note.__table__.c.body.type}` column, limited in length: a long note "
            "would be refused (PostgreSQL enforces it; SQLite does not, so it works until then). "
            "A note's body is free text: `body: Mapped[str | None] = mapped_column(Text)`.",
            code="body-length-limited",
        )
    created_at = Note.__table__.c.created_at
    if created_at.onupdate is not None or created_at.server_onupdate is not None:
        raise Incorrect(
            "`created_at` has an `onupdate`, so every change to a note would move its creation "
            "time. Only `server_default=func.now()`: it is set once, when the row is inserted.",
            code="created-at-onupdate",
        )
    owner_args = typing.get_args(Note.__annotations__.get("owner"))
    if owner_args and isinstance(owner_args[0], type) and owner_args[0] is not User:
        raise Incorrect(
            "`owner` is annotated with a `User` class from another Base (the one in your "
            'notebook). Quote the name, `owner: Mapped["User"]`, so SQLAlchemy looks it up '
            "in the Base `define_note` receives.",
            code="owner-unquoted",
        )
    targets = [fk.target_fullname for fk in Note.__table__.c.owner_id.foreign_keys]
    if targets and targets[0] != "users.id":
        raise Incorrect(
            f"`owner_id` points at {targets[0]!r}. `ForeignKey` names the table and column, "
            'not the class: `ForeignKey("users.id", ondelete="CASCADE")`.',
            code="foreign-key-names-class",
        )
    # The user side, as the notebook's User.items: the database deletes a user's notes.
    User.notes = relationship(
        Note, back_populates="owner", cascade="all, delete-orphan", passive_deletes=True
    )
    try:
        Base.registry.configure()
    except Exception as exc:
        text_ = str(exc)
        if "'owner'" in text_:
            raise Incorrect(
                "The check's `User.notes` looks for `Note.owner` and finds nothing: add "
                '`owner: Mapped["User"] = relationship(back_populates="notes")`.',
                code="no-owner-relationship",
            ) from exc
        if "delete-orphan cascade" in text_:
            raise Incorrect(
                "SQLAlchemy refuses `delete-orphan` on `Note.owner`: a note does not own its "
                "user, the user owns their notes. A cascade belongs on the parent's side, "
                "`User.notes`, which the check already has: remove `cascade=...` from `owner`.",
                code="delete-orphan-on-child",
            ) from exc
        if "join condition" in text_ or "foreign key" in text_.lower():
            raise Incorrect(
                "SQLAlchemy cannot tell how a note points at its user: make `owner_id` a "
                '`mapped_column(ForeignKey("users.id", ondelete="CASCADE"))`.',
                code="no-foreign-key",
            ) from exc
        raise Incorrect(
            f"SQLAlchemy cannot set up Note: {error_summary(exc)}", code="cannot-configure"
        ) from exc
    if not any("owner_id" in ix.columns for ix in Note.__table__.indexes):
        raise Incorrect(
            "Listing a user's notes filters on `owner_id`, and neither SQLite nor PostgreSQL "
            "indexes a foreign key for you: add `index=True` to `owner_id`.",
            code="owner-id-not-indexed",
        )
    user = User(email="ada@example.com")
    if Note(title="Buy milk", owner=user) not in user.notes:
        raise Incorrect(
            "`Note(owner=user)` did not add the note to `user.notes`: the two sides of the link "
            'must name each other. Add `back_populates="notes"` to `relationship()` on `owner`.',
            code="no-back-populates",
        )

    database = ctx.database(Base.metadata)
    Session = await database.__aenter__()
    try:
        async with Session() as session:
            session.add(user)  # with the note made above, through user.notes
            try:
                await session.commit()
            except IntegrityError as exc:
                column = _refused_column(exc)
                if column is None:
                    raise
                raise Incorrect(
                    "Saving `Note(title=..., owner=user)` failed: the database refused an "
                    f"empty `{column}`. {_not_null_fix(column)}",
                    code="not-null-refused",
                ) from exc
        async with Session() as session:
            note = (await session.scalars(select(Note))).one()
            if note.created_at is None:
                raise Incorrect(
                    "A new note has no `created_at`: let the database fill it in with "
                    "`server_default=func.now()`.",
                    code="no-created-at",
                )
            if not isinstance(note.created_at, datetime) or note.created_at.tzinfo is None:
                raise Incorrect(
                    "`created_at` comes back as a naive datetime (no time zone), because "
                    "SQLite stores none. Use `UTCDateTime(timezone=True)` as its type.",
                    code="naive-created-at",
                )
        await _check_created_by_the_database(Session, user.id)
        async with Session() as session:
            await _must_be_refused(
                session,
                Note(owner_id=user.id, body="no title"),
                "A note without a title was saved. A title is required: annotate it "
                "`Mapped[str]`, which makes the column NOT NULL (`Mapped[str | None]` allows "
                "NULL).",
                code="title-nullable",
            )
            await _must_be_refused(
                session,
                Note(title="Nobody's note"),
                "A note without an owner was saved. Every note belongs to a user: annotate "
                "`owner_id: Mapped[int]` (not `Mapped[int | None]`, and no `nullable=True`), "
                "which makes the column NOT NULL.",
                code="owner-id-nullable",
            )
        await _delete_one_note(Session, Note, User, user.id)
        async with Session() as session:
            owner = await session.get(User, user.id)
            await session.delete(owner)
            try:
                await session.commit()
            except IntegrityError as exc:
                raise Incorrect(
                    "Deleting a user who owns a note failed with "
                    f"{error_summary(exc.orig or exc)}. Tell the database to remove the "
                    'notes with the user: `ForeignKey("users.id", ondelete="CASCADE")`.',
                    code="delete-user-refused",
                ) from exc
    finally:
        await database.__aexit__(None, None, None)


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


# --------------------------------------------------------------------------------------------
# Exercise 2: readable after an update


async def _call_watching_awaits(ctx: CheckContext, fn: Any, *args: Any) -> Any:
    """`ctx.call`, naming an `awaitable_attrs` value dropped unawaited: the engine would say
    `greenlet_spawn`, a name the learner never wrote."""
    error: Incorrect | None = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = await ctx.call(fn, *args)
        except Incorrect as exc:
            error = exc
        gc.collect()  # a coroutine dropped inside a reference cycle warns only when collected
    dropped = False
    for w in caught:
        if "'greenlet_spawn' was never awaited" in str(w.message):
            dropped = True
        else:  # not ours to explain: on to the engine, which names a forgotten await
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if dropped:
        raise Incorrect(
            "`user.awaitable_attrs.updated_at` gives something to await, and your code "
            "dropped it unawaited, so nothing was loaded. Write "
            "`await user.awaitable_attrs.updated_at`.",
            code="awaitable-attrs-not-awaited",
        )
    if error is not None:
        raise error
    return result


async def check_change_email(ctx: CheckContext, change_email: Any) -> None:
    from sqlalchemy import inspect as inspect_object
    from sqlalchemy import select

    ctx.require_function(change_email, is_async=True, name="change_email")
    Base = _fresh_base()
    User = _owner_model(Base)
    async with ctx.database(Base.metadata) as Session:
        async with Session() as session:
            session.add(User(email="ada@example.com"))
            await session.commit()
        async with Session() as session:
            user = (await session.scalars(select(User))).one()
            result = await _call_watching_awaits(
                ctx, change_email, session, user, "ada@example.org"
            )
            _check_returned_user(result, user)
            state = inspect_object(user)
            if "email" in state.unloaded:
                raise Incorrect(
                    "After `change_email`, `user.email` is expired: `session.expire()` does not "
                    "load anything, it marks attributes to be loaded on the next read, which "
                    "cannot await (MissingGreenlet); before a flush it also throws the change "
                    "away. Load what you need with an `await` instead.",
                    code="expired",
                )
            if user.email == "ada@example.com":
                raise Incorrect(
                    "`user.email` is the old address afterwards. `session.refresh()` reloads "
                    "from the database and throws away changes not yet flushed: set the email, "
                    "flush first, then refresh.",
                    code="refresh-before-flush",
                )
            if state.attrs.email.history.has_changes():
                raise Incorrect(
                    "The new email has not reached the database yet: call "
                    "`await session.flush()` after setting it, so the UPDATE runs.",
                    code="not-flushed",
                )
            if state.attrs.updated_at.history.has_changes() or (
                "updated_at" not in state.unloaded
                and user.updated_at not in (None, DATABASE_UPDATED_AT)
            ):
                raise Incorrect(_SET_BY_HAND, code="updated-at-set-by-hand")
            if "updated_at" in state.unloaded:
                raise Incorrect(
                    "Reading `user.updated_at` after your function raises MissingGreenlet: the "
                    "database set it during the flush, so SQLAlchemy expired its copy, to be "
                    "loaded on the next read, and a plain read cannot await. Load it inside "
                    "the function, while you can still await (step 6 (a) shows two ways).",
                    code="updated-at-not-loaded",
                )
            await session.rollback()
        async with Session() as session:
            saved = await session.scalar(select(User.email))
            if saved == "ada@example.org":
                raise Incorrect(
                    "`change_email` committed: the caller's rollback could not undo it. "
                    "Flush instead, and leave the commit to `get_db`, once per request: "
                    "`await session.flush()` then `await session.refresh(user)`.",
                    code="commits",
                )


_SET_BY_HAND = (
    "`updated_at` holds a time your code set itself (`datetime.now(...)`), not the one the "
    "database set during the flush (the column's `onupdate=func.now()`): the database's clock "
    "is the one every writer shares. Do not set `updated_at` itself; load the value the "
    "database set."
)


def _check_returned_user(result: Any, user: Any) -> None:
    if result is user:
        return
    if type(result).__name__ == "User":
        raise Incorrect(
            "`change_email` returned another object: a user loaded again with the notebook's "
            "own `User` class (`session.get(User, ...)`), while the check passes in a user of "
            "its own model. There is nothing to load again: change the `user` you were given "
            "and `return user`.",
            code="notebook-user",
        )
    shown = "`None`" if result is None else f"a `{type(result).__name__}`"
    raise Incorrect(
        f"`change_email` returned {shown}: end it with `return user`, the user it was given, "
        "now updated.",
        code="returns-not-the-user",
    )


EXERCISES = [
    Exercise(
        id="define_note",
        title="A model that belongs to a user",
        check=check_define_note,
        answer=answers.define_note,
        hints=[
            "Copy the shape of `Item` above: a class on the `Base` you receive, one "
            "`Mapped[...]` attribute per column. The annotation says whether a column may be "
            "NULL (`| None`); `mapped_column(...)` says the rest. Define the class inside the "
            "function and return it.",
            '`ForeignKey("users.id", ondelete="CASCADE")` with `index=True` for `owner_id`; '
            "`String(200)` and `Text` for the two strings; `UTCDateTime(timezone=True)` with "
            "`server_default=func.now()` for `created_at` (a database default, so a plain SQL "
            "`INSERT` gets one too); `relationship(back_populates=...)` for `owner`, with the "
            "class name in quotes.",
            'The shape: `class Note(Base):`, then `__tablename__ = "notes"`, then `id`, '
            "`owner_id: Mapped[int]`, `title: Mapped[str]`, `body: Mapped[str | None]`, "
            "`created_at: Mapped[datetime]`, each `= mapped_column(...)`, and "
            '`owner: Mapped["User"] = relationship(...)`; after the class, `return Note`.',
        ],
        mistakes=[
            Mistake(
                mistakes.note_foreign_key_names_the_class,
                why='ForeignKey("User.id") names the class; it takes table.column',
                code="foreign-key-names-class",
            ),
            Mistake(
                mistakes.note_without_ondelete,
                why="deleting the user fails: the database refuses to orphan the note",
                code="delete-user-refused",
            ),
            Mistake(
                mistakes.note_with_optional_title,
                why="Mapped[str | None] makes the column nullable",
                code="title-nullable",
            ),
            Mistake(
                mistakes.note_with_naive_timestamp,
                why="DateTime(timezone=True) comes back naive from SQLite",
                code="naive-created-at",
            ),
            Mistake(
                mistakes.note_owner_annotation_unquoted,
                why="Mapped[User] binds the notebook's own User, from another Base",
                code="owner-unquoted",
            ),
            Mistake(
                mistakes.note_without_owner_relationship,
                why="User.notes back-populates an owner that does not exist",
                code="no-owner-relationship",
            ),
            Mistake(
                mistakes.note_owner_without_back_populates,
                why="relationship() alone: note.owner and user.notes are not kept in step",
                code="no-back-populates",
            ),
            Mistake(
                mistakes.note_title_as_text,
                why="Text has no length limit",
                code="title-not-string-200",
            ),
            Mistake(
                mistakes.note_with_optional_owner,
                why="Mapped[int | None] allows a note without an owner",
                code="owner-id-nullable",
            ),
            Mistake(
                mistakes.note_created_at_set_by_python,
                why="default=lambda: datetime.now(UTC) is Python's, other writers get none",
                code="created-at-set-by-python",
            ),
            Mistake(
                mistakes.note_created_at_optional,
                why="Mapped[datetime | None] lets created_at be NULL",
                code="created-at-nullable",
            ),
            Mistake(
                mistakes.note_created_at_without_default,
                why="NOT NULL with nothing to fill it in: every INSERT fails",
                code="not-null-refused",
            ),
            Mistake(
                mistakes.note_with_required_body,
                why="Mapped[str] makes the optional body NOT NULL",
                code="not-null-refused",
            ),
            Mistake(
                mistakes.note_owner_cascades_delete,
                code="cascade-on-child",
                why='cascade="all" on Note.owner: deleting a note deletes its user',
            ),
            Mistake(
                mistakes.note_owner_delete_orphan,
                code="delete-orphan-on-child",
                why='cascade="all, delete-orphan" on the child side, which SQLAlchemy refuses',
            ),
            Mistake(
                mistakes.note_body_as_short_string,
                code="body-length-limited",
                why="body as String(200): a long note is refused on PostgreSQL",
            ),
            Mistake(
                mistakes.note_created_at_onupdate,
                code="created-at-onupdate",
                why="created_at with onupdate=func.now() moves on every change",
            ),
            Mistake(
                mistakes.note_unique_title,
                code="title-unique",
                why="unique=True on title: two notes cannot share a title",
            ),
            Mistake(
                mistakes.note_table_named_note,
                code="wrong-tablename",
                why='__tablename__ = "note": the task names the table notes',
            ),
            Mistake(
                mistakes.note_user_id_instead_of_owner_id,
                code="missing-columns",
                why="user_id instead of owner_id, the column every query of the service uses",
            ),
            Mistake(
                mistakes.note_owner_id_without_foreign_key,
                code="no-foreign-key",
                why="owner_id a plain integer: no ForeignKey, so no relationship either",
            ),
            Mistake(
                mistakes.note_owner_names_users,
                code="cannot-configure",
                why='Mapped["Users"]: a class name that does not exist',
            ),
            Mistake(
                mistakes.note_owner_id_not_indexed,
                code="owner-id-not-indexed",
                why="no index=True: listing a user's notes scans the table",
            ),
            Mistake(
                mistakes.note_created_at_optional_without_default,
                code="no-created-at",
                why="Mapped[datetime | None] and no default: notes without a creation time",
            ),
            Mistake(
                mistakes.note_body_defaults_to_empty,
                code="plain-insert-refused",
                why='body NOT NULL with default="": plain SQL inserts are refused',
            ),
            Mistake(
                mistakes.note_on_a_global_base,
                why="a parameter named base leaves class Note(Base) on the notebook's Base",
                code="global-base",
            ),
        ],
        kind="function",
        alternatives=[alternatives.define_note_with_sql_default],
        success="Notes belong to users, need a title, carry a UTC timestamp, "
        "and go when their user goes.",
    ),
    Exercise(
        id="change_email",
        title="Readable after an update",
        check=check_change_email,
        answer=answers.change_email,
        hints=[
            "The flush is where the database sets `updated_at`, and SQLAlchemy then forgets its "
            "own copy. Something after the flush, in this function, must fetch the new value "
            "while the code can still await; step 6 (a) fixed exactly this twice.",
            "`await session.flush()` sends the `UPDATE`; `await session.refresh(user)` (or "
            "`await user.awaitable_attrs.updated_at`) loads what the database set. Do not "
            "commit: `get_db` commits once for the whole request.",
            "Four lines: set `user.email`, flush, load `updated_at` with one of the two calls, "
            "then `return user`, the same object you were given.",
        ],
        mistakes=[
            Mistake(
                mistakes.change_email_without_refresh,
                why="updated_at is expired after the flush: MissingGreenlet on read",
                code="updated-at-not-loaded",
            ),
            Mistake(
                mistakes.change_email_refresh_before_flush,
                why="refresh throws the unsaved email away",
                code="refresh-before-flush",
            ),
            Mistake(
                mistakes.change_email_commits,
                why="a CRUD function that commits breaks the request's transaction",
                code="commits",
            ),
            Mistake(
                mistakes.change_email_sets_updated_at_itself,
                why="datetime.now(UTC) in Python sidesteps loading what the database set",
                code="updated-at-set-by-hand",
            ),
            Mistake(
                mistakes.change_email_sets_updated_at_after_flush,
                why="a value set after the flush is not even in the database",
                code="updated-at-set-by-hand",
            ),
            Mistake(
                mistakes.change_email_awaitable_attrs_not_awaited,
                why="awaitable_attrs gives a coroutine; unawaited, nothing loads",
                code="awaitable-attrs-not-awaited",
            ),
            Mistake(
                mistakes.change_email_expires,
                why="expire marks attributes to load later; it loads nothing",
                code="expired",
            ),
            Mistake(
                mistakes.change_email_reads_before_loading,
                why="a log line reads updated_at before anything loaded it",
                code="missing-greenlet",
            ),
            Mistake(
                mistakes.change_email_reloads_with_notebook_user,
                why="session.get(User, ...) with the notebook's User returns another object",
                code="notebook-user",
            ),
            Mistake(
                mistakes.change_email_without_flush,
                code="not-flushed",
                why="sets the email and returns: nothing reaches the database",
            ),
            Mistake(
                mistakes.change_email_forgets_return,
                code="returns-not-the-user",
                why="flushes and refreshes, but returns nothing",
            ),
        ],
        kind="async function",
        alternatives=[alternatives.change_email_refreshes_one_attribute],
        success="`user.updated_at` can be read, and returned by a route, without MissingGreenlet.",
    ),
]
