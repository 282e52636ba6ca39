"""Notebook 01 · The database session, exercise `make_sessionmaker`: its check and hints."""

from __future__ import annotations

import inspect
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session as SyncSession

from support.catalog.nb01._shared import _Account, _metadata
from support.exercises import CheckContext, Incorrect, describe

HINTS = [
    "Return a factory, not a session: something each request calls to get a new "
    "`AsyncSession`, whose objects keep their values after a commit (section 4).",
    "`async_sessionmaker` (section 6) makes such a factory: its first argument is the "
    "engine, and its keyword `expire_on_commit` decides whether a commit expires the "
    "objects.",
    "One line: `return async_sessionmaker(...)` with the engine and the keyword from "
    "section 4. Return the factory itself, without calling it.",
]


async def check(ctx: CheckContext, make_sessionmaker: Any) -> None:
    if inspect.iscoroutinefunction(make_sessionmaker):
        # ctx.call would await it for us; create_app calls it plainly and gets a coroutine.
        raise Incorrect(
            "`make_sessionmaker` must be a plain `def`, not `async def`: building a factory "
            "does no I/O, and `create_app` calls it without `await`, so it would get a "
            "coroutine instead of a factory.",
            code="async-def",
        )
    ctx.require_function(make_sessionmaker, is_async=False, name="make_sessionmaker")
    async with ctx.database(_metadata) as Session:
        engine = Session.kw["bind"]
        factory = await ctx.call(make_sessionmaker, engine)
        if factory is None:
            raise Incorrect(
                "`make_sessionmaker` returned `None`: add `return` in front of "
                "`async_sessionmaker(engine, expire_on_commit=False)`.",
                code="returns-none",
            )
        if isinstance(factory, (AsyncSession, SyncSession)):
            await _close_any(factory)
            raise Incorrect(
                "`make_sessionmaker` returned one session. Return the factory, "
                "`async_sessionmaker(engine, expire_on_commit=False)`: every request calls it "
                "to get a session of its own.",
                code="returns-one-session",
            )
        if not callable(factory):
            raise Incorrect(
                f"`make_sessionmaker` returned {describe(factory)}; return "
                "`async_sessionmaker(engine, expire_on_commit=False)`.",
                code="returns-not-a-factory",
            )
        session = await ctx.call(factory)
        if not isinstance(session, AsyncSession):
            await _close_any(session)
            raise Incorrect(
                f"The factory makes `{type(session).__name__}` objects, not `AsyncSession`s "
                "(`sessionmaker(engine)` makes synchronous sessions). Use "
                "`async_sessionmaker(engine, expire_on_commit=False)`.",
                code="sync-sessions",
            )
        async with session:
            other = factory()
            await _close_any(other)
            if other is session:
                raise Incorrect(
                    "The factory returned the same session twice. Return "
                    "`async_sessionmaker(...)` itself, so each call makes a new session.",
                    code="same-session-twice",
                )
            if session.bind is not engine:
                raise Incorrect(
                    "The sessions are not bound to the engine you were given: pass it as the "
                    "first argument, `async_sessionmaker(engine, ...)`.",
                    code="not-bound-to-engine",
                )
            account = _Account(owner="ada", balance=10)
            session.add(account)
            await session.commit()
            if "balance" in sa_inspect(account).unloaded:
                raise Incorrect(
                    "After `commit()` the object's attributes expired, so reading "
                    "`account.balance` would need the database again and raise MissingGreenlet. "
                    "Pass `expire_on_commit=False` to `async_sessionmaker`.",
                    code="expire-on-commit",
                )
        if not callable(getattr(factory, "begin", None)):
            raise Incorrect(
                "Your factory makes sessions but has no `.begin()`, which scripts and jobs use "
                "for `async with Session.begin() as session:` (section 6). Return "
                "`async_sessionmaker(engine, ...)` itself rather than a function or lambda "
                "around `AsyncSession(...)`.",
                code="no-begin",
            )
    async with ctx.database(_metadata) as Other:  # a second app, with an engine of its own
        other = await ctx.call(make_sessionmaker, Other.kw["bind"])
        session = await ctx.call(other)
        async with session:
            if session.bind is not Other.kw["bind"]:
                raise Incorrect(
                    "Called again with another engine (a second app, or a test's), "
                    "`make_sessionmaker` returned a factory bound to the first one: it kept "
                    "the first factory in a global. Build a new one on every call: "
                    "`return async_sessionmaker(engine, expire_on_commit=False)`.",
                    code="cached-factory",
                )


async def _close_any(obj: Any) -> None:
    close = getattr(obj, "close", None)
    if close is None:
        return
    result = close()
    if inspect.isawaitable(result):
        await result
