from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from classroom import crud
from classroom.config import Settings, get_settings
from classroom.database import Base, make_engine, make_sessionmaker, make_write_lock
from classroom.errors import register_exception_handlers
from classroom.middleware import BodyLimit, SecurityHeaders
from classroom.ratelimit import RateLimiter
from classroom.routes import router
from classroom.writer import OutcomeWriter


def sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


async def create_tables(engine: AsyncEngine) -> None:
    # No migrations: a classroom's database lives for a workshop and is wiped after it.
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service. Nothing here connects to the database: the engine connects lazily."""
    settings = settings or get_settings()
    database = sqlite_file(settings.DATABASE_URL)
    if database is not None:
        database.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.DATABASE_URL)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await create_tables(engine)
        yield
        await engine.dispose()

    # No /docs or /redoc: their pages load scripts from a CDN, and workshop rooms are offline.
    application = FastAPI(title="Classroom", lifespan=lifespan, docs_url=None, redoc_url=None)
    application.state.settings = settings
    application.state.engine = engine
    application.state.sessionmaker = make_sessionmaker(engine)
    application.state.write_lock = make_write_lock(engine)
    application.state.writer = OutcomeWriter(
        application.state.sessionmaker, application.state.write_lock
    )
    application.state.known_classes = {}
    application.state.known_learners = {}
    application.state.post_limiter = RateLimiter(settings.POSTS_PER_MINUTE)
    application.state.client_limiter = RateLimiter(settings.CLIENT_POSTS_PER_MINUTE)
    application.state.join_limiter = RateLimiter(settings.JOINS_PER_MINUTE)
    register_exception_handlers(application)
    application.add_middleware(BodyLimit)
    application.add_middleware(SecurityHeaders)  # added last, so outermost: on every response
    application.mount("/static", StaticFiles(directory=str(files("classroom") / "static")))
    application.include_router(router)
    return application


async def open_class(settings: Settings, *, new: bool = False) -> tuple[str, str]:
    """The class to serve (the latest, or a new one) and a fresh instructor's key for it."""
    database = sqlite_file(settings.DATABASE_URL)
    if database is not None:
        database.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.DATABASE_URL)
    try:
        await create_tables(engine)
        async with make_sessionmaker(engine)() as db:
            classroom = None if new else await crud.latest_class(db)
            if classroom is None:
                classroom, key = await crud.create_class(db, datetime.now(UTC))
            else:
                key = await crud.new_instructor_key(db, classroom)
            await db.commit()
            return classroom.code, key
    finally:
        await engine.dispose()


async def wipe(settings: Settings) -> str:
    """Drop every table the classroom made (and the SQLite file); returns what was removed."""
    database = sqlite_file(settings.DATABASE_URL)
    if database is not None:
        removed = [p for p in (database, *_sqlite_companions(database)) if p.exists()]
        for path in removed:
            path.unlink()
        return ", ".join(str(p) for p in removed) or "nothing (no database file)"
    engine = make_engine(settings.DATABASE_URL)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.drop_all)
    finally:
        await engine.dispose()
    return "the classroom's tables in " + make_url(settings.DATABASE_URL).render_as_string()


def _sqlite_companions(database: Path) -> list[Path]:
    return [database.with_name(database.name + suffix) for suffix in ("-wal", "-shm", "-journal")]
