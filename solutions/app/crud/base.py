from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.database import Base

ModelT = TypeVar("ModelT", bound=Base)
CreateT = TypeVar("CreateT", bound=BaseModel)
UpdateT = TypeVar("UpdateT", bound=BaseModel)

# Routes validate paging too; CRUD bounds it again for callers that are not routes (a job, a
# script), and because PostgreSQL rejects a negative OFFSET that SQLite quietly reads as 0.
MAX_LIMIT = 100


def page_bounds(offset: int, limit: int) -> tuple[int, int]:
    return max(offset, 0), max(0, min(limit, MAX_LIMIT))


class CRUDBase(Generic[ModelT, CreateT, UpdateT]):
    """Generic reads and writes for one model.

    Writes flush so constraint violations surface here, inside the request, but never commit:
    committing is the session dependency's job, once per request.
    """

    def __init__(self, model: type[ModelT]) -> None:
        self.model = model

    async def get(self, db: AsyncSession, id: int) -> ModelT | None:
        return await db.get(self.model, id)

    async def list(self, db: AsyncSession, *, offset: int = 0, limit: int = 20) -> Sequence[ModelT]:
        offset, limit = page_bounds(offset, limit)
        query = select(self.model).order_by(self.model.id).offset(offset).limit(limit)
        return (await db.scalars(query)).all()

    async def create(self, db: AsyncSession, obj_in: CreateT, **extra: Any) -> ModelT:
        db_obj = self.model(**obj_in.model_dump(), **extra)
        db.add(db_obj)
        await db.flush()
        return db_obj

    async def update(
        self, db: AsyncSession, db_obj: ModelT, obj_in: UpdateT | dict[str, Any]
    ) -> ModelT:
        changes = obj_in if isinstance(obj_in, dict) else obj_in.model_dump(exclude_unset=True)
        for field, value in changes.items():
            setattr(db_obj, field, value)
        await db.flush()
        return db_obj

    async def delete(self, db: AsyncSession, db_obj: ModelT) -> None:
        await db.delete(db_obj)
        await db.flush()
