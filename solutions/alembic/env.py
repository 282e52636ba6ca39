import asyncio
from logging.config import fileConfig

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from app import models  # noqa: F401 - registers every table on Base.metadata
from app.core.config import get_settings
from app.core.database import Base

config = context.config
# Callers that manage logging themselves (tests) set configure_logger=False.
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def database_url() -> str:
    # `alembic upgrade head` migrates the database of DATABASE_URL, like the app. A caller of the
    # Python API (`alembic.command`) may name another: config.attributes["database_url"].
    url = config.attributes.get("database_url")
    return str(url) if url else get_settings().DATABASE_URL


def configure(**kwargs: object) -> None:
    context.configure(target_metadata=target_metadata, compare_type=True, **kwargs)


def run_migrations_offline() -> None:
    url = database_url()
    configure(
        url=url,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    # SQLite cannot ALTER most things: batch mode recreates the table instead.
    configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    # Not app.core.database.make_engine: with SQLite foreign keys enforced, batch mode's
    # DROP TABLE would cascade into the rows of every referencing table.
    engine = create_async_engine(database_url(), poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(do_run_migrations)
    await engine.dispose()


def run_migrations_online() -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # no loop in this thread: the usual case, `alembic upgrade head`
        asyncio.run(run_async_migrations())
        return
    # asyncio.run() would refuse, after creating a coroutine that then warns it was never awaited.
    raise RuntimeError(
        "Alembic's env.py runs the migration in an event loop of its own, and this thread "
        "already runs one (a notebook, or an async app). Call the command from a worker thread: "
        'await asyncio.to_thread(command.upgrade, config, "head").'
    )


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
