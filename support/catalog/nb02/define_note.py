"""Notebook 02 · Models, exercise `define_note`: its check and hints."""

from __future__ import annotations

import typing
from datetime import datetime
from typing import Any

from support.catalog.nb02._define_note_helpers import (
    NOTE_COLUMNS,
    _check_created_by_the_database,
    _delete_one_note,
    _must_be_refused,
    _not_null_fix,
    _refused_column,
    _uses_a_global_base,
)
from support.catalog.nb02._shared import _fresh_base, _owner_model
from support.exercises import CheckContext, Incorrect, error_summary

HINTS = [
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
]


async def check(ctx: CheckContext, define_note: Any) -> None:
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
