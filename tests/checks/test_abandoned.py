"""A failed lazy load leaves nothing behind: not under `expect`, not in a check.

aiosqlite wraps the cursor call SQLAlchemy gives up on in its own awaitable, so SQLAlchemy's
clean-up misses it and Python warns "never awaited" whenever the collector finds it later.
"""

from __future__ import annotations

import asyncio
import gc
import warnings

from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import async_sessionmaker

import app.models  # noqa: F401 - registers the tables
from app.core.database import Base, make_engine
from app.models import User
from support.abandoned import close_abandoned_calls
from support.display import expect
from support.exercises import INCORRECT, Exercise, Incorrect
from support.notebook import fresh_database_url


async def lazy_load_failure(read):
    """Save a user, then ``read(user, session)`` in a new session, outside any greenlet."""
    engine = make_engine(fresh_database_url("abandoned"))
    try:
        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        async with sessions() as session:
            user = User(email="ada@example.com", hashed_password="<hash>")
            session.add(user)
            await session.commit()
        async with sessions() as session:
            user = await session.get(User, user.id)
            return read(user)
    finally:
        await engine.dispose()


def never_awaited(caught):
    return [str(w.message) for w in caught if "never awaited" in str(w.message)]


def collect_warnings(action):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = action()
        gc.collect()
    return result, never_awaited(caught)


def test_without_clean_up_the_driver_call_is_left_unstarted():
    """The failure this module exists for: proof that the tests below can fail."""

    def read(user):
        try:
            user.items  # noqa: B018 - the read is the point: it needs the database
        except StatementError as exc:
            return type(exc)

    error, warned = collect_warnings(lambda: asyncio.run(lazy_load_failure(read)))
    assert error is StatementError
    assert warned == ["coroutine 'Connection.cursor' was never awaited"]


def test_closing_the_abandoned_call_leaves_nothing_to_warn_about():
    def read(user):
        try:
            user.items  # noqa: B018 - the read is the point: it needs the database
        except StatementError as exc:
            return close_abandoned_calls(exc)

    closed, warned = collect_warnings(lambda: asyncio.run(lazy_load_failure(read)))
    assert closed == 1
    assert warned == []


def test_expect_closes_it_when_it_catches_the_error(capsys):
    def read(user):
        with expect(StatementError) as failure:
            user.items  # noqa: B018 - the read is the point: it needs the database
        return type(failure.exception)

    error, warned = collect_warnings(lambda: asyncio.run(lazy_load_failure(read)))
    assert error is StatementError
    assert warned == []
    assert "MissingGreenlet" in capsys.readouterr().out


def test_a_learners_value_is_never_touched():
    """Only frames the error unwound are searched, and only coroutines nobody started."""

    async def pending():
        return 1

    kept = pending()
    try:
        raise ValueError("boom")
    except ValueError as exc:
        assert close_abandoned_calls(exc) == 0  # `kept` belongs to this frame, still running
    assert asyncio.run(kept) == 1


async def _check_reads_items(ctx, fn):
    items = await ctx.call(fn)
    if items != []:
        raise Incorrect("Expected no items.")


def test_a_check_of_a_lazy_load_blames_the_lazy_load_not_an_await():
    async def answer():
        return await lazy_load_failure(lambda user: user.items)

    exercise = Exercise(
        id="items", title="t", check=_check_reads_items, answer=answer, hints=["h"], kind="value"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        feedback = exercise.evaluate(answer)
        gc.collect()
    assert feedback.status == INCORRECT
    assert "MissingGreenlet" in feedback.message
    assert "without `await`" not in feedback.message
    assert never_awaited(caught) == []
