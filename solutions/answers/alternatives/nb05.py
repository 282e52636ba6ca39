"""Other correct answers to notebook 05 · Routes."""

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.api.deps import SessionDep
from app.core.security import hash_password
from app.crud.item import item_crud
from app.crud.user import user_crud
from app.models import Item, User
from app.schemas.item import ItemResponse
from app.schemas.user import UserCreate, UserResponse
from app.services.users import register_user


async def read_item_returns_dict(item_id: int, db: SessionDep) -> dict[str, Any]:
    item = await item_crud.get(db, item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return ItemResponse.model_validate(item).model_dump()


async def read_item_with_query(item_id: int, db: SessionDep) -> Item:
    item = (await db.execute(select(Item).where(Item.id == item_id))).scalar_one_or_none()
    if item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return item


async def list_items_own_ordered_query(
    db: SessionDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Sequence[Item]:
    query = select(Item).order_by(Item.id).offset(offset).limit(limit)
    return (await db.scalars(query)).all()


async def list_items_defaults_in_query(
    db: SessionDep,
    offset: int = Query(0, ge=0),
    limit: int = Query(20, ge=1, le=100),
) -> Sequence[Item]:
    return await item_crud.list(db, offset=offset, limit=limit)


# users_router


def make_users_router_plain_201() -> APIRouter:
    router = APIRouter(prefix="/users", tags=["users"])

    @router.post("/", status_code=201, response_model=UserResponse)  # 201 as a number
    async def register(user_in: UserCreate, db: SessionDep) -> User:
        try:
            return await user_crud.create(
                db, user_in, hashed_password=hash_password(user_in.password)
            )
        except IntegrityError:
            raise HTTPException(status_code=409, detail="Email already registered") from None

    return router


def make_users_router_insert_only() -> APIRouter:
    # No check first: every duplicate pays for a hash, but the unique index still answers 409.
    users = APIRouter(prefix="/users")

    @users.post("", status_code=201)  # `POST /users/` is redirected here, method and body kept
    async def create_user(user_in: UserCreate, db: SessionDep) -> UserResponse:
        try:
            user = await user_crud.create(
                db, user_in, hashed_password=hash_password(user_in.password)
            )
        except IntegrityError:
            raise HTTPException(status_code=409, detail="Email already registered") from None
        return UserResponse.model_validate(user)  # the annotation is the response model

    return users


def make_users_router_with_the_service() -> APIRouter:
    router = APIRouter(prefix="/users", tags=["users"])

    @router.post("/", response_model=UserResponse, status_code=201)
    async def create_user(user_in: UserCreate, db: SessionDep) -> User:
        return await register_user(db, user_in)  # ConflictError: 409 through its handler

    return router
