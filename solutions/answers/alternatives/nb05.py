"""Other correct answers to notebook 05 · Routes."""

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import HTTPException, Query
from sqlalchemy import select

from app.api.deps import SessionDep
from app.crud.item import item_crud
from app.models import Item
from app.schemas.item import ItemResponse


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
