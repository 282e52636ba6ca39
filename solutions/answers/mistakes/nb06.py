"""Wrong answers to notebook 06 that its check recognises."""

from fastapi import HTTPException
from jose import JWTError, jwt
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.exceptions import AuthenticationError, NotFoundError, PermissionDeniedError
from app.models import Item, User

# --- get_current_user -------------------------------------------------------------------------


async def get_current_user_without_algorithms(token: str, db: AsyncSession, secret_key: str):
    try:
        claims = jwt.decode(token, secret_key)  # no algorithms=: `alg: none` raises JWKError
    except JWTError:
        raise AuthenticationError() from None
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.isdigit():
        raise AuthenticationError()
    user = await db.get(User, int(subject))
    if user is None:
        raise AuthenticationError()
    return user


async def get_current_user_trusts_sub(token: str, db: AsyncSession, secret_key: str):
    try:
        claims = jwt.decode(token, secret_key, algorithms=["HS256"])
    except JWTError:
        raise AuthenticationError() from None
    user = await db.get(User, int(claims["sub"]))  # KeyError / ValueError escape as a 500
    if user is None:
        raise AuthenticationError()
    return user


async def get_current_user_returns_none(token: str, db: AsyncSession, secret_key: str):
    try:
        claims = jwt.decode(token, secret_key, algorithms=["HS256"])
    except JWTError:
        raise AuthenticationError() from None
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.isdigit():
        raise AuthenticationError()
    return await db.get(User, int(subject))  # None for a deleted user


async def get_current_user_plain_401(token: str, db: AsyncSession, secret_key: str):
    try:
        claims = jwt.decode(token, secret_key, algorithms=["HS256"])
        subject = claims.get("sub")
        user = await db.get(User, int(subject)) if str(subject).isdigit() else None
    except JWTError:
        user = None
    if user is None:
        raise HTTPException(status_code=401, detail="Could not validate credentials")
    return user


async def get_current_user_catches_everything(token: str, db: AsyncSession, secret_key: str):
    try:
        claims = jwt.decode(token, secret_key, algorithms=["HS256"])
        user = await db.get(User, int(claims["sub"]))
    except Exception:  # also turns a database failure into a 401
        raise AuthenticationError() from None
    if user is None:
        raise AuthenticationError()
    return user


# --- get_owned_item ---------------------------------------------------------------------------


async def get_owned_item_forbidden(db: AsyncSession, item_id: int, user: User):
    item = await db.get(Item, item_id)
    if item is None:
        raise NotFoundError("Item not found.")
    if item.owner_id != user.id:
        raise PermissionDeniedError()  # 403: confirms that the item exists
    return item


async def get_owned_item_wrong_field(db: AsyncSession, item_id: int, user: User):
    item = await db.get(Item, item_id)
    if item is None or item.id != user.id:  # compares the item's own id
        raise NotFoundError("Item not found.")
    return item


async def get_owned_item_tells_apart(db: AsyncSession, item_id: int, user: User):
    item = await db.get(Item, item_id)
    if item is None:
        raise NotFoundError("Item not found.")
    if item.owner_id != user.id:
        raise NotFoundError("This item belongs to another user.")
    return item


async def get_owned_item_no_owner_check(db: AsyncSession, item_id: int, user: User):
    item = await db.get(Item, item_id)
    if item is None:
        raise NotFoundError("Item not found.")
    return item
