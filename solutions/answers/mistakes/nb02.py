"""Wrong answers to notebook 02 that its checks recognise."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, String, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from answers import nb02 as answers
from app.core.database import UTCDateTime
from support.exercises import edited, mistake


class Base(DeclarativeBase):
    """Stands in for the notebook's own Base, a global the exercise's function must not use."""


def _notebook_user() -> type:
    """The notebook's own `User`: the same `users` table, on a Base of its own."""

    class NotebookBase(DeclarativeBase):
        pass

    class User(NotebookBase):
        __tablename__ = "users"

        id: Mapped[int] = mapped_column(primary_key=True)
        email: Mapped[str] = mapped_column(String(320), unique=True)
        hashed_password: Mapped[str] = mapped_column(String(255))
        created_at: Mapped[datetime] = mapped_column(
            UTCDateTime(timezone=True), server_default=func.now()
        )
        updated_at: Mapped[datetime | None] = mapped_column(
            UTCDateTime(timezone=True), onupdate=func.now()
        )

    return User


NotebookUser = _notebook_user()


# --- define_note: each mistake is the answer with one small edit -----------------------------

FK = 'ForeignKey("users.id", ondelete="CASCADE")'
OWNER = 'relationship(back_populates="notes")'


def _note(name: str, *edits: tuple[str, str], **using: object):
    return edited(answers.define_note, *edits, name=name, using=using)


note_foreign_key_names_the_class = mistake(
    "define_note",
    why='ForeignKey("User.id") names the class; it takes table.column',
    code="foreign-key-names-class",
)(_note("note_foreign_key_names_the_class", (FK, 'ForeignKey("User.id", ondelete="CASCADE")')))
note_without_ondelete = mistake(
    "define_note",
    why="deleting the user fails: the database refuses to orphan the note",
    code="delete-user-refused",
)(_note("note_without_ondelete", (FK, 'ForeignKey("users.id")')))
note_with_optional_title = mistake(
    "define_note", why="Mapped[str | None] makes the column nullable", code="title-nullable"
)(_note("note_with_optional_title", ("title: Mapped[str]", "title: Mapped[str | None]")))
note_with_naive_timestamp = mistake(
    "define_note",
    why="DateTime(timezone=True) comes back naive from SQLite",
    code="naive-created-at",
)(
    _note(
        "note_with_naive_timestamp",
        ("UTCDateTime(timezone=True)", "DateTime(timezone=True)"),
        DateTime=DateTime,
    )
)
note_owner_annotation_unquoted = mistake(
    "define_note",
    why="Mapped[User] binds the notebook's own User, from another Base",
    code="owner-unquoted",
)(
    _note(
        "note_owner_annotation_unquoted",
        ('Mapped["User"]', "Mapped[NotebookUser]"),
        NotebookUser=NotebookUser,
    )
)
note_without_owner_relationship = mistake(
    "define_note",
    why="User.notes back-populates an owner that does not exist",
    code="no-owner-relationship",
)(_note("note_without_owner_relationship", (f'\n        owner: Mapped["User"] = {OWNER}\n', "")))
note_owner_without_back_populates = mistake(
    "define_note",
    why="relationship() alone: note.owner and user.notes are not kept in step",
    code="no-back-populates",
)(_note("note_owner_without_back_populates", (OWNER, "relationship()")))
note_title_as_text = mistake(
    "define_note", why="Text has no length limit", code="title-not-string-200"
)(
    _note(
        "note_title_as_text",
        (
            "title: Mapped[str] = mapped_column(String(200))",
            "title: Mapped[str] = mapped_column(Text)",
        ),
    )
)
note_with_optional_owner = mistake(
    "define_note", why="Mapped[int | None] allows a note without an owner", code="owner-id-nullable"
)(_note("note_with_optional_owner", ("owner_id: Mapped[int]", "owner_id: Mapped[int | None]")))
note_created_at_set_by_python = mistake(
    "define_note",
    why="default=lambda: datetime.now(UTC) is Python's, other writers get none",
    code="created-at-set-by-python",
)(
    _note(
        "note_created_at_set_by_python",
        ("server_default=func.now()", "default=lambda: datetime.now(UTC)"),
        UTC=UTC,
    )
)
note_created_at_optional = mistake(
    "define_note", why="Mapped[datetime | None] lets created_at be NULL", code="created-at-nullable"
)(
    _note(
        "note_created_at_optional",
        ("created_at: Mapped[datetime]", "created_at: Mapped[datetime | None]"),
    )
)
note_created_at_without_default = mistake(
    "define_note",
    why="NOT NULL with nothing to fill it in: every INSERT fails",
    code="not-null-refused",
)(_note("note_created_at_without_default", (", server_default=func.now()", "")))
note_with_required_body = mistake(
    "define_note", why="Mapped[str] makes the optional body NOT NULL", code="not-null-refused"
)(_note("note_with_required_body", ("body: Mapped[str | None]", "body: Mapped[str]")))
note_owner_cascades_delete = mistake(
    "define_note",
    code="cascade-on-child",
    why='cascade="all" on Note.owner: deleting a note deletes its user',
)(
    _note(
        "note_owner_cascades_delete",
        (OWNER, 'relationship(back_populates="notes", cascade="all")'),
    )
)
note_owner_delete_orphan = mistake(
    "define_note",
    code="delete-orphan-on-child",
    why='cascade="all, delete-orphan" on the child side, which SQLAlchemy refuses',
)(
    _note(
        "note_owner_delete_orphan",
        (OWNER, 'relationship(back_populates="notes", cascade="all, delete-orphan")'),
    )
)
note_body_as_short_string = mistake(
    "define_note",
    code="body-length-limited",
    why="body as String(200): a long note is refused on PostgreSQL",
)(_note("note_body_as_short_string", ("mapped_column(Text)", "mapped_column(String(200))")))
note_created_at_onupdate = mistake(
    "define_note",
    code="created-at-onupdate",
    why="created_at with onupdate=func.now() moves on every change",
)(
    _note(
        "note_created_at_onupdate",
        ("server_default=func.now()", "server_default=func.now(), onupdate=func.now()"),
    )
)
note_unique_title = mistake(
    "define_note", code="title-unique", why="unique=True on title: two notes cannot share a title"
)(
    _note(
        "note_unique_title",
        ("mapped_column(String(200))", "mapped_column(String(200), unique=True)"),
    )
)
note_table_named_note = mistake(
    "define_note",
    code="wrong-tablename",
    why='__tablename__ = "note": the task names the table notes',
)(_note("note_table_named_note", ('__tablename__ = "notes"', '__tablename__ = "note"')))
note_user_id_instead_of_owner_id = mistake(
    "define_note",
    code="missing-columns",
    why="user_id instead of owner_id, the column every query of the service uses",
)(_note("note_user_id_instead_of_owner_id", ("owner_id: Mapped[int]", "user_id: Mapped[int]")))
note_owner_id_without_foreign_key = mistake(
    "define_note",
    code="no-foreign-key",
    why="owner_id a plain integer: no ForeignKey, so no relationship either",
)(_note("note_owner_id_without_foreign_key", (f"{FK}, index=True", "index=True")))
note_owner_names_users = mistake(
    "define_note", code="cannot-configure", why='Mapped["Users"]: a class name that does not exist'
)(_note("note_owner_names_users", ('Mapped["User"]', 'Mapped["Users"]')))
note_owner_id_not_indexed = mistake(
    "define_note",
    code="owner-id-not-indexed",
    why="no index=True: listing a user's notes scans the table",
)(_note("note_owner_id_not_indexed", (f"{FK}, index=True", FK)))
note_created_at_optional_without_default = mistake(
    "define_note",
    code="no-created-at",
    why="Mapped[datetime | None] and no default: notes without a creation time",
)(
    _note(
        "note_created_at_optional_without_default",
        ("created_at: Mapped[datetime]", "created_at: Mapped[datetime | None]"),
        (", server_default=func.now()", ""),
    )
)
note_body_defaults_to_empty = mistake(
    "define_note",
    code="plain-insert-refused",
    why='body NOT NULL with default="": plain SQL inserts are refused',
)(
    _note(
        "note_body_defaults_to_empty",
        (
            "body: Mapped[str | None] = mapped_column(Text)",
            'body: Mapped[str] = mapped_column(Text, default="")',
        ),
    )
)
# `base` in lowercase: `class Note(Base)` inside then takes the notebook's global Base.
note_on_a_global_base = mistake(
    "define_note",
    why="a parameter named base leaves class Note(Base) on the notebook's Base",
    code="global-base",
)(_note("note_on_a_global_base", ("define_note(Base):", "define_note(base):"), Base=Base))


@mistake(
    "change_email",
    why="updated_at is expired after the flush: MissingGreenlet on read",
    code="updated-at-not-loaded",
)
async def change_email_without_refresh(session, user, email):
    user.email = email
    await session.flush()
    return user


@mistake("change_email", why="refresh throws the unsaved email away", code="refresh-before-flush")
async def change_email_refresh_before_flush(session, user, email):
    user.email = email
    await session.refresh(user)
    return user


@mistake(
    "change_email",
    why="a CRUD function that commits breaks the request's transaction",
    code="commits",
)
async def change_email_commits(session, user, email):
    user.email = email
    await session.commit()
    await session.refresh(user)
    return user


@mistake(
    "change_email",
    why="datetime.now(UTC) in Python sidesteps loading what the database set",
    code="updated-at-set-by-hand",
)
async def change_email_sets_updated_at_itself(session, user, email):
    user.email = email
    user.updated_at = datetime.now(UTC)  # Python's clock, not the database's
    await session.flush()
    return user


@mistake(
    "change_email",
    why="a value set after the flush is not even in the database",
    code="updated-at-set-by-hand",
)
async def change_email_sets_updated_at_after_flush(session, user, email):
    user.email = email
    await session.flush()
    user.updated_at = datetime.now(UTC)
    return user


@mistake(
    "change_email",
    why="awaitable_attrs gives a coroutine; unawaited, nothing loads",
    code="awaitable-attrs-not-awaited",
)
async def change_email_awaitable_attrs_not_awaited(session, user, email):
    user.email = email
    await session.flush()
    user.awaitable_attrs.updated_at  # noqa: B018 - the missing await is the mistake
    return user


@mistake(
    "change_email", why="expire marks attributes to load later; it loads nothing", code="expired"
)
async def change_email_expires(session, user, email):
    user.email = email
    await session.flush()
    session.expire(user)
    return user


@mistake(
    "change_email",
    why="a log line reads updated_at before anything loaded it",
    code="missing-greenlet",
)
async def change_email_reads_before_loading(session, user, email):
    user.email = email
    await session.flush()
    print(f"updated at {user.updated_at}")  # a plain read of an expired attribute
    return user


@mistake(
    "change_email",
    why="session.get(User, ...) with the notebook's User returns another object",
    code="notebook-user",
)
async def change_email_reloads_with_notebook_user(session, user, email):
    user.email = email
    await session.flush()
    return await session.get(NotebookUser, user.id)  # the notebook's User, not the check's


@mistake(
    "change_email",
    code="not-flushed",
    why="sets the email and returns: nothing reaches the database",
)
async def change_email_without_flush(session, user, email):
    user.email = email  # set, never sent
    return user


@mistake(
    "change_email", code="returns-not-the-user", why="flushes and refreshes, but returns nothing"
)
async def change_email_forgets_return(session, user, email):
    user.email = email
    await session.flush()
    await session.refresh(user)
