"""Wrong answers to notebook 06 that its check recognises."""

from datetime import timedelta
from typing import Annotated

from fastapi import Depends, HTTPException
from fastapi.security import OAuth2PasswordRequestForm
from jose import JWTError, jwt
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.deps import SessionDep, SettingsDep
from app.core import security
from app.core.exceptions import AuthenticationError, NotFoundError, PermissionDeniedError
from app.crud.user import user_crud
from app.models import Item, User
from app.schemas.token import Token
from app.services.users import authenticate_user
from support.exercises import mistake

# --- get_current_user -------------------------------------------------------------------------


@mistake(
    "get_current_user",
    why="decode without algorithms: alg none raises JWKError",
    code="alg-none-escapes",
)
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


@mistake(
    "get_current_user", why="int(claims['sub']) without checking the claim", code="sub-unchecked"
)
async def get_current_user_trusts_sub(token: str, db: AsyncSession, secret_key: str):
    try:
        claims = jwt.decode(token, secret_key, algorithms=["HS256"])
    except JWTError:
        raise AuthenticationError() from None
    user = await db.get(User, int(claims["sub"]))  # KeyError / ValueError escape as a 500
    if user is None:
        raise AuthenticationError()
    return user


@mistake(
    "get_current_user", why="returns None for an unknown user", code="returns-none-for-missing-user"
)
async def get_current_user_returns_none(token: str, db: AsyncSession, secret_key: str):
    try:
        claims = jwt.decode(token, secret_key, algorithms=["HS256"])
    except JWTError:
        raise AuthenticationError() from None
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.isdigit():
        raise AuthenticationError()
    return await db.get(User, int(subject))  # None for a deleted user


@mistake("get_current_user", why="HTTPException 401 without the header", code="401-without-header")
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


@mistake(
    "get_current_user",
    code="sub-isdigit",
    why='str.isdigit() accepts "²", which int() refuses: a 500',
)
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


@mistake(
    "get_current_user",
    code="sub-overflows",
    why="int(sub) of 30 digits overflows the database's integer: a 500",
)
async def get_current_user_sub_overflows(token: str, db: AsyncSession, secret_key: str):
    try:
        claims = jwt.decode(token, secret_key, algorithms=["HS256"])
    except JWTError:
        raise AuthenticationError() from None
    subject = claims.get("sub")
    if not isinstance(subject, str) or not (subject.isascii() and subject.isdecimal()):
        raise AuthenticationError()
    user = await db.get(User, int(subject))  # 30 digits: OverflowError from the driver, a 500
    if user is None:
        raise AuthenticationError()
    return user


@mistake(
    "get_current_user",
    code="sub-overflows",
    why="18 digits fit SQLite's integers, not PostgreSQL's id column: a 500 there",
)
async def get_current_user_sub_fits_sqlite_only(token: str, db: AsyncSession, secret_key: str):
    try:
        claims = jwt.decode(token, secret_key, algorithms=["HS256"])
    except Exception:
        raise AuthenticationError() from None
    subject = claims.get("sub")
    ok = isinstance(subject, str) and subject.isascii() and subject.isdecimal()
    if not ok or len(subject) > 18:  # fits SQLite's 64-bit integers
        raise AuthenticationError()
    user = await db.get(User, int(subject))
    if user is None:
        raise AuthenticationError()
    return user


@mistake(
    "get_current_user",
    why="except Exception: turns a database failure into a 401",
    code="hides-database-failure",
)
async def get_current_user_catches_everything(token: str, db: AsyncSession, secret_key: str):
    try:
        claims = jwt.decode(token, secret_key, algorithms=["HS256"])
        subject = claims.get("sub")
        if not isinstance(subject, str) or not (subject.isascii() and subject.isdecimal()):
            raise AuthenticationError()
        user = await db.get(User, int(subject[:9]))
    except Exception:  # also turns a database failure into a 401
        raise AuthenticationError() from None
    if user is None:
        raise AuthenticationError()
    return user


@mistake(
    "get_current_user",
    code="jwt-error-escapes",
    why="no try around jwt.decode: a bad signature escapes as a 500",
)
async def get_current_user_without_try(token: str, db: AsyncSession, secret_key: str):
    claims = jwt.decode(token, secret_key, algorithms=["HS256"])  # JWTError escapes: a 500
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.isdecimal() or len(subject) > 9:
        raise AuthenticationError()
    user = await db.get(User, int(subject))
    if user is None:
        raise AuthenticationError()
    return user


@mistake(
    "get_current_user",
    code="wrong-status",
    why="HTTPException(403) for a bad token: 403 is for a known caller",
)
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


@mistake(
    "get_current_user", code="returns-wrong-user", why="returns the decoded claims, not the user"
)
async def get_current_user_returns_claims(token: str, db: AsyncSession, secret_key: str):
    try:
        return jwt.decode(token, secret_key, algorithms=["HS256"])  # the claims, not the user
    except JWTError:
        raise AuthenticationError() from None


@mistake(
    "get_current_user",
    code="accepts-bad-token",
    why="jwt.get_unverified_claims: any signature is accepted",
)
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


@mistake(
    "get_current_user",
    code="decode-crash-escapes",
    why="except JWTError: a deeply nested header raises RecursionError, a 500",
)
async def get_current_user_catches_only_jwt_error(token: str, db: AsyncSession, secret_key: str):
    try:
        claims = jwt.decode(token, secret_key, algorithms=["HS256"])
    except JWTError:  # RecursionError from a deeply nested header is no JWTError: a 500
        raise AuthenticationError() from None
    subject = claims.get("sub")
    if not isinstance(subject, str) or not (subject.isascii() and subject.isdecimal()):
        raise AuthenticationError()
    if len(subject) > 9:
        raise AuthenticationError()
    user = await db.get(User, int(subject))
    if user is None:
        raise AuthenticationError()
    return user


@mistake(
    "get_current_user", code="sub-not-ascii", why='isdecimal() accepts "١", which int() reads as 1'
)
async def get_current_user_isdecimal_alone(token: str, db: AsyncSession, secret_key: str):
    try:
        claims = jwt.decode(token, secret_key, algorithms=["HS256"])
    except Exception:
        raise AuthenticationError() from None
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.isdecimal() or len(subject) > 9:
        raise AuthenticationError()
    user = await db.get(User, int(subject))  # "١".isdecimal() is True, and int("١") is 1
    if user is None:
        raise AuthenticationError()
    return user


@mistake(
    "get_current_user",
    code="algorithm-not-named",
    why="except Exception hides alg none, but no algorithms= lets HS512 in",
)
async def get_current_user_catches_all_without_algorithms(
    token: str, db: AsyncSession, secret_key: str
):
    try:
        claims = jwt.decode(token, secret_key)  # the token's header chooses the algorithm
    except Exception:
        raise AuthenticationError() from None
    subject = claims.get("sub")
    if not isinstance(subject, str) or not (subject.isascii() and subject.isdecimal()):
        raise AuthenticationError()
    if len(subject) > 9:
        raise AuthenticationError()
    user = await db.get(User, int(subject))
    if user is None:
        raise AuthenticationError()
    return user


# --- get_owned_item ---------------------------------------------------------------------------


@mistake("get_owned_item", why="403 for another user's item leaks that it exists", code="forbidden")
async def get_owned_item_forbidden(db: AsyncSession, item_id: int, user: User):
    item = await db.get(Item, item_id)
    if item is None:
        raise NotFoundError("Item not found.")
    if item.owner_id != user.id:
        raise PermissionDeniedError()  # 403: confirms that the item exists
    return item


@mistake("get_owned_item", why="compares item.id with user.id", code="owner-refused")
async def get_owned_item_wrong_field(db: AsyncSession, item_id: int, user: User):
    item = await db.get(Item, item_id)
    if item is None or item.id != user.id:  # compares the item's own id
        raise NotFoundError("Item not found.")
    return item


@mistake(
    "get_owned_item", why="a different 404 message for someone else's item", code="messages-differ"
)
async def get_owned_item_tells_apart(db: AsyncSession, item_id: int, user: User):
    item = await db.get(Item, item_id)
    if item is None:
        raise NotFoundError("Item not found.")
    if item.owner_id != user.id:
        raise NotFoundError("This item belongs to another user.")
    return item


@mistake("get_owned_item", why="no ownership check at all", code="no-owner-check")
async def get_owned_item_no_owner_check(db: AsyncSession, item_id: int, user: User):
    item = await db.get(Item, item_id)
    if item is None:
        raise NotFoundError("Item not found.")
    return item


@mistake("get_owned_item", code="owner-gets-other", why="returns the query's Result, not the item")
async def get_owned_item_returns_result(db: AsyncSession, item_id: int, user: User):
    result = await db.execute(select(Item).where(Item.id == item_id, Item.owner_id == user.id))
    if result is None:  # never: a Result is not None even when it holds no row
        raise NotFoundError("Item not found.")
    return result


@mistake(
    "get_owned_item",
    code="wrong-error-for-others",
    why="401 for another user's item: the caller is logged in",
)
async def get_owned_item_401_for_others(db: AsyncSession, item_id: int, user: User):
    item = await db.get(Item, item_id)
    if item is None:
        raise NotFoundError("Item not found.")
    if item.owner_id != user.id:
        raise AuthenticationError()  # 401: "log in again", to a caller who is logged in
    return item


@mistake(
    "get_owned_item", code="returns-for-missing", why="returns None for an id that does not exist"
)
async def get_owned_item_returns_none_for_missing(db: AsyncSession, item_id: int, user: User):
    item = await db.get(Item, item_id)
    if item is not None and item.owner_id != user.id:
        raise NotFoundError("Item not found.")
    return item  # None for an id that does not exist


@mistake(
    "get_owned_item",
    code="missing-not-404",
    why="reads item.owner_id before checking for None: AttributeError",
)
async def get_owned_item_checks_owner_first(db: AsyncSession, item_id: int, user: User):
    item = await db.get(Item, item_id)
    if item.owner_id != user.id:  # AttributeError when item is None
        raise NotFoundError("Item not found.")
    return item


# --- login_route ------------------------------------------------------------------------------


def _token_for(user: User, settings, *, version: bool = True) -> Token:
    token = security.create_access_token(
        str(user.id),
        secret_key=settings.SECRET_KEY,
        expires_delta=timedelta(minutes=settings.ACCESS_TOKEN_EXPIRE_MINUTES),
        version=user.token_version if version else 0,
    )
    return Token(access_token=token)


class Credentials(BaseModel):
    username: str
    password: str


@mistake("login_route", code="json-not-form", why="a JSON body")
async def login_route_reads_json(db: SessionDep, settings: SettingsDep, form: Credentials):
    # A JSON body: the form OAuth2 clients and /docs send gets 422
    user = await authenticate_user(db, form.username, form.password)
    return _token_for(user, settings)


@mistake("login_route", code="not-a-route", why="OAuth2PasswordRequestForm without Depends()")
async def login_route_form_without_depends(
    db: SessionDep, settings: SettingsDep, form: OAuth2PasswordRequestForm
):
    # Without Depends(), FastAPI cannot read a class that is not a Pydantic model
    user = await authenticate_user(db, form.username, form.password)
    return _token_for(user, settings)


@mistake("login_route", code="returns-user", why="returns the user")
async def login_route_returns_user(
    db: SessionDep, settings: SettingsDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]
):
    return await authenticate_user(db, form.username, form.password)  # the user, not a token


@mistake("login_route", code="raised", why="form.email: the form's field is username")
async def login_route_form_email(
    db: SessionDep, settings: SettingsDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]
):
    user = await authenticate_user(db, form.email, form.password)  # the form's field is username
    return _token_for(user, settings)


@mistake("login_route", code="not-a-token-response", why="returns the token string, not Token(...)")
async def login_route_returns_the_string(
    db: SessionDep, settings: SettingsDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]
):
    user = await authenticate_user(db, form.username, form.password)
    return _token_for(user, settings).access_token  # a bare string, no token_type


@mistake("login_route", code="token-wrong-subject", why="the email as the token's subject")
async def login_route_email_as_subject(
    db: SessionDep, settings: SettingsDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]
):
    user = await authenticate_user(db, form.username, form.password)
    token = security.create_access_token(  # the email as subject: no user id
        user.email, secret_key=settings.SECRET_KEY, version=user.token_version
    )
    return Token(access_token=token)


@mistake(
    "login_route",
    code="token-without-version",
    why="no version: the token is refused after a password change",
)
async def login_route_without_version(
    db: SessionDep, settings: SettingsDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]
):
    user = await authenticate_user(db, form.username, form.password)
    return _token_for(user, settings, version=False)  # a version-0 token, refused after a change


@mistake(
    "login_route",
    code="accepts-wrong-password",
    why="looks the user up and never checks the password",
)
async def login_route_no_password_check(
    db: SessionDep, settings: SettingsDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]
):
    user = await user_crud.get_by_email(db, form.username)  # never looks at the password
    if user is None:
        raise AuthenticationError("Incorrect email or password.")
    return _token_for(user, settings)


@mistake("login_route", code="wrong-status", why="400, as FastAPI's tutorial")
async def login_route_400(
    db: SessionDep, settings: SettingsDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]
):
    try:
        user = await authenticate_user(db, form.username, form.password)
    except AuthenticationError:  # the FastAPI tutorial's 400
        raise HTTPException(status_code=400, detail="Incorrect username or password") from None
    return _token_for(user, settings)


@mistake(
    "login_route", code="401-without-header", why="HTTPException(401) without WWW-Authenticate"
)
async def login_route_401_without_header(
    db: SessionDep, settings: SettingsDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]
):
    try:
        user = await authenticate_user(db, form.username, form.password)
    except AuthenticationError:
        raise HTTPException(status_code=401, detail="Incorrect email or password") from None
    return _token_for(user, settings)


@mistake("login_route", code="messages-differ", why="a different message for an unknown email")
async def login_route_tells_apart(
    db: SessionDep, settings: SettingsDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]
):
    user = await user_crud.get_by_email(db, form.username)
    if user is None:
        raise AuthenticationError("No account with this email.")
    if not await security.verify_password_async(form.password, user.hashed_password):
        raise AuthenticationError("Wrong password.")
    return _token_for(user, settings)


@mistake("login_route", code="bcrypt-blocks-loop", why="bcrypt called inside async def")
async def login_route_hashes_in_the_loop(
    db: SessionDep, settings: SettingsDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]
):
    user = await user_crud.get_by_email(db, form.username)
    hashed = user.hashed_password if user else security.dummy_hash()
    # bcrypt called directly inside `async def`: the event loop waits for it
    if not security.verify_password(form.password, hashed) or user is None:
        raise AuthenticationError()
    return _token_for(user, settings)


@mistake(
    "login_route", code="unknown-email-faster", why="no hash for an unknown email: timing tells"
)
async def login_route_no_dummy_hash(
    db: SessionDep, settings: SettingsDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]
):
    user = await user_crud.get_by_email(db, form.username)
    if user is None:  # answered at once: no hash to check, so no time spent
        raise AuthenticationError()
    if not await security.verify_password_async(form.password, user.hashed_password):
        raise AuthenticationError()
    return _token_for(user, settings)
