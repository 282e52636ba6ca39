"""Answers to notebook 05 · Routes."""

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.deps import SessionDep
from app.core.security import hash_password
from app.crud.item import item_crud
from app.crud.user import user_crud
from app.models import Item, User
from app.schemas.user import UserCreate, UserResponse


async def read_item(item_id: int, db: SessionDep) -> Item:
    item = await item_crud.get(db, item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return item


async def list_items(
    db: SessionDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Sequence[Item]:
    return await item_crud.list(db, offset=offset, limit=limit)


# The notebook's, from step 8: the unique index decides, a taken email is a 409.
async def insert_user(db: AsyncSession, user_in: UserCreate) -> User:
    try:
        return await user_crud.create(db, user_in, hashed_password=hash_password(user_in.password))
    except IntegrityError:
        raise HTTPException(status_code=409, detail="Email already registered") from None


def make_users_router() -> APIRouter:
    router = APIRouter(prefix="/users", tags=["users"])

    @router.post("/", response_model=UserResponse, status_code=status.HTTP_201_CREATED)
    async def create_user(user_in: UserCreate, db: SessionDep) -> User:
        if await user_crud.get_by_email(db, user_in.email):
            raise HTTPException(status_code=409, detail="Email already registered")
        return await insert_user(db, user_in)

    return router
