"""Answers to notebook 06 · Security."""

from datetime import timedelta
from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordRequestForm
from jose import jwt
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.deps import SessionDep, SettingsDep
from app.core import security
from app.core.exceptions import AuthenticationError, NotFoundError
from app.core.security import ALGORITHM
from app.models import Item, User
from app.schemas.token import Token
from app.services.users import authenticate_user


async def get_current_user(token: str, db: AsyncSession, secret_key: str) -> User:
    try:
        # An explicit list: `alg: none` and every other algorithm are refused. Decoding does no
        # I/O, so whatever it raises is the token's fault: a JWTError, but also RecursionError
        # for a header nested 5,000 deep, which python-jose parses before the signature.
        claims = jwt.decode(token, secret_key, algorithms=[ALGORITHM])
    except Exception:
        raise AuthenticationError() from None
    subject = claims.get("sub")
    # ASCII digits only: int() also reads "١", " 1" and "+1", and isdigit() passes "²", which
    # int() refuses. No leading zero: the service writes 7 as "7", never "07", and no id is 0.
    # At most 9 digits: a longer number overflows the id column (32-bit on PostgreSQL), and
    # int() refuses more than 4,300 digits with a ValueError.
    if not isinstance(subject, str) or not (subject.isascii() and subject.isdecimal()):
        raise AuthenticationError()
    if subject.startswith("0") or len(subject) > 9:
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


async def login_route(
    db: SessionDep,
    settings: SettingsDep,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
) -> Token:
    # One AuthenticationError for an unknown email and a wrong password: a 401 with its header.
    user = await authenticate_user(db, form.username, form.password)
    access_token = security.create_access_token(
        str(user.id),
        secret_key=settings.SECRET_KEY,
        expires_delta=timedelta(minutes=settings.ACCESS_TOKEN_EXPIRE_MINUTES),
        version=user.token_version,
    )
    return Token(access_token=access_token)
