"""Other correct answers to notebook 06 · Security."""

import re

from jose import jwt
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.exceptions import AuthenticationError
from app.core.security import ALGORITHM
from app.models import User


async def get_current_user_with_int_guard(token: str, db: AsyncSession, secret_key: str) -> User:
    try:
        claims = jwt.decode(token, secret_key, algorithms=[ALGORITHM])
    except Exception:
        raise AuthenticationError() from None
    subject = claims.get("sub")
    try:
        user_id = int(subject)
    except (TypeError, ValueError):
        raise AuthenticationError() from None
    # Only the text str() writes: no sign, space, leading zero or non-ASCII digit.
    if subject != str(user_id) or not 0 < user_id <= 2**31 - 1:
        raise AuthenticationError()
    user = await db.get(User, user_id)
    if user is None:
        raise AuthenticationError()
    return user


async def get_current_user_with_a_pattern(token: str, db: AsyncSession, secret_key: str) -> User:
    try:
        claims = jwt.decode(token, secret_key, algorithms=[ALGORITHM])
    except Exception as exc:
        raise AuthenticationError() from exc
    subject = claims.get("sub")
    if not isinstance(subject, str) or not re.fullmatch(r"[1-9][0-9]{0,8}", subject):
        raise AuthenticationError()
    user = await db.get(User, int(subject))
    if user is None:
        raise AuthenticationError()
    return user
