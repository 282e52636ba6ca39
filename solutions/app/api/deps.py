from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings
from app.core.database import get_db
from app.core.exceptions import AuthenticationError
from app.core.security import decode_access_token
from app.crud.user import user_crud
from app.models.user import User

# scope="function" runs the commit after `yield` before the response is sent: a failed commit
# becomes an error response instead of a 2xx for data that was never saved.
SessionDep = Annotated[AsyncSession, Depends(get_db, scope="function")]


# async, though it awaits nothing: FastAPI runs a plain `def` dependency in the thread pool,
# one thread hop per request for an attribute lookup.
async def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]

# auto_error=False: a missing token then gets the same 401 and error shape as a bad one.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/token", auto_error=False)
TokenDep = Annotated[str | None, Depends(oauth2_scheme)]


async def get_current_user(db: SessionDep, token: TokenDep, settings: SettingsDep) -> User:
    if token is None:
        raise AuthenticationError("Not authenticated.")
    access = decode_access_token(token, secret_key=settings.SECRET_KEY)
    user = await user_crud.get(db, access.user_id)
    # A deleted user's id is never reused, and a password change bumps token_version: either
    # way the token no longer names a current login.
    if user is None or user.token_version != access.version:
        raise AuthenticationError()
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]
