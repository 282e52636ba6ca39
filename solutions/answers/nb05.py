"""Answers to notebook 05 · Routes."""

from collections.abc import Sequence
from typing import Annotated

from fastapi import HTTPException, Query

from app.api.deps import SessionDep
from app.crud.item import item_crud
from app.models import Item


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
