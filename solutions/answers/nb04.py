"""Answers to notebook 04 · CRUD."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Item, User
from app.schemas.item import ItemUpdate

MAX_LIMIT = 100  # the notebook defines the same constant before the exercise


async def update(db: AsyncSession, db_obj: Item, obj_in: ItemUpdate) -> Item:
    for field, value in obj_in.model_dump(exclude_unset=True).items():
        setattr(db_obj, field, value)
    await db.flush()
    return db_obj


async def list_items(db: AsyncSession, *, offset: int = 0, limit: int = 20) -> list[Item]:
    offset = max(offset, 0)
    limit = max(0, min(limit, MAX_LIMIT))
    query = select(Item).order_by(Item.id).offset(offset).limit(limit)
    return list((await db.scalars(query)).all())


async def get_by_email(db: AsyncSession, email: str) -> User | None:
    # Emails are stored lowercased (the schema does it), so lowercase the one we look for.
    result = await db.execute(select(User).where(User.email == email.lower()))
    return result.scalar_one_or_none()
