"""Other correct answers to notebook 06 · Security."""

from jose import JWTError, jwt
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.exceptions import AuthenticationError
from app.core.security import ALGORITHM
from app.models import User


async def get_current_user_with_int_guard(token: str, db: AsyncSession, secret_key: str) -> User:
    try:
        claims = jwt.decode(token, secret_key, algorithms=[ALGORITHM])
    except JWTError:
        raise AuthenticationError() from None
    subject = claims.get("sub")
    try:
        user_id = int(subject)
    except (TypeError, ValueError):
        raise AuthenticationError() from None
    if not isinstance(subject, str) or not 0 < user_id <= 2**31 - 1:
        raise AuthenticationError()
    user = await db.get(User, user_id)
    if user is None:
        raise AuthenticationError()
    return user
