"""Notebook 01 · The database session: its lesson card and exercises."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    select,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Session as SyncSession

from answers import nb01 as answers
from answers.mistakes import nb01 as mistakes
from support.catalog import Lesson
from support.exercises import (
    CheckContext,
    Exercise,
    Incorrect,
    Mistake,
    NotAttempted,
    describe,
    error_summary,
    where_in_answer,
)

LESSON = Lesson(
    number="01",
    title="The database session",
    filename="01_database_session.ipynb",
    teaching_minutes=35,
    exercise_minutes=25,
    objectives=(
        "Create an async engine and a session factory, and say what each one is for.",
        "Write a `get_db` dependency that commits when the route succeeds and rolls back "
        "and re-raises when anything fails, and drive it the way FastAPI does.",
        "Explain, with rows, why a session belongs to one request and is never shared.",
        "Say why `expire_on_commit=False` is needed with async sessions.",
        "Choose between an in-memory and a file SQLite database, knowing their pool semantics.",
        "Make several writes one unit of work with `async with Session.begin()`.",
    ),
    package_files=("app/core/database.py",),
    key_points=(
        "The engine is the app's one connection pool; a session is one unit of work: "
        "one per request, from a factory.",
        "`get_db` commits after `yield` and, on any error, rolls back and re-raises: a "
        "request's writes are saved together or not at all.",
        "A shared session shares its transaction: one request's rollback silently discards "
        "another's work.",
        "With async sessions, `expire_on_commit=False`: reading an expired attribute needs IO "
        "and raises MissingGreenlet.",
        "In-memory SQLite means one shared connection (StaticPool); tests that use more than "
        "one session want a temporary file.",
    ),
)

# The checks' own copy of the notebook's `accounts` table: the learner's `Account` model maps
# onto it, so the checks can seed and read rows without the learner's classes.
_metadata = MetaData()
_accounts = Table(
    "accounts",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("owner", String, unique=True, nullable=False),
    Column("balance", Integer, nullable=False),
    CheckConstraint("balance >= 0", name="balance_not_negative"),
)


class _CheckBase(DeclarativeBase):
    metadata = _metadata


class _Account(_CheckBase):
    __table__ = _accounts


class _RouteFailed(Exception):
    """The error a check throws into `get_db`, standing for a route that failed."""


_END = object()


async def _balances(Session: Any) -> dict[str, int]:
    async with Session() as session:
        result = await session.execute(
            select(_accounts.c.owner, _accounts.c.balance).order_by(_accounts.c.id)
        )
        return {owner: balance for owner, balance in result.all()}


async def _outcome(ctx: CheckContext, name: str, fn: Any, *args: Any) -> tuple[str, Any]:
    """Call and await learner code with a time limit: ("ok", value) or ("raised", exception)."""

    async def run() -> Any:
        return await fn(*args)

    try:
        return "ok", await asyncio.wait_for(run(), ctx.call_timeout)
    except TimeoutError:
        raise Incorrect(
            f"`{name}` did not finish within {ctx.call_timeout:g} seconds. Look for an `await` "
            "that waits forever, or a session left open that still holds the database's lock."
        ) from None
    except NotImplementedError:
        raise NotAttempted() from None
    except Exception as exc:
        return "raised", exc


# --------------------------------------------------------------------------------------------
# get_db


async def _open_request(ctx: CheckContext, get_db: Any, request: Any, engine: Any):
    """Start the learner's dependency as FastAPI does; return (generator, session)."""
    agen = get_db(request)
    status, session = await _outcome(ctx, "get_db", anext, agen, _END)
    if status == "raised":
        await agen.aclose()
        raise Incorrect(
            f"Before `yield`, `get_db` raised {error_summary(session)}. It should only open a "
            "session, `async with request.app.state.sessionmaker() as session:`, and yield it."
        )
    if session is _END:
        raise Incorrect(
            "`get_db` finished without yielding anything: `yield session` inside the "
            "`async with` block, so the route gets the session."
        )
    if not isinstance(session, AsyncSession):
        await agen.aclose()
        raise Incorrect(
            f"`get_db` yielded {describe(session)}; it should yield the `AsyncSession` it "
            "opened: `yield session`."
        )
    if session.bind is not engine:
        await agen.aclose()
        raise Incorrect(
            "The session `get_db` yielded is not bound to the app's database. Take the factory "
            "from `request.app.state.sessionmaker` instead of a module-level one such as "
            "`AsyncSessionLocal`."
        )
    return agen, session


async def check_get_db(ctx: CheckContext, get_db: Any) -> None:
    from fastapi import FastAPI
    from starlette.requests import Request

    ctx.require_function(get_db, is_async=False, name="get_db")
    if not inspect.isasyncgenfunction(get_db):
        if inspect.isgeneratorfunction(get_db):
            raise Incorrect(
                "`get_db` must be defined with `async def`: opening, committing and rolling "
                "back a session are awaited."
            )
        raise Incorrect(
            "`get_db` must `yield` the session, not return it: FastAPI runs the code after "
            "`yield` once the route has finished, and that is where the commit goes."
        )
    try:
        inspect.signature(get_db).bind(None)
    except TypeError:
        raise Incorrect(
            "FastAPI will call `get_db` with the request: define it as "
            "`async def get_db(request: Request)` and take the factory from "
            "`request.app.state.sessionmaker`."
        ) from None

    async with ctx.database(_metadata) as Session:
        app = FastAPI()
        app.state.sessionmaker = Session
        request = Request({"type": "http", "app": app, "headers": []})
        engine = Session.kw["bind"]

        # A route that succeeds: its row must be committed.
        agen, session = await _open_request(ctx, get_db, request, engine)
        try:
            await session.execute(insert(_accounts).values(owner="ada", balance=10))
            status, after = await _outcome(ctx, "get_db", anext, agen, _END)
            if status == "raised":
                raise Incorrect(
                    f"After a route that succeeded, `get_db` raised {error_summary(after)}. "
                    "After `yield`, only `await session.commit()`."
                )
            if after is not _END:
                raise Incorrect("`get_db` yielded twice: yield the session once.")
            if "ada" not in await _balances(Session):
                raise Incorrect(
                    "The row the route added was not saved. `get_db` must "
                    "`await session.commit()` right after `yield`, inside `try`, so the "
                    "commit runs once the route has finished."
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
                    "`except Exception:` roll back instead."
                )
            if status == "ok":
                raise Incorrect(
                    "After the route's error, `get_db` yielded again. Yield once; in "
                    "`except Exception:` roll back and `raise`."
                )
            if isinstance(outcome, StopAsyncIteration):
                raise Incorrect(
                    "`get_db` swallowed the route's error. After `await session.rollback()`, "
                    "add `raise`, so the error reaches FastAPI, which then answers with an "
                    "error instead of a success."
                )
            if not isinstance(outcome, _RouteFailed):
                raise Incorrect(
                    f"When the route failed, `get_db` raised {error_summary(outcome)} instead "
                    "of the route's own error. Roll back, then re-raise it with a bare `raise`."
                )
            if session.in_transaction():
                raise Incorrect(
                    "After the error the session still holds an open transaction. Roll it "
                    "back with `await session.rollback()`, and open the session with "
                    "`async with` so it is closed."
                )
        finally:
            await agen.aclose()
            await session.close()


# --------------------------------------------------------------------------------------------
# make_sessionmaker


async def check_make_sessionmaker(ctx: CheckContext, make_sessionmaker: Any) -> None:
    if inspect.iscoroutinefunction(make_sessionmaker):
        # ctx.call would await it for us; create_app calls it plainly and gets a coroutine.
        raise Incorrect(
            "`make_sessionmaker` must be a plain `def`, not `async def`: building a factory "
            "does no I/O, and `create_app` calls it without `await`, so it would get a "
            "coroutine instead of a factory."
        )
    ctx.require_function(make_sessionmaker, is_async=False, name="make_sessionmaker")
    async with ctx.database(_metadata) as Session:
        engine = Session.kw["bind"]
        factory = await ctx.call(make_sessionmaker, engine)
        if factory is None:
            raise Incorrect(
                "`make_sessionmaker` returned `None`: add `return` in front of "
                "`async_sessionmaker(engine, expire_on_commit=False)`."
            )
        if isinstance(factory, (AsyncSession, SyncSession)):
            await _close_any(factory)
            raise Incorrect(
                "`make_sessionmaker` returned one session. Return the factory, "
                "`async_sessionmaker(engine, expire_on_commit=False)`: every request calls it "
                "to get a session of its own."
            )
        if not callable(factory):
            raise Incorrect(
                f"`make_sessionmaker` returned {describe(factory)}; return "
                "`async_sessionmaker(engine, expire_on_commit=False)`."
            )
        session = await ctx.call(factory)
        if not isinstance(session, AsyncSession):
            await _close_any(session)
            raise Incorrect(
                f"The factory makes `{type(session).__name__}` objects, not `AsyncSession`s "
                "(`sessionmaker(engine)` makes synchronous sessions). Use "
                "`async_sessionmaker(engine, expire_on_commit=False)`."
            )
        async with session:
            other = factory()
            await _close_any(other)
            if other is session:
                raise Incorrect(
                    "The factory returned the same session twice. Return "
                    "`async_sessionmaker(...)` itself, so each call makes a new session."
                )
            if session.bind is not engine:
                raise Incorrect(
                    "The sessions are not bound to the engine you were given: pass it as the "
                    "first argument, `async_sessionmaker(engine, ...)`."
                )
            account = _Account(owner="ada", balance=10)
            session.add(account)
            await session.commit()
            if "balance" in sa_inspect(account).unloaded:
                raise Incorrect(
                    "After `commit()` the object's attributes expired, so reading "
                    "`account.balance` would need the database again and raise MissingGreenlet. "
                    "Pass `expire_on_commit=False` to `async_sessionmaker`."
                )
        if await _balances(Session) != {"ada": 10}:
            raise Incorrect(
                "A row committed through your factory's session did not reach the database: "
                "bind the factory to the engine you were given."
            )
        if not callable(getattr(factory, "begin", None)):
            raise Incorrect(
                "Your factory makes sessions but has no `.begin()`, which scripts and jobs use "
                "for `async with Session.begin() as session:` (section 6). Return "
                "`async_sessionmaker(engine, ...)` itself rather than a function or lambda "
                "around `AsyncSession(...)`."
            )
        status, exc = await _outcome(ctx, "make_sessionmaker", _add_in_begin, factory)
        if status == "raised" or await _balances(Session) != {"ada": 10, "bob": 20}:
            raise Incorrect(
                "`async with factory.begin() as session:` did not commit a row"
                + (f" (it raised {error_summary(exc)})" if status == "raised" else "")
                + ". Return `async_sessionmaker(engine, expire_on_commit=False)`."
            )


async def _add_in_begin(factory: Any) -> None:
    async with factory.begin() as session:
        session.add(_Account(owner="bob", balance=20))


async def _close_any(obj: Any) -> None:
    close = getattr(obj, "close", None)
    if close is None:
        return
    result = close()
    if inspect.isawaitable(result):
        await result


# --------------------------------------------------------------------------------------------
# transfer


async def check_transfer(ctx: CheckContext, transfer: Any) -> None:
    if inspect.isfunction(transfer) and not inspect.iscoroutinefunction(transfer):
        # Before require_function: a sync body of only `return None` would read as a stub.
        raise Incorrect("`transfer` must be defined with `async def`: it awaits the database.")
    ctx.require_function(transfer, is_async=True, name="transfer")
    async with ctx.database(_metadata) as Session:
        async with Session.begin() as session:
            await session.execute(
                insert(_accounts),
                [
                    {"id": 1, "owner": "alice", "balance": 100},
                    {"id": 2, "owner": "bob", "balance": 50},
                ],
            )
        before = await _balances(Session)

        status, exc = await _outcome(ctx, "transfer", transfer, Session, 1, 2, 30)
        if status == "raised" and isinstance(exc, TypeError) and "context manager" in str(exc):
            raise Incorrect(
                f"Moving 30 from account 1 to account 2 raised {error_summary(exc)}. Async "
                "sessions open with `async with`, not `with`: "
                "`async with Session.begin() as session:`."
            )
        if status == "raised":
            raise Incorrect(
                f"Moving 30 from account 1 to account 2 raised {error_summary(exc)}"
                f"{where_in_answer(transfer, exc)}. Fix it, run your cell again, then this check."
            )
        after = await _balances(Session)
        if after == before:
            raise Incorrect(
                "Nothing was saved: `async with Session() as session:` alone never commits. "
                "Open the transaction with `async with Session.begin() as session:` (using the "
                "`Session` you are given), which commits when the block ends."
            )
        if after != {"alice": 70, "bob": 80}:
            raise Incorrect(
                f"After moving 30 from alice (100) to bob (50) the balances are {after}; "
                "expected alice 70 and bob 80. Subtract `amount` from the sender and add it "
                "to the receiver."
            )

        failing = [
            ((1, 999, 10), "to account 999, which does not exist,"),
            ((999, 2, 10), "from account 999, which does not exist,"),
            ((2, 1, 1000), "of 1000 from bob, which his balance cannot cover,"),
        ]
        for args, what in failing:
            status, exc = await _outcome(ctx, "transfer", transfer, Session, *args)
            now = await _balances(Session)
            if now != after:
                raise Incorrect(
                    f"A transfer {what} failed half-way: the balances went from {after} to "
                    f"{now}. Do both writes in one transaction: one `async with "
                    "Session.begin() as session:` around both, with no `commit()` in between, "
                    "so an error undoes the first write too."
                )
            if status == "ok":
                raise Incorrect(
                    f"A transfer {what} returned normally, so its caller believes the money "
                    "moved. Let the error propagate (`raise`; a `LookupError` for a missing "
                    "account), and do not catch it inside `transfer`."
                )
            if args[2] == 10 and not isinstance(exc, LookupError):
                raise Incorrect(
                    f"A transfer {what} raised {error_summary(exc)} instead of a `LookupError`. "
                    "`await session.get(Account, id)` returns `None` for an id that does not "
                    "exist: check both accounts for `None` and `raise LookupError(...)` before "
                    "changing any balance."
                )


EXERCISES = [
    Exercise(
        id="get_db",
        title="A session dependency that leaves nothing behind",
        check=check_get_db,
        answer=answers.get_db,
        hints=[
            "The commit-or-roll-back logic is already right in the reference's `get_db`; only "
            "where the session comes from changes. Which object does FastAPI hand a "
            "dependency that tells it which app is serving the request?",
            "Take a `request: Request` parameter and open the session with "
            "`async with request.app.state.sessionmaker() as session:`; inside, keep the "
            "reference's `try` / `yield` / commit / `except` rollback-and-`raise`.",
        ],
        mistakes=[
            Mistake(mistakes.get_db_never_commits, says="await session.commit()"),
            Mistake(mistakes.get_db_commits_before_yield, says="right after `yield`"),
            Mistake(mistakes.get_db_commits_in_finally, says="Commit only on success"),
            Mistake(mistakes.get_db_swallows_error, says="add `raise`"),
            Mistake(mistakes.get_db_uses_module_factory, says="request.app.state.sessionmaker"),
            Mistake(mistakes.get_db_returns_session, says="must `yield` the session"),
        ],
        kind="function",  # an async generator function: FastAPI drives it, nobody awaits it
        success="Success commits; an error leaves no row behind and reaches the caller, as "
        "in the finished package's `get_db` (`ex.get_db.solution()`).",
    ),
    Exercise(
        id="make_sessionmaker",
        title="A session factory whose objects stay readable after commit",
        check=check_make_sessionmaker,
        answer=answers.make_sessionmaker,
        hints=[
            "Return a factory, not a session: something each request calls to get a new "
            "`AsyncSession`. Section 6 showed the one made for async sessions.",
            "Return `async_sessionmaker(...)` bound to `engine`, without calling it, with the "
            "option from section 4 that keeps objects loaded after a commit.",
        ],
        mistakes=[
            Mistake(mistakes.make_sessionmaker_expiring, says="expire_on_commit=False"),
            Mistake(mistakes.make_sessionmaker_sync, says="synchronous sessions"),
            Mistake(mistakes.make_sessionmaker_one_session, says="Return the factory"),
            Mistake(mistakes.make_sessionmaker_async, says="plain `def`"),
            Mistake(mistakes.make_sessionmaker_lambda, says="no `.begin()`"),
        ],
        kind="function",
        success="One factory per app; every request calls it for a session of its own.",
    ),
    Exercise(
        id="transfer",
        title="Move credits between two accounts, atomically",
        check=check_transfer,
        answer=answers.transfer,
        hints=[
            "Everything happens inside one `async with Session.begin() as session:` block: it "
            "commits when the block ends and rolls back if anything inside raises.",
            "In the block: `sender = await session.get(Account, from_id)`, the same for the "
            "receiver; if either is `None`, `raise LookupError(...)`; then change both "
            "`balance`s. No `commit()`: the block does it.",
        ],
        mistakes=[
            Mistake(mistakes.transfer_commits_each_write, says="one transaction"),
            Mistake(mistakes.transfer_two_sessions, says="one transaction"),
            Mistake(mistakes.transfer_never_commits, says="Session.begin()"),
            Mistake(mistakes.transfer_swallows_error, says="Let the error propagate"),
            Mistake(mistakes.transfer_ignores_missing_account, says="LookupError"),
            Mistake(mistakes.transfer_sync_with, says="not `with`"),
        ],
        success="Both writes or neither: the database's transaction, not your code, keeps "
        "the books balanced.",
    ),
]
