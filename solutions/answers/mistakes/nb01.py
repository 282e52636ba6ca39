"""Wrong answers to notebook 01 that its checks recognise."""

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import sessionmaker

from answers.nb01 import Account

# The reference's module-level factory, bound to a database of its own (never opened here).
AsyncSessionLocal = sessionmaker(
    create_async_engine("sqlite+aiosqlite://"), class_=AsyncSession, expire_on_commit=False
)


# --- get_db -----------------------------------------------------------------------------------


async def get_db_never_commits(request):
    # The FastAPI tutorial's shape, where routes commit themselves: here nobody does.
    async with request.app.state.sessionmaker() as session:
        yield session


async def get_db_commits_before_yield(request):
    async with request.app.state.sessionmaker() as session:
        await session.commit()
        yield session


async def get_db_commits_in_finally(request):
    async with request.app.state.sessionmaker() as session:
        try:
            yield session
        finally:
            await session.commit()  # also after an error: half a unit of work is saved


async def get_db_swallows_error(request):
    async with request.app.state.sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except Exception:
            await session.rollback()  # ...and no `raise`: the caller never hears of it


async def get_db_uses_module_factory(request):
    async with AsyncSessionLocal() as session:
        try:
            yield session
            await session.commit()
        except Exception:
            await session.rollback()
            raise


async def get_db_returns_session(request):
    async with request.app.state.sessionmaker() as session:
        return session


# --- make_sessionmaker ------------------------------------------------------------------------


def make_sessionmaker_expiring(engine):
    return async_sessionmaker(engine)


def make_sessionmaker_sync(engine):
    return sessionmaker(engine, expire_on_commit=False)


def make_sessionmaker_one_session(engine):
    return AsyncSession(engine, expire_on_commit=False)


async def make_sessionmaker_async(engine):
    # Everything else here is async; this is not: called without `await` it returns a coroutine.
    return async_sessionmaker(engine, expire_on_commit=False)


def make_sessionmaker_lambda(engine):
    # Makes sessions, but is no sessionmaker: no `.begin()`, which section 6 relies on.
    return lambda: AsyncSession(engine, expire_on_commit=False)


# --- transfer ---------------------------------------------------------------------------------


async def transfer_commits_each_write(Session, from_id, to_id, amount):
    async with Session() as session:
        sender = await session.get(Account, from_id)
        sender.balance -= amount
        await session.commit()
        receiver = await session.get(Account, to_id)
        receiver.balance += amount
        await session.commit()


async def transfer_never_commits(Session, from_id, to_id, amount):
    async with Session() as session:
        sender = await session.get(Account, from_id)
        receiver = await session.get(Account, to_id)
        sender.balance -= amount
        receiver.balance += amount


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


async def transfer_ignores_missing_account(Session, from_id, to_id, amount):
    async with Session.begin() as session:
        sender = await session.get(Account, from_id)
        receiver = await session.get(Account, to_id)
        sender.balance -= amount  # None for a missing id: AttributeError, not LookupError
        receiver.balance += amount


async def transfer_sync_with(Session, from_id, to_id, amount):
    with Session.begin() as session:  # async sessions open with `async with`
        sender = await session.get(Account, from_id)
        receiver = await session.get(Account, to_id)
        if sender is None or receiver is None:
            raise LookupError("no such account")
        sender.balance -= amount
        receiver.balance += amount


async def transfer_two_sessions(Session, from_id, to_id, amount):
    async with Session.begin() as session:
        sender = await session.get(Account, from_id)
        sender.balance -= amount
    async with Session.begin() as session:
        receiver = await session.get(Account, to_id)
        receiver.balance += amount
