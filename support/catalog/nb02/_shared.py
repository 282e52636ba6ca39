"""What notebook 02's checks share: their own models, on a database whose clock they set."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

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
