from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.crud.base import CRUDBase, page_bounds
from app.models.item import Item
from app.schemas.item import ItemCreate, ItemUpdate


class ItemCRUD(CRUDBase[Item, ItemCreate, ItemUpdate]):
    def __init__(self) -> None:
        super().__init__(Item)

    async def list_for_owner(
        self, db: AsyncSession, owner_id: int, *, offset: int = 0, limit: int = 20
    ) -> tuple[Sequence[Item], int]:
        offset, limit = page_bounds(offset, limit)
        owned = Item.owner_id == owner_id
        total = await db.scalar(select(func.count()).select_from(Item).where(owned))
        query = select(Item).where(owned).order_by(Item.id).offset(offset).limit(limit)
        return (await db.scalars(query)).all(), total or 0

    async def create_for_owner(self, db: AsyncSession, obj_in: ItemCreate, owner_id: int) -> Item:
        return await self.create(db, obj_in, owner_id=owner_id)


item_crud = ItemCRUD()
