"""Wrong answers to notebook 01 that its checks recognise."""

from contextlib import asynccontextmanager

from fastapi import HTTPException
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import sessionmaker

from answers.nb01 import Account
from support.exercises import mistake

# The reference's module-level factory, bound to a database of its own (never opened here).
AsyncSessionLocal = sessionmaker(
    create_async_engine("sqlite+aiosqlite://"), class_=AsyncSession, expire_on_commit=False
)


# --- get_db -----------------------------------------------------------------------------------


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


@mistake("get_db", code="swallows-error")
async def get_db_swallows_error(request):
    async with request.app.state.sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except Exception:
            await session.rollback()  # ...and no `raise`: the caller never hears of it


@mistake("get_db", code="module-factory")
async def get_db_uses_module_factory(request):
    async with AsyncSessionLocal() as session:
        try:
            yield session
            await session.commit()
        except Exception:
            await session.rollback()
            raise


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


@mistake("get_db", code="raises-before-yield")
async def get_db_wrong_state_name(request):
    async with request.app.state.session_factory() as session:  # it is `sessionmaker`
        try:
            yield session
            await session.commit()
        except Exception:
            await session.rollback()
            raise


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


@mistake("get_db", code="no-request-parameter")
async def get_db_as_the_reference_wrote_it():
    async with AsyncSessionLocal() as session:  # no `request`: the factory is a module global
        try:
            yield session
            await session.commit()
        except Exception:
            await session.rollback()
            raise


@mistake("get_db", code="raises-other-error")
async def get_db_raises_its_own_error(request):
    async with request.app.state.sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except Exception:
            await session.rollback()
            raise HTTPException(status_code=500, detail="Database error") from None


# --- make_sessionmaker ------------------------------------------------------------------------


@mistake("make_sessionmaker", code="expire-on-commit")
def make_sessionmaker_expiring(engine):
    return async_sessionmaker(engine)


@mistake("make_sessionmaker", code="sync-sessions")
def make_sessionmaker_sync(engine):
    return sessionmaker(engine, expire_on_commit=False)


@mistake("make_sessionmaker", code="returns-one-session")
def make_sessionmaker_one_session(engine):
    return AsyncSession(engine, expire_on_commit=False)


@mistake("make_sessionmaker", code="async-def")
async def make_sessionmaker_async(engine):
    # Everything else here is async; this is not: called without `await` it returns a coroutine.
    return async_sessionmaker(engine, expire_on_commit=False)


@mistake("make_sessionmaker", code="no-begin")
def make_sessionmaker_lambda(engine):
    # Makes sessions, but is no sessionmaker: no `.begin()`, which section 6 relies on.
    return lambda: AsyncSession(engine, expire_on_commit=False)


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


@mistake("make_sessionmaker", code="not-bound-to-engine")
def make_sessionmaker_without_engine(engine):
    return async_sessionmaker(expire_on_commit=False)  # bound to nothing


# --- transfer ---------------------------------------------------------------------------------


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


@mistake("transfer", code="never-commits")
async def transfer_never_commits(Session, from_id, to_id, amount):
    async with Session() as session:
        sender = await session.get(Account, from_id)
        receiver = await session.get(Account, to_id)
        sender.balance -= amount
        receiver.balance += amount


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


@mistake("transfer", code="not-lookup-error")
async def transfer_ignores_missing_account(Session, from_id, to_id, amount):
    async with Session.begin() as session:
        sender = await session.get(Account, from_id)
        receiver = await session.get(Account, to_id)
        sender.balance -= amount  # None for a missing id: AttributeError, not LookupError
        receiver.balance += amount


@mistake("transfer", code="sync-with")
async def transfer_sync_with(Session, from_id, to_id, amount):
    with Session.begin() as session:  # async sessions open with `async with`
        sender = await session.get(Account, from_id)
        receiver = await session.get(Account, to_id)
        if sender is None or receiver is None:
            raise LookupError("no such account")
        sender.balance -= amount
        receiver.balance += amount


@mistake("transfer", code="wrong-balances")
async def transfer_backwards(Session, from_id, to_id, amount):
    async with Session.begin() as session:
        sender = await session.get(Account, from_id)
        receiver = await session.get(Account, to_id)
        if sender is None or receiver is None:
            raise LookupError("no such account")
        sender.balance += amount  # the signs swapped
        receiver.balance -= amount
