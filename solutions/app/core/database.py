from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import URL, DateTime, Dialect, MetaData, event, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator
from starlette.requests import Request

# Integer keys are 32-bit on PostgreSQL: larger ids must be rejected as input, not by the driver.
MAX_ID = 2**31 - 1

# Named constraints give migrations stable names to drop and alter.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC, even on SQLite, which stores naive values."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs a timezone-aware datetime: use datetime.now(UTC).")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# How long a SQLite connection waits for another one's write lock before "database is locked".
SQLITE_BUSY_TIMEOUT_SECONDS = 30


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _use_write_ahead_log(dbapi_connection: Any, _record: Any) -> None:
    # Readers no longer wait for a writer's commit, nor a writer for readers: under many
    # concurrent requests the one writer at a time finishes sooner. The mode is stored in the file.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _is_sqlite_file(url: URL) -> bool:
    database = url.database or ""
    return database not in ("", ":memory:") and "mode=memory" not in str(url.query)


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    parsed = make_url(url)
    # Failed statements are logged and raised with their SQL; without this, with their values
    # too: emails and password hashes in the server's log.
    kwargs.setdefault("hide_parameters", True)
    if parsed.get_backend_name() == "sqlite":
        # SQLite has one writer at a time; the others wait in its busy handler (default 5 s).
        kwargs.setdefault("connect_args", {"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
    engine = create_async_engine(parsed, **kwargs)
    if engine.dialect.name == "sqlite":
        # SQLite ignores foreign keys, and so ON DELETE CASCADE, unless each connection asks.
        event.listen(engine.sync_engine, "connect", _enable_sqlite_foreign_keys)
        if _is_sqlite_file(parsed):
            event.listen(engine.sync_engine, "connect", _use_write_ahead_log)
    return engine


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def release_connection(db: AsyncSession) -> None:
    """End the session's transaction so its connection goes back to the pool before slow work.

    Call it after the reads and before a password hash: a connection held for a 0.3 s hash
    is one the other requests wait for. The session stays usable; its next query starts anew.
    """
    if db.in_transaction():
        await db.commit()


async def get_db(request: Request) -> AsyncIterator[AsyncSession]:
    """One session and one transaction per request: commit on success, roll back on any error.

    Use it with `Depends(get_db, scope="function")` so the commit runs before the response is sent.
    """
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except Exception:
            await session.rollback()
            raise
