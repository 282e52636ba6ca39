"""Wrong answers to notebook 02 that its checks recognise."""

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from app.core.database import UTCDateTime
from app.models import User as NotebookUser  # a User on another Base, like the notebook's

if TYPE_CHECKING:
    from app.models import User


class Base(DeclarativeBase):
    """Stands in for the notebook's own Base, a global the exercise's function must not use."""


def note_foreign_key_names_the_class(Base):
    class Note(Base):
        __tablename__ = "notes"

        id: Mapped[int] = mapped_column(primary_key=True)
        owner_id: Mapped[int] = mapped_column(  # the class name, not the table name
            ForeignKey("User.id", ondelete="CASCADE"), index=True
        )
        title: Mapped[str] = mapped_column(String(200))
        body: Mapped[str | None] = mapped_column(Text)
        created_at: Mapped[datetime] = mapped_column(
            UTCDateTime(timezone=True), server_default=func.now()
        )
        owner: Mapped["User"] = relationship(back_populates="notes")

    return Note


def note_without_ondelete(Base):
    class Note(Base):
        __tablename__ = "notes"

        id: Mapped[int] = mapped_column(primary_key=True)
        owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
        title: Mapped[str] = mapped_column(String(200))
        body: Mapped[str | None] = mapped_column(Text)
        created_at: Mapped[datetime] = mapped_column(
            UTCDateTime(timezone=True), server_default=func.now()
        )
        owner: Mapped["User"] = relationship(back_populates="notes")

    return Note


def note_with_optional_title(Base):
    class Note(Base):
        __tablename__ = "notes"

        id: Mapped[int] = mapped_column(primary_key=True)
        owner_id: Mapped[int] = mapped_column(
            ForeignKey("users.id", ondelete="CASCADE"), index=True
        )
        title: Mapped[str | None] = mapped_column(String(200))
        body: Mapped[str | None] = mapped_column(Text)
        created_at: Mapped[datetime] = mapped_column(
            UTCDateTime(timezone=True), server_default=func.now()
        )
        owner: Mapped["User"] = relationship(back_populates="notes")

    return Note


def note_with_naive_timestamp(Base):
    class Note(Base):
        __tablename__ = "notes"

        id: Mapped[int] = mapped_column(primary_key=True)
        owner_id: Mapped[int] = mapped_column(
            ForeignKey("users.id", ondelete="CASCADE"), index=True
        )
        title: Mapped[str] = mapped_column(String(200))
        body: Mapped[str | None] = mapped_column(Text)
        created_at: Mapped[datetime] = mapped_column(
            DateTime(timezone=True), server_default=func.now()
        )
        owner: Mapped["User"] = relationship(back_populates="notes")

    return Note


def note_owner_annotation_unquoted(Base):
    class Note(Base):
        __tablename__ = "notes"

        id: Mapped[int] = mapped_column(primary_key=True)
        owner_id: Mapped[int] = mapped_column(
            ForeignKey("users.id", ondelete="CASCADE"), index=True
        )
        title: Mapped[str] = mapped_column(String(200))
        body: Mapped[str | None] = mapped_column(Text)
        created_at: Mapped[datetime] = mapped_column(
            UTCDateTime(timezone=True), server_default=func.now()
        )
        owner: Mapped[NotebookUser] = relationship(back_populates="notes")

    return Note


def note_without_owner_relationship(Base):
    class Note(Base):
        __tablename__ = "notes"

        id: Mapped[int] = mapped_column(primary_key=True)
        owner_id: Mapped[int] = mapped_column(
            ForeignKey("users.id", ondelete="CASCADE"), index=True
        )
        title: Mapped[str] = mapped_column(String(200))
        body: Mapped[str | None] = mapped_column(Text)
        created_at: Mapped[datetime] = mapped_column(
            UTCDateTime(timezone=True), server_default=func.now()
        )

    return Note


def note_owner_without_back_populates(Base):
    class Note(Base):
        __tablename__ = "notes"

        id: Mapped[int] = mapped_column(primary_key=True)
        owner_id: Mapped[int] = mapped_column(
            ForeignKey("users.id", ondelete="CASCADE"), index=True
        )
        title: Mapped[str] = mapped_column(String(200))
        body: Mapped[str | None] = mapped_column(Text)
        created_at: Mapped[datetime] = mapped_column(
            UTCDateTime(timezone=True), server_default=func.now()
        )
        owner: Mapped["User"] = relationship()

    return Note


def note_title_as_text(Base):
    class Note(Base):
        __tablename__ = "notes"

        id: Mapped[int] = mapped_column(primary_key=True)
        owner_id: Mapped[int] = mapped_column(
            ForeignKey("users.id", ondelete="CASCADE"), index=True
        )
        title: Mapped[str] = mapped_column(Text)
        body: Mapped[str | None] = mapped_column(Text)
        created_at: Mapped[datetime] = mapped_column(
            UTCDateTime(timezone=True), server_default=func.now()
        )
        owner: Mapped["User"] = relationship(back_populates="notes")

    return Note


def note_with_optional_owner(Base):
    class Note(Base):
        __tablename__ = "notes"

        id: Mapped[int] = mapped_column(primary_key=True)
        owner_id: Mapped[int | None] = mapped_column(
            ForeignKey("users.id", ondelete="CASCADE"), index=True
        )
        title: Mapped[str] = mapped_column(String(200))
        body: Mapped[str | None] = mapped_column(Text)
        created_at: Mapped[datetime] = mapped_column(
            UTCDateTime(timezone=True), server_default=func.now()
        )
        owner: Mapped["User"] = relationship(back_populates="notes")

    return Note


def note_created_at_set_by_python(Base):
    class Note(Base):
        __tablename__ = "notes"

        id: Mapped[int] = mapped_column(primary_key=True)
        owner_id: Mapped[int] = mapped_column(
            ForeignKey("users.id", ondelete="CASCADE"), index=True
        )
        title: Mapped[str] = mapped_column(String(200))
        body: Mapped[str | None] = mapped_column(Text)
        created_at: Mapped[datetime] = mapped_column(
            UTCDateTime(timezone=True), default=lambda: datetime.now(UTC)
        )
        owner: Mapped["User"] = relationship(back_populates="notes")

    return Note


def note_created_at_optional(Base):
    class Note(Base):
        __tablename__ = "notes"

        id: Mapped[int] = mapped_column(primary_key=True)
        owner_id: Mapped[int] = mapped_column(
            ForeignKey("users.id", ondelete="CASCADE"), index=True
        )
        title: Mapped[str] = mapped_column(String(200))
        body: Mapped[str | None] = mapped_column(Text)
        created_at: Mapped[datetime | None] = mapped_column(
            UTCDateTime(timezone=True), server_default=func.now()
        )
        owner: Mapped["User"] = relationship(back_populates="notes")

    return Note


def note_created_at_without_default(Base):
    class Note(Base):
        __tablename__ = "notes"

        id: Mapped[int] = mapped_column(primary_key=True)
        owner_id: Mapped[int] = mapped_column(
            ForeignKey("users.id", ondelete="CASCADE"), index=True
        )
        title: Mapped[str] = mapped_column(String(200))
        body: Mapped[str | None] = mapped_column(Text)
        created_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True))
        owner: Mapped["User"] = relationship(back_populates="notes")

    return Note


def note_with_required_body(Base):
    class Note(Base):
        __tablename__ = "notes"

        id: Mapped[int] = mapped_column(primary_key=True)
        owner_id: Mapped[int] = mapped_column(
            ForeignKey("users.id", ondelete="CASCADE"), index=True
        )
        title: Mapped[str] = mapped_column(String(200))
        body: Mapped[str] = mapped_column(Text)
        created_at: Mapped[datetime] = mapped_column(
            UTCDateTime(timezone=True), server_default=func.now()
        )
        owner: Mapped["User"] = relationship(back_populates="notes")

    return Note


def note_on_a_global_base(base):  # lowercase: `class Note(Base)` below is the global one
    class Note(Base):
        __tablename__ = "notes"

        id: Mapped[int] = mapped_column(primary_key=True)
        owner_id: Mapped[int] = mapped_column(
            ForeignKey("users.id", ondelete="CASCADE"), index=True
        )
        title: Mapped[str] = mapped_column(String(200))
        body: Mapped[str | None] = mapped_column(Text)
        created_at: Mapped[datetime] = mapped_column(
            UTCDateTime(timezone=True), server_default=func.now()
        )
        owner: Mapped["User"] = relationship(back_populates="notes")

    return Note


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
