"""Other correct answers to notebook 01 · The database session."""

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker


async def get_db_with_begin(request):
    # begin(): commits when the block ends, rolls back and re-raises when the route fails.
    async with request.app.state.sessionmaker.begin() as session:
        yield session


async def get_db_try_else(request):
    async with request.app.state.sessionmaker() as session:
        try:
            yield session
        except Exception:
            await session.rollback()
            raise
        else:
            await session.commit()


async def get_db_commits_inside_begin(request):
    async with request.app.state.sessionmaker() as session, session.begin():
        yield session
        await session.commit()  # begin()'s block would commit anyway: harmless


def make_sessionmaker_with_class(engine):
    # The reference's spelling: a sessionmaker of AsyncSession, whose begin() is async too.
    return sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


async def get_db_closes_in_finally(request):
    session = request.app.state.sessionmaker()
    try:
        yield session
        await session.commit()
    except Exception:
        await session.rollback()
        raise
    finally:
        await session.close()
