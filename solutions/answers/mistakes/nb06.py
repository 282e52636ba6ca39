"""Wrong answers to notebook 06 that its check recognises."""

from fastapi import HTTPException
from jose import JWTError, jwt
from sqlalchemy import select
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


async def get_current_user_isdigit(token: str, db: AsyncSession, secret_key: str):
    try:
        claims = jwt.decode(token, secret_key, algorithms=["HS256"])
    except JWTError:
        raise AuthenticationError() from None
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.isdigit() or len(subject) > 9:
        raise AuthenticationError()
    user = await db.get(User, int(subject))  # "²".isdigit() is True; int("²") raises ValueError
    if user is None:
        raise AuthenticationError()
    return user


async def get_current_user_sub_overflows(token: str, db: AsyncSession, secret_key: str):
    try:
        claims = jwt.decode(token, secret_key, algorithms=["HS256"])
    except JWTError:
        raise AuthenticationError() from None
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.isdecimal():
        raise AuthenticationError()
    user = await db.get(User, int(subject))  # 30 digits: OverflowError from the driver, a 500
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


async def get_current_user_without_try(token: str, db: AsyncSession, secret_key: str):
    claims = jwt.decode(token, secret_key, algorithms=["HS256"])  # JWTError escapes: a 500
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.isdecimal() or len(subject) > 9:
        raise AuthenticationError()
    user = await db.get(User, int(subject))
    if user is None:
        raise AuthenticationError()
    return user


async def get_current_user_403(token: str, db: AsyncSession, secret_key: str):
    try:
        claims = jwt.decode(token, secret_key, algorithms=["HS256"])
    except JWTError:
        raise HTTPException(status_code=403, detail="Invalid token") from None
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.isdecimal() or len(subject) > 9:
        raise HTTPException(status_code=403, detail="Invalid token")
    user = await db.get(User, int(subject))
    if user is None:
        raise HTTPException(status_code=403, detail="Invalid token")
    return user


async def get_current_user_returns_claims(token: str, db: AsyncSession, secret_key: str):
    try:
        return jwt.decode(token, secret_key, algorithms=["HS256"])  # the claims, not the user
    except JWTError:
        raise AuthenticationError() from None


async def get_current_user_unverified(token: str, db: AsyncSession, secret_key: str):
    try:
        claims = jwt.get_unverified_claims(token)  # reads the claims, checks no signature
    except JWTError:
        raise AuthenticationError() from None
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.isdecimal() or len(subject) > 9:
        raise AuthenticationError()
    user = await db.get(User, int(subject))
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


async def get_owned_item_returns_result(db: AsyncSession, item_id: int, user: User):
    result = await db.execute(select(Item).where(Item.id == item_id, Item.owner_id == user.id))
    if result is None:  # never: a Result is not None even when it holds no row
        raise NotFoundError("Item not found.")
    return result


async def get_owned_item_401_for_others(db: AsyncSession, item_id: int, user: User):
    item = await db.get(Item, item_id)
    if item is None:
        raise NotFoundError("Item not found.")
    if item.owner_id != user.id:
        raise AuthenticationError()  # 401: "log in again", to a caller who is logged in
    return item


async def get_owned_item_returns_none_for_missing(db: AsyncSession, item_id: int, user: User):
    item = await db.get(Item, item_id)
    if item is not None and item.owner_id != user.id:
        raise NotFoundError("Item not found.")
    return item  # None for an id that does not exist


async def get_owned_item_checks_owner_first(db: AsyncSession, item_id: int, user: User):
    item = await db.get(Item, item_id)
    if item.owner_id != user.id:  # AttributeError when item is None
        raise NotFoundError("Item not found.")
    return item
