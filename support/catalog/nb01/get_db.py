"""Notebook 01 · The database session, exercise `get_db`: its check and hints."""

from __future__ import annotations

import inspect
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from support.catalog.nb01._shared import _Account, _accounts, _balances, _metadata, _outcome
from support.exercises import CheckContext, Incorrect, describe, error_summary

HINTS = [
    "The commit-or-roll-back logic of the reference's `get_db` is already right; only "
    "where the session comes from changes. FastAPI hands a dependency the current "
    "request, and a request knows which app is serving it.",
    "Declare a `request: Request` parameter; `request.app.state.sessionmaker` is the "
    "app's factory, and calling it gives a new session, best opened with `async with` so "
    "it is closed at the end. FastAPI resumes the generator after `yield` when the route "
    "returns, and throws the route's error in at `yield` when it fails.",
    "The shape: `async with` the factory's new session `as session:`; inside it a `try:` "
    "that yields the session and then commits; an `except Exception:` that rolls back "
    "and then re-raises with a bare `raise`. Every session call is awaited.",
]


class _RouteFailed(Exception):
    """The error a check throws into `get_db`, standing for a route that failed."""


_END = object()


async def _open_request(ctx: CheckContext, get_db: Any, request: Any, engine: Any):
    """Start the learner's dependency as FastAPI does; return (generator, session)."""
    agen = get_db(request)
    status, session = await _outcome(ctx, "get_db", anext, agen, _END)
    if status == "raised":
        await agen.aclose()
        raise Incorrect(
            f"Before `yield`, `get_db` raised {error_summary(session)}. It should only open a "
            "session, `async with request.app.state.sessionmaker() as session:`, and yield it.",
            code="raises-before-yield",
        )
    if not isinstance(session, AsyncSession):
        await agen.aclose()
        yielded = "nothing" if session is _END else describe(session)
        raise Incorrect(
            f"`get_db` yielded {yielded}; it should yield the `AsyncSession` it opened, "
            "`yield session`, inside `async with request.app.state.sessionmaker() as session:`.",
            code="yields-not-a-session",
        )
    if session.bind is not engine:
        await agen.aclose()
        raise Incorrect(
            "The session `get_db` yielded is not bound to the app's database. Take the factory "
            "from `request.app.state.sessionmaker` instead of a module-level one such as "
            "`AsyncSessionLocal`.",
            code="module-factory",
        )
    return agen, session


async def check(ctx: CheckContext, get_db: Any) -> None:
    from fastapi import FastAPI
    from starlette.requests import Request

    ctx.require_function(get_db, is_async=False, name="get_db")
    if inspect.isasyncgenfunction(getattr(get_db, "__wrapped__", None)):
        raise Incorrect(
            "`get_db` is decorated with `@asynccontextmanager`, which turns it into a function "
            "that returns a context manager: FastAPI would hand that object to the route "
            "instead of a session. FastAPI drives a dependency's `yield` itself: remove the "
            "decorator and keep the generator as it is.",
            code="context-manager",
        )
    if not inspect.isasyncgenfunction(get_db):
        if inspect.isgeneratorfunction(get_db):
            raise Incorrect(
                "`get_db` must be defined with `async def`: opening, committing and rolling "
                "back a session are awaited.",
                code="sync-generator",
            )
        raise Incorrect(
            "`get_db` must `yield` the session, not return it: FastAPI runs the code after "
            "`yield` once the route has finished, and that is where the commit goes.",
            code="returns-session",
        )
    try:
        inspect.signature(get_db).bind(None)
    except TypeError:
        raise Incorrect(
            "FastAPI will call `get_db` with the request: define it as "
            "`async def get_db(request: Request)` and take the factory from "
            "`request.app.state.sessionmaker`.",
            code="no-request-parameter",
        ) from None

    async with ctx.database(_metadata) as Session:
        app = FastAPI()
        app.state.sessionmaker = Session
        request = Request({"type": "http", "app": app, "headers": []})
        engine = Session.kw["bind"]

        # Two requests at once: each must get a session of its own.
        first, first_session = await _open_request(ctx, get_db, request, engine)
        try:
            second, second_session = await _open_request(ctx, get_db, request, engine)
            await second.aclose()
        finally:
            await first.aclose()
        if second_session is first_session:
            raise Incorrect(
                "Two requests at once got the same session from `get_db`, so they share one "
                "transaction: one request's rollback throws away the other's writes, and a "
                "commit saves another request's half-done work. Open a new session for every "
                "request: `async with request.app.state.sessionmaker() as session:`.",
                code="same-session",
            )

        # A route that succeeds: its row must be committed.
        agen, session = await _open_request(ctx, get_db, request, engine)
        try:
            account = _Account(owner="ada", balance=10)
            session.add(account)
            await _outcome(ctx, "get_db", anext, agen, _END)
            if "ada" not in await _balances(Session):
                raise Incorrect(
                    "The row the route added was not saved. `get_db` must "
                    "`await session.commit()` right after `yield`, inside `try`, so the "
                    "commit runs once the route has finished.",
                    code="never-commits",
                )
            if account in session:
                raise Incorrect(
                    "After the request `get_db` left its session open: it still holds the "
                    "route's objects, and nothing would ever close it. Open it with "
                    "`async with request.app.state.sessionmaker() as session:`, which closes "
                    "it when the block ends.",
                    code="never-closed",
                )
        finally:
            await agen.aclose()
            await session.close()

        # A route that fails after a flushed write: nothing may be left behind.
        agen, session = await _open_request(ctx, get_db, request, engine)
        try:
            await session.execute(insert(_accounts).values(owner="bob", balance=20))
            status, outcome = await _outcome(
                ctx, "get_db", agen.athrow, _RouteFailed("the route failed")
            )
            if "bob" in await _balances(Session):
                raise Incorrect(
                    "The route failed, yet its row was saved: `get_db` committed after an "
                    "error. Commit only on success, right after `yield` inside `try`, and in "
                    "`except Exception:` roll back instead.",
                    code="commits-after-error",
                )
            if status == "ok" or isinstance(outcome, StopAsyncIteration):
                raise Incorrect(
                    "`get_db` swallowed the route's error. After `await session.rollback()`, "
                    "add `raise`, so the error reaches FastAPI, which then answers with an "
                    "error instead of a success.",
                    code="swallows-error",
                )
            if not isinstance(outcome, _RouteFailed):
                raise Incorrect(
                    f"When the route failed, `get_db` raised {error_summary(outcome)} instead "
                    "of the route's own error. Roll back, then re-raise it with a bare `raise`.",
                    code="raises-other-error",
                )
        finally:
            await agen.aclose()
            await session.close()

        # A route whose commit fails (the database refuses its row): the error must come out.
        agen, session = await _open_request(ctx, get_db, request, engine)
        try:
            session.add(_Account(owner="eve", balance=-5))  # the CHECK constraint refuses it
            status, _ = await _outcome(ctx, "get_db", anext, agen, _END)
            if status == "ok":
                raise Incorrect(
                    "When the commit failed (the database refused the route's row), `get_db` "
                    "finished as if all went well, so the client would be told it was saved. "
                    "Keep `await session.commit()` inside the `try` whose "
                    "`except Exception:` rolls back and re-raises.",
                    code="swallows-commit-error",
                )
        finally:
            await agen.aclose()
            await session.close()
