"""Wrong answers to notebook 01 that its checks recognise."""

from contextlib import asynccontextmanager

from fastapi import HTTPException
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import sessionmaker

from answers import nb01 as answers
from answers.nb01 import Account
from support.exercises import edited, mistake

# The reference's module-level factory, bound to a database of its own (never opened here).
AsyncSessionLocal = sessionmaker(
    create_async_engine("sqlite+aiosqlite://"), class_=AsyncSession, expire_on_commit=False
)


# --- get_db -----------------------------------------------------------------------------------

SESSIONMAKER = "request.app.state.sessionmaker()"


def _get_db(name: str, *edits: tuple[str, str], **using: object):
    return edited(answers.get_db, *edits, name=name, using=using)


@mistake("get_db", code="never-commits")
async def get_db_never_commits(request):
    # The FastAPI tutorial's shape, where routes commit themselves: here nobody does.
    async with request.app.state.sessionmaker() as session:
        yield session


@mistake("get_db", code="never-commits")
async def get_db_commits_before_yield(request):
    async with request.app.state.sessionmaker() as session:
        await session.commit()
        yield session


@mistake("get_db", code="commits-after-error")
async def get_db_commits_in_finally(request):
    async with request.app.state.sessionmaker() as session:
        try:
            yield session
        finally:
            await session.commit()  # also after an error: half a unit of work is saved


get_db_swallows_error = mistake("get_db", code="swallows-error")(
    _get_db(
        "get_db_swallows_error",
        # ...and no `raise`: the caller never hears of it
        ("await session.rollback()\n            raise", "await session.rollback()"),
    )
)


get_db_uses_module_factory = mistake("get_db", code="module-factory")(
    _get_db(
        "get_db_uses_module_factory",
        (SESSIONMAKER, "AsyncSessionLocal()"),
        AsyncSessionLocal=AsyncSessionLocal,
    )
)


@mistake("get_db", code="returns-session")
async def get_db_returns_session(request):
    async with request.app.state.sessionmaker() as session:
        return session


@mistake("get_db", code="same-session")
async def get_db_shares_one_session(request):
    state = request.app.state
    if not hasattr(state, "session"):
        state.session = state.sessionmaker()  # made once, then handed to every request
    try:
        yield state.session
        await state.session.commit()
    except Exception:
        await state.session.rollback()
        raise


@mistake("get_db", code="context-manager")
@asynccontextmanager  # FastAPI would inject the context manager object, not a session
async def get_db_as_context_manager(request):
    async with request.app.state.sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except Exception:
            await session.rollback()
            raise


@mistake("get_db", code="never-closed")
async def get_db_never_closes(request):
    session = request.app.state.sessionmaker()  # no `async with`: nothing ever closes it
    try:
        yield session
        await session.commit()
    except Exception:
        await session.rollback()
        raise


@mistake("get_db", code="swallows-commit-error")
async def get_db_swallows_commit_error(request):
    async with request.app.state.sessionmaker() as session:
        try:
            yield session
        except Exception:
            await session.rollback()
            raise
        try:
            await session.commit()
        except Exception:
            await session.rollback()  # the route "succeeded", so the client hears nothing


get_db_wrong_state_name = mistake("get_db", code="raises-before-yield")(
    # it is `sessionmaker`
    _get_db("get_db_wrong_state_name", (SESSIONMAKER, "request.app.state.session_factory()"))
)


@mistake("get_db", code="yields-not-a-session")
async def get_db_yields_the_factory(request):
    yield request.app.state.sessionmaker  # the factory, not a session made by it


@mistake("get_db", code="sync-generator")
def get_db_sync_generator(request):
    with request.app.state.sessionmaker() as session:  # `def` and `with`: nothing awaited
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise


get_db_as_the_reference_wrote_it = mistake("get_db", code="no-request-parameter")(
    # no `request`: the factory is a module global
    _get_db(
        "get_db_as_the_reference_wrote_it",
        ("(request: Request)", "()"),
        (SESSIONMAKER, "AsyncSessionLocal()"),
        AsyncSessionLocal=AsyncSessionLocal,
    )
)


get_db_raises_its_own_error = mistake("get_db", code="raises-other-error")(
    _get_db(
        "get_db_raises_its_own_error",
        ("raise", 'raise HTTPException(status_code=500, detail="Database error") from None'),
        HTTPException=HTTPException,
    )
)


# --- make_sessionmaker ------------------------------------------------------------------------

FACTORY = "async_sessionmaker(engine, expire_on_commit=False)"


def _make_sessionmaker(name: str, *edits: tuple[str, str], **using: object):
    return edited(answers.make_sessionmaker, *edits, name=name, using=using)


make_sessionmaker_expiring = mistake("make_sessionmaker", code="expire-on-commit")(
    _make_sessionmaker("make_sessionmaker_expiring", (FACTORY, "async_sessionmaker(engine)"))
)


make_sessionmaker_sync = mistake("make_sessionmaker", code="sync-sessions")(
    _make_sessionmaker(
        "make_sessionmaker_sync",
        (FACTORY, "sessionmaker(engine, expire_on_commit=False)"),
        sessionmaker=sessionmaker,
    )
)


make_sessionmaker_one_session = mistake("make_sessionmaker", code="returns-one-session")(
    _make_sessionmaker(
        "make_sessionmaker_one_session", (FACTORY, "AsyncSession(engine, expire_on_commit=False)")
    )
)


# Everything else here is async; this is not: called without `await` it returns a coroutine.
make_sessionmaker_async = mistake("make_sessionmaker", code="async-def")(
    _make_sessionmaker(
        "make_sessionmaker_async", ("def make_sessionmaker(", "async def make_sessionmaker(")
    )
)


# Makes sessions, but is no sessionmaker: no `.begin()`, which section 6 relies on.
make_sessionmaker_lambda = mistake("make_sessionmaker", code="no-begin")(
    _make_sessionmaker(
        "make_sessionmaker_lambda",
        (FACTORY, "lambda: AsyncSession(engine, expire_on_commit=False)"),
    )
)


_factories = []


@mistake("make_sessionmaker", code="cached-factory")
def make_sessionmaker_kept_in_a_global(engine):
    if not _factories:  # "build it once": every later engine gets the first one's factory
        _factories.append(async_sessionmaker(engine, expire_on_commit=False))
    return _factories[0]


@mistake("make_sessionmaker", code="same-session-twice")
def make_sessionmaker_one_session_behind_a_function(engine):
    session = AsyncSession(engine, expire_on_commit=False)
    return lambda: session  # every caller gets this one session


make_sessionmaker_without_engine = mistake("make_sessionmaker", code="not-bound-to-engine")(
    # bound to nothing
    _make_sessionmaker(
        "make_sessionmaker_without_engine", (FACTORY, "async_sessionmaker(expire_on_commit=False)")
    )
)


# --- transfer ---------------------------------------------------------------------------------

CHECK = """        if sender is None or receiver is None:
            raise LookupError("no such account")
"""


def _transfer(name: str, *edits: tuple[str, str], **using: object):
    return edited(answers.transfer, *edits, name=name, using=using)


@mistake("transfer", code="half-done")
async def transfer_commits_each_write(Session, from_id, to_id, amount):
    async with Session() as session:
        sender = await session.get(Account, from_id)
        sender.balance -= amount
        await session.commit()
        receiver = await session.get(Account, to_id)
        receiver.balance += amount
        await session.commit()


@mistake("transfer", code="half-done")
async def transfer_two_sessions(Session, from_id, to_id, amount):
    async with Session.begin() as session:
        sender = await session.get(Account, from_id)
        sender.balance -= amount
    async with Session.begin() as session:
        receiver = await session.get(Account, to_id)
        receiver.balance += amount


transfer_never_commits = mistake("transfer", code="never-commits")(
    _transfer("transfer_never_commits", ("Session.begin()", "Session()"), (CHECK, ""))
)


@mistake("transfer", code="swallows-error")
async def transfer_swallows_error(Session, from_id, to_id, amount):
    async with Session() as session:
        try:
            sender = await session.get(Account, from_id)
            receiver = await session.get(Account, to_id)
            sender.balance -= amount
            receiver.balance += amount
            await session.commit()
        except Exception:
            await session.rollback()  # nothing saved, but the caller believes it worked


transfer_ignores_missing_account = mistake("transfer", code="not-lookup-error")(
    # None for a missing id: AttributeError, not LookupError
    _transfer("transfer_ignores_missing_account", (CHECK, ""))
)


transfer_sync_with = mistake("transfer", code="sync-with")(
    # async sessions open with `async with`
    _transfer("transfer_sync_with", ("async with", "with"))
)


transfer_backwards = mistake("transfer", code="wrong-balances")(
    # the signs swapped
    _transfer(
        "transfer_backwards",
        (
            "sender.balance -= amount\n        receiver.balance += amount",
            "sender.balance += amount\n        receiver.balance -= amount",
        ),
    )
)
