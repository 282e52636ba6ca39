from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.crud.base import CRUDBase
from app.models.user import User
from app.schemas.user import UserCreate, UserUpdate


class UserCRUD(CRUDBase[User, UserCreate, UserUpdate]):
    def __init__(self) -> None:
        super().__init__(User)

    async def get_by_email(self, db: AsyncSession, email: str) -> User | None:
        email = email.strip().lower()
        # Stored emails are lowercase and NUL-free; PostgreSQL would reject a NUL in the query.
        if "\x00" in email:
            return None
        return await db.scalar(select(User).where(User.email == email))

    async def create(  # type: ignore[override]
        self, db: AsyncSession, obj_in: UserCreate, hashed_password: str
    ) -> User:
        # The hash is made by the caller, in a thread: hashing here would block the event loop.
        user = User(email=obj_in.email.lower(), hashed_password=hashed_password)
        db.add(user)
        await db.flush()
        return user


user_crud = UserCRUD()
