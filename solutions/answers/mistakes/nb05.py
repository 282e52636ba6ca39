"""Wrong answers to notebook 05 that its check recognises."""

from collections.abc import Sequence
from typing import Annotated

from fastapi import HTTPException, Query
from sqlalchemy import select

from app.api.deps import SessionDep
from app.crud.item import item_crud
from app.models import Item

# read_item


async def read_item_returns_none(item_id: int, db: SessionDep) -> Item:
    # No check for a missing row: FastAPI then validates None against ItemResponse, a 500.
    return await item_crud.get(db, item_id)


async def read_item_answers_400(item_id: int, db: SessionDep) -> Item:
    item = await item_crud.get(db, item_id)
    if item is None:
        raise HTTPException(status_code=400, detail="Item not found")
    return item


async def read_item_returns_result(item_id: int, db: SessionDep) -> Item:
    # The Result object, not the row: `.scalar_one_or_none()` is missing.
    return await db.execute(select(Item).where(Item.id == item_id))


async def read_item_scalar_one(item_id: int, db: SessionDep) -> Item:
    # scalar_one() raises NoResultFound for a missing id: a 500 instead of a 404.
    return (await db.execute(select(Item).where(Item.id == item_id))).scalar_one()


async def read_item_other_detail(item_id: int, db: SessionDep) -> Item:
    item = await item_crud.get(db, item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="Not found")  # the task says "Item not found"
    return item


async def read_item_returns_exception(item_id: int, db: SessionDep) -> Item:
    item = await item_crud.get(db, item_id)
    if item is None:
        return HTTPException(status_code=404, detail="Item not found")  # returned, not raised
    return item


async def read_item_returns_error_dict(item_id: int, db: SessionDep) -> Item:
    item = await item_crud.get(db, item_id)
    if item is None:
        return {"detail": "Item not found"}  # a success body, validated against ItemResponse
    return item


async def read_item_wrong_keyword(item_id: int, db: SessionDep) -> Item:
    item = await item_crud.get(db, item_id=item_id)  # CRUDBase.get's parameter is `id`
    if item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return item


# list_items


async def list_items_without_bounds(
    db: SessionDep, offset: int = 0, limit: int = 20
) -> Sequence[Item]:
    return await item_crud.list(db, offset=offset, limit=limit)


async def list_items_without_default_limit(
    db: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)],
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Sequence[Item]:
    return await item_crud.list(db, offset=offset, limit=limit)


async def list_items_offset_unbounded(
    db: SessionDep,
    offset: int = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Sequence[Item]:
    return await item_crud.list(db, offset=offset, limit=limit)


async def list_items_ignores_pagination(
    db: SessionDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Sequence[Item]:
    return await item_crud.list(db)


async def list_items_checks_by_hand(
    db: SessionDep, offset: int = 0, limit: int = 20
) -> Sequence[Item]:
    # A 422 of its own: no `loc` for the client, no bounds in the API description.
    if offset < 0 or limit < 1 or limit > 100:
        raise HTTPException(status_code=422, detail="Invalid pagination")
    return await item_crud.list(db, offset=offset, limit=limit)


async def list_items_default_inside_query(
    db: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100, default=20)],  # FastAPI refuses a default here
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Sequence[Item]:
    return await item_crud.list(db, offset=offset, limit=limit)


async def list_items_passes_skip(
    db: SessionDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Sequence[Item]:
    return await item_crud.list(db, skip=offset, limit=limit)  # the keyword is `offset`
