"""Answers to notebook 06 · Security."""

from jose import JWTError, jwt
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.exceptions import AuthenticationError, NotFoundError
from app.core.security import ALGORITHM
from app.models import Item, User


async def get_current_user(token: str, db: AsyncSession, secret_key: str) -> User:
    try:
        # An explicit list: `alg: none` and every other algorithm become a JWTError too.
        claims = jwt.decode(token, secret_key, algorithms=[ALGORITHM])
    except JWTError:
        raise AuthenticationError() from None
    subject = claims.get("sub")
    # isdecimal(), not isdigit(): "²" is a digit that int() refuses. At most 9 digits: a longer
    # number overflows the id column (32-bit on PostgreSQL) instead of finding nobody.
    if not isinstance(subject, str) or not subject.isdecimal() or len(subject) > 9:
        raise AuthenticationError()
    user = await db.get(User, int(subject))
    if user is None:
        raise AuthenticationError()
    return user


async def get_owned_item(db: AsyncSession, item_id: int, user: User) -> Item:
    item = await db.get(Item, item_id)
    # Someone else's item gets the same answer as a missing one: a 403 would confirm it exists.
    if item is None or item.owner_id != user.id:
        raise NotFoundError("Item not found.")
    return item
