from sqlalchemy.ext.asyncio import AsyncSession

from app.core.exceptions import NotFoundError
from app.crud.item import item_crud
from app.models.item import Item
from app.models.user import User
from app.schemas.item import ItemCreate, ItemPage, ItemResponse, ItemUpdate

ITEM_NOT_FOUND = "Item not found."


async def get_owned_item(db: AsyncSession, item_id: int, owner: User) -> Item:
    item = await item_crud.get(db, item_id)
    # Someone else's item is "not found", not "forbidden": a 403 would confirm that it exists.
    if item is None or item.owner_id != owner.id:
        raise NotFoundError(ITEM_NOT_FOUND)
    return item


async def list_items(db: AsyncSession, owner: User, *, offset: int, limit: int) -> ItemPage:
    items, total = await item_crud.list_for_owner(db, owner.id, offset=offset, limit=limit)
    return ItemPage(
        items=[ItemResponse.model_validate(item) for item in items],
        total=total,
        offset=offset,
        limit=limit,
    )


async def create_item(db: AsyncSession, owner: User, item_in: ItemCreate) -> Item:
    return await item_crud.create_for_owner(db, item_in, owner_id=owner.id)


async def update_item(db: AsyncSession, item_id: int, owner: User, item_in: ItemUpdate) -> Item:
    item = await get_owned_item(db, item_id, owner)
    return await item_crud.update(db, item, item_in)


async def delete_item(db: AsyncSession, item_id: int, owner: User) -> None:
    item = await get_owned_item(db, item_id, owner)
    await item_crud.delete(db, item)
