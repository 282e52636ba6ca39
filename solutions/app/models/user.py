from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import String, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.database import Base, UTCDateTime

if TYPE_CHECKING:
    from app.models.item import Item


class User(Base):
    __tablename__ = "users"
    # Fetch server-set timestamps in the INSERT/UPDATE itself: a lazy load later would need IO
    # outside the greenlet and raise MissingGreenlet.
    __mapper_args__: ClassVar[dict[str, Any]] = {"eager_defaults": True}
    # SQLite otherwise gives a new row the highest id + 1, so the next user to register would
    # take a deleted user's id, and with it every token still naming that id.
    __table_args__: ClassVar[dict[str, Any]] = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lowercased by the schemas, so equality is a case-insensitive match that uses the index.
    email: Mapped[str] = mapped_column(String(320), unique=True, index=True)
    hashed_password: Mapped[str] = mapped_column(String(255))
    # Every token carries it; changing the password increments it, so older tokens stop working.
    token_version: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(timezone=True), server_default=func.now()
    )
    updated_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(timezone=True), onupdate=func.now()
    )

    items: Mapped[list[Item]] = relationship(
        back_populates="owner", cascade="all, delete-orphan", passive_deletes=True
    )
