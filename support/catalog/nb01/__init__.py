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
from answers.alternatives import nb01 as alternatives
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
    teaching_minutes=48,
    exercise_minutes=25,
    objectives=(
        "Create an async engine and a session factory, and say what each one is for.",
        "Build a query with `select()` and say what `execute`, `scalars`, `scalar` and `get` "
        "each give back.",
        "Write a `get_db` dependency that commits when the route succeeds and rolls back "
        "and re-raises when anything fails, and drive it the way FastAPI does.",
        "Explain, with rows, why a session belongs to one request and is never shared.",
        "Say why `expire_on_commit=False` is needed with async sessions.",
        "Choose between an in-memory and a file SQLite database, knowing their pool semantics.",
        "Make several writes one unit of work with `async with Session.begin()`.",
    ),
    package_files=("app/core/database.py",),
    key_points=(
        "The engine is the app's one connection pool; a session is one unit of work. Each "
        "request gets its own session from a factory, which the app keeps in "
        "`app.state.sessionmaker`.",
        "`select()` builds a query and runs nothing; `execute` gives rows, `scalars` the objects, "
        "`scalar` one value, and `get` one object by primary key, from the session's identity "
        "map first.",
        "`get_db` commits after `yield` and, on any error, rolls back and re-raises: a "
        "request's writes are saved together or not at all, and the error still reaches FastAPI.",
        "A shared session shares its transaction: one request's rollback silently discards "
        "another's work.",
        "With async sessions use `expire_on_commit=False`: reading an expired attribute needs IO "
        "and raises `MissingGreenlet`. Refresh explicitly when you need the database's values.",
        "In-memory SQLite is one shared connection (`StaticPool`); with `NullPool` it is a new "
        "empty database per session. Tests that use more than one session want a temporary file.",
    ),
    builds_on="notebook 00 (checks, hints, solutions)",
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
            "that waits forever, or a session left open that still holds the database's lock.",
            code="timeout",
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


async def check_get_db(ctx: CheckContext, get_db: Any) -> None:
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


# --------------------------------------------------------------------------------------------
# make_sessionmaker


async def check_make_sessionmaker(ctx: CheckContext, make_sessionmaker: Any) -> None:
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


# --------------------------------------------------------------------------------------------
# transfer


async def check_transfer(ctx: CheckContext, transfer: Any) -> None:
    if inspect.isfunction(transfer) and not inspect.iscoroutinefunction(transfer):
        # Before require_function: a sync body of only `return None` would read as a stub.
        raise Incorrect(
            "`transfer` must be defined with `async def`: it awaits the database.", code="not-async"
        )
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
                "`async with Session.begin() as session:`.",
                code="sync-with",
            )
        if status == "raised":
            raise Incorrect(
                f"Moving 30 from account 1 to account 2 raised {error_summary(exc)}"
                f"{where_in_answer(transfer, exc)}. Fix it, run your cell again, then this check.",
                code="raised",
            )
        after = await _balances(Session)
        if after == before:
            raise Incorrect(
                "Nothing was saved: `async with Session() as session:` alone never commits. "
                "Open the transaction with `async with Session.begin() as session:` (using the "
                "`Session` you are given), which commits when the block ends.",
                code="never-commits",
            )
        if after != {"alice": 70, "bob": 80}:
            raise Incorrect(
                f"After moving 30 from alice (100) to bob (50) the balances are {after}; "
                "expected alice 70 and bob 80. Subtract `amount` from the sender and add it "
                "to the receiver.",
                code="wrong-balances",
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
                    "so an error undoes the first write too.",
                    code="half-done",
                )
            if status == "ok":
                raise Incorrect(
                    f"A transfer {what} returned normally, so its caller believes the money "
                    "moved. Let the error propagate (`raise`; a `LookupError` for a missing "
                    "account), and do not catch it inside `transfer`.",
                    code="swallows-error",
                )
            if args[2] == 10 and not isinstance(exc, LookupError):
                raise Incorrect(
                    f"A transfer {what} raised {error_summary(exc)} instead of a `LookupError`. "
                    "`await session.get(Account, id)` returns `None` for an id that does not "
                    "exist: check both accounts for `None` and `raise LookupError(...)` before "
                    "changing any balance.",
                    code="not-lookup-error",
                )


EXERCISES = [
    Exercise(
        id="get_db",
        title="A session dependency that leaves nothing behind",
        check=check_get_db,
        answer=answers.get_db,
        hints=[
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
        ],
        mistakes=[
            Mistake(mistakes.get_db_never_commits, code="never-commits"),
            Mistake(mistakes.get_db_commits_before_yield, code="never-commits"),
            Mistake(mistakes.get_db_commits_in_finally, code="commits-after-error"),
            Mistake(mistakes.get_db_swallows_error, code="swallows-error"),
            Mistake(mistakes.get_db_uses_module_factory, code="module-factory"),
            Mistake(mistakes.get_db_returns_session, code="returns-session"),
            Mistake(mistakes.get_db_shares_one_session, code="same-session"),
            Mistake(mistakes.get_db_as_context_manager, code="context-manager"),
            Mistake(mistakes.get_db_never_closes, code="never-closed"),
            Mistake(mistakes.get_db_swallows_commit_error, code="swallows-commit-error"),
            Mistake(mistakes.get_db_wrong_state_name, code="raises-before-yield"),
            Mistake(mistakes.get_db_yields_the_factory, code="yields-not-a-session"),
            Mistake(mistakes.get_db_sync_generator, code="sync-generator"),
            Mistake(mistakes.get_db_as_the_reference_wrote_it, code="no-request-parameter"),
            Mistake(mistakes.get_db_raises_its_own_error, code="raises-other-error"),
        ],
        alternatives=[
            alternatives.get_db_closes_in_finally,
            alternatives.get_db_with_begin,
            alternatives.get_db_try_else,
            alternatives.get_db_commits_inside_begin,
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
            "`AsyncSession`, whose objects keep their values after a commit (section 4).",
            "`async_sessionmaker` (section 6) makes such a factory: its first argument is the "
            "engine, and its keyword `expire_on_commit` decides whether a commit expires the "
            "objects.",
            "One line: `return async_sessionmaker(...)` with the engine and the keyword from "
            "section 4. Return the factory itself, without calling it.",
        ],
        mistakes=[
            Mistake(mistakes.make_sessionmaker_expiring, code="expire-on-commit"),
            Mistake(mistakes.make_sessionmaker_sync, code="sync-sessions"),
            Mistake(mistakes.make_sessionmaker_one_session, code="returns-one-session"),
            Mistake(mistakes.make_sessionmaker_async, code="async-def"),
            Mistake(mistakes.make_sessionmaker_lambda, code="no-begin"),
            Mistake(mistakes.make_sessionmaker_kept_in_a_global, code="cached-factory"),
            Mistake(
                mistakes.make_sessionmaker_one_session_behind_a_function, code="same-session-twice"
            ),
            Mistake(mistakes.make_sessionmaker_without_engine, code="not-bound-to-engine"),
        ],
        alternatives=[alternatives.make_sessionmaker_with_class],
        kind="function",
        success="One factory per app; every request calls it for a session of its own.",
    ),
    Exercise(
        id="transfer",
        title="Move credits between two accounts, atomically",
        check=check_transfer,
        answer=answers.transfer,
        hints=[
            "Both balance changes must be one transaction: one session, one commit at the end, "
            "and a rollback if anything in between raises. Section 6 showed a block that does "
            "exactly that.",
            "`async with Session.begin() as session:` commits when the block ends and rolls back "
            "if it raises; inside it, `await session.get(Account, some_id)` loads an account, or "
            "gives `None` when there is none.",
            "In the block: load the sender and the receiver with `session.get`; if either is "
            "`None`, `raise LookupError(...)`; then subtract `amount` from one `balance` and add "
            "it to the other. No `commit()`: the block does it.",
        ],
        mistakes=[
            Mistake(mistakes.transfer_commits_each_write, code="half-done"),
            Mistake(mistakes.transfer_two_sessions, code="half-done"),
            Mistake(mistakes.transfer_never_commits, code="never-commits"),
            Mistake(mistakes.transfer_swallows_error, code="swallows-error"),
            Mistake(mistakes.transfer_ignores_missing_account, code="not-lookup-error"),
            Mistake(mistakes.transfer_sync_with, code="sync-with"),
            Mistake(mistakes.transfer_backwards, code="wrong-balances"),
        ],
        success="Both writes or neither: the database's transaction, not your code, keeps "
        "the books balanced.",
    ),
]
