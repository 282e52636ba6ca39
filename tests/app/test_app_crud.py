"""The CRUD layer on its own: it flushes, never commits, and orders lists by id."""

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.crud.item import item_crud
from app.crud.user import user_crud
from app.models import User
from app.schemas.item import ItemCreate, ItemUpdate
from app.schemas.user import UserCreate

pytestmark = pytest.mark.anyio


@pytest.fixture
async def db(application: FastAPI) -> AsyncIterator[AsyncSession]:
    try:
        async with application.state.sessionmaker() as session:
            yield session
    finally:
        await application.state.engine.dispose()


async def make_user(db: AsyncSession, email: str = "ann@example.com") -> User:
    user_in = UserCreate(email=email, password="correct horse")
    return await user_crud.create(db, user_in, hashed_password="not-a-real-hash")


async def test_writes_are_flushed_but_not_committed(db: AsyncSession, sql) -> None:
    user = await make_user(db)

    assert user.id is not None
    assert user.created_at is not None
    assert sql("SELECT count(*) FROM users") == [(0,)]
    await db.commit()
    assert sql("SELECT count(*) FROM users") == [(1,)]


async def test_get_by_email_ignores_case_and_spaces(db: AsyncSession) -> None:
    user = await make_user(db)

    assert await user_crud.get_by_email(db, " ANN@Example.com ") is user
    assert await user_crud.get_by_email(db, "bob@example.com") is None
    assert await user_crud.get_by_email(db, "ann\x00@example.com") is None


async def test_list_is_ordered_by_id_and_paged(db: AsyncSession) -> None:
    users = [await make_user(db, f"user{n}@example.com") for n in range(5)]

    page = await user_crud.list(db, offset=1, limit=3)

    assert [user.id for user in page] == [user.id for user in users[1:4]]


async def test_item_crud(db: AsyncSession) -> None:
    ann, bob = await make_user(db), await make_user(db, "bob@example.com")
    first = await item_crud.create_for_owner(db, ItemCreate(title="first"), owner_id=ann.id)
    await item_crud.create_for_owner(db, ItemCreate(title="bob's"), owner_id=bob.id)
    second = await item_crud.create_for_owner(db, ItemCreate(title="second"), owner_id=ann.id)

    items, total = await item_crud.list_for_owner(db, ann.id, offset=0, limit=10)
    assert ([item.id for item in items], total) == ([first.id, second.id], 2)

    await item_crud.update(db, first, ItemUpdate(description="set"))
    assert (first.title, first.description) == ("first", "set")

    await item_crud.delete(db, first)
    assert await item_crud.get(db, first.id) is None
