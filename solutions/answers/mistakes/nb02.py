"""Wrong answers to notebook 02 that its checks recognise."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, String, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from answers import nb02 as answers
from app.core.database import UTCDateTime
from support.exercises import edited


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


note_foreign_key_names_the_class = _note(
    "note_foreign_key_names_the_class", (FK, 'ForeignKey("User.id", ondelete="CASCADE")')
)
note_without_ondelete = _note("note_without_ondelete", (FK, 'ForeignKey("users.id")'))
note_with_optional_title = _note(
    "note_with_optional_title", ("title: Mapped[str]", "title: Mapped[str | None]")
)
note_with_naive_timestamp = _note(
    "note_with_naive_timestamp",
    ("UTCDateTime(timezone=True)", "DateTime(timezone=True)"),
    DateTime=DateTime,
)
note_owner_annotation_unquoted = _note(
    "note_owner_annotation_unquoted",
    ('Mapped["User"]', "Mapped[NotebookUser]"),
    NotebookUser=NotebookUser,
)
note_without_owner_relationship = _note(
    "note_without_owner_relationship", (f'\n        owner: Mapped["User"] = {OWNER}\n', "")
)
note_owner_without_back_populates = _note(
    "note_owner_without_back_populates", (OWNER, "relationship()")
)
note_title_as_text = _note(
    "note_title_as_text",
    ("title: Mapped[str] = mapped_column(String(200))", "title: Mapped[str] = mapped_column(Text)"),
)
note_with_optional_owner = _note(
    "note_with_optional_owner", ("owner_id: Mapped[int]", "owner_id: Mapped[int | None]")
)
note_created_at_set_by_python = _note(
    "note_created_at_set_by_python",
    ("server_default=func.now()", "default=lambda: datetime.now(UTC)"),
    UTC=UTC,
)
note_created_at_optional = _note(
    "note_created_at_optional",
    ("created_at: Mapped[datetime]", "created_at: Mapped[datetime | None]"),
)
note_created_at_without_default = _note(
    "note_created_at_without_default", (", server_default=func.now()", "")
)
note_with_required_body = _note(
    "note_with_required_body", ("body: Mapped[str | None]", "body: Mapped[str]")
)
note_owner_cascades_delete = _note(
    "note_owner_cascades_delete",
    (OWNER, 'relationship(back_populates="notes", cascade="all")'),
)
note_owner_delete_orphan = _note(
    "note_owner_delete_orphan",
    (OWNER, 'relationship(back_populates="notes", cascade="all, delete-orphan")'),
)
note_body_as_short_string = _note(
    "note_body_as_short_string", ("mapped_column(Text)", "mapped_column(String(200))")
)
note_created_at_onupdate = _note(
    "note_created_at_onupdate",
    ("server_default=func.now()", "server_default=func.now(), onupdate=func.now()"),
)
note_unique_title = _note(
    "note_unique_title", ("mapped_column(String(200))", "mapped_column(String(200), unique=True)")
)
note_table_named_note = _note(
    "note_table_named_note", ('__tablename__ = "notes"', '__tablename__ = "note"')
)
note_user_id_instead_of_owner_id = _note(
    "note_user_id_instead_of_owner_id", ("owner_id: Mapped[int]", "user_id: Mapped[int]")
)
note_owner_id_without_foreign_key = _note(
    "note_owner_id_without_foreign_key", (f"{FK}, index=True", "index=True")
)
note_owner_names_users = _note("note_owner_names_users", ('Mapped["User"]', 'Mapped["Users"]'))
note_owner_id_not_indexed = _note("note_owner_id_not_indexed", (f"{FK}, index=True", FK))
note_created_at_optional_without_default = _note(
    "note_created_at_optional_without_default",
    ("created_at: Mapped[datetime]", "created_at: Mapped[datetime | None]"),
    (", server_default=func.now()", ""),
)
note_body_defaults_to_empty = _note(
    "note_body_defaults_to_empty",
    (
        "body: Mapped[str | None] = mapped_column(Text)",
        'body: Mapped[str] = mapped_column(Text, default="")',
    ),
)
# `base` in lowercase: `class Note(Base)` inside then takes the notebook's global Base.
note_on_a_global_base = _note(
    "note_on_a_global_base", ("define_note(Base):", "define_note(base):"), Base=Base
)


async def change_email_without_refresh(session, user, email):
    user.email = email
    await session.flush()
    return user


async def change_email_refresh_before_flush(session, user, email):
    user.email = email
    await session.refresh(user)
    return user


async def change_email_commits(session, user, email):
    user.email = email
    await session.commit()
    await session.refresh(user)
    return user


async def change_email_sets_updated_at_itself(session, user, email):
    user.email = email
    user.updated_at = datetime.now(UTC)  # Python's clock, not the database's
    await session.flush()
    return user


async def change_email_sets_updated_at_after_flush(session, user, email):
    user.email = email
    await session.flush()
    user.updated_at = datetime.now(UTC)
    return user


async def change_email_awaitable_attrs_not_awaited(session, user, email):
    user.email = email
    await session.flush()
    user.awaitable_attrs.updated_at  # noqa: B018 - the missing await is the mistake
    return user


async def change_email_expires(session, user, email):
    user.email = email
    await session.flush()
    session.expire(user)
    return user


async def change_email_reloads_with_notebook_user(session, user, email):
    user.email = email
    await session.flush()
    return await session.get(NotebookUser, user.id)  # the notebook's User, not the check's


async def change_email_reads_before_loading(session, user, email):
    user.email = email
    await session.flush()
    print(f"updated at {user.updated_at}")  # a plain read of an expired attribute
    return user


async def change_email_without_flush(session, user, email):
    user.email = email  # set, never sent
    return user


async def change_email_forgets_return(session, user, email):
    user.email = email
    await session.flush()
    await session.refresh(user)
