"""Wrong answers to notebook 06 that its check recognises."""

import re
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, HTTPException
from fastapi.security import OAuth2PasswordRequestForm
from jose import JWTError, jwt
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from answers import nb06 as answers
from answers.alternatives import nb06 as alternatives
from app.api.deps import SessionDep, SettingsDep
from app.core import security
from app.core.exceptions import AuthenticationError, NotFoundError, PermissionDeniedError
from app.crud.user import user_crud
from app.models import Item, User
from app.schemas.token import Token
from app.services.users import authenticate_user
from support.exercises import edited, mistake

# --- get_current_user -------------------------------------------------------------------------

DECODE = "jwt.decode(token, secret_key, algorithms=[ALGORITHM])"
ASCII_DIGITS = "(subject.isascii() and subject.isdecimal())"
MAX_DIGITS = " or len(subject) > 9"
NO_LEADING_ZERO = 'subject.startswith("0") or '


def _get_current_user(name: str, *edits: tuple[str, str], using: dict | None = None):
    names = {"JWTError": JWTError, **(using or {})}
    return edited(answers.get_current_user, *edits, name=name, using=names)


get_current_user_without_algorithms = mistake(
    "get_current_user",
    why="decode without algorithms: alg none raises JWKError",
    code="alg-none-escapes",
)(
    # no algorithms=: `alg: none` raises JWKError
    _get_current_user(
        "get_current_user_without_algorithms",
        (DECODE, "jwt.decode(token, secret_key)"),
        ("except Exception:", "except JWTError:"),
    )
)


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


get_current_user_returns_none = mistake(
    "get_current_user", why="returns None for an unknown user", code="returns-none-for-missing-user"
)(
    # None for a deleted user
    _get_current_user(
        "get_current_user_returns_none",
        (
            "user = await db.get(User, int(subject))\n"
            "    if user is None:\n"
            "        raise AuthenticationError()\n"
            "    return user",
            "return await db.get(User, int(subject))",
        ),
    )
)


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


get_current_user_isdigit = mistake(
    "get_current_user",
    code="sub-isdigit",
    why='str.isdigit() accepts "²", which int() refuses: a 500',
)(
    # "²".isdigit() is True; int("²") raises ValueError
    _get_current_user("get_current_user_isdigit", (ASCII_DIGITS, "subject.isdigit()"))
)


get_current_user_sub_overflows = mistake(
    "get_current_user",
    code="sub-overflows",
    why="int(sub) of 30 digits overflows the database's integer: a 500",
)(
    # 30 digits: OverflowError from the driver, a 500
    _get_current_user("get_current_user_sub_overflows", (MAX_DIGITS, ""))
)


get_current_user_sub_fits_sqlite_only = mistake(
    "get_current_user",
    code="sub-overflows",
    why="18 digits fit SQLite's integers, not PostgreSQL's id column: a 500 there",
)(
    # fits SQLite's 64-bit integers
    _get_current_user(
        "get_current_user_sub_fits_sqlite_only", ("len(subject) > 9", "len(subject) > 18")
    )
)


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
        if subject.startswith("0"):
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


get_current_user_unverified = mistake(
    "get_current_user",
    code="accepts-bad-token",
    why="jwt.get_unverified_claims: any signature is accepted",
)(
    # reads the claims, checks no signature
    _get_current_user("get_current_user_unverified", (DECODE, "jwt.get_unverified_claims(token)"))
)


get_current_user_catches_only_jwt_error = mistake(
    "get_current_user",
    code="decode-crash-escapes",
    why="except JWTError: a deeply nested header raises RecursionError, a 500",
)(
    # RecursionError from a deeply nested header is no JWTError: a 500
    _get_current_user(
        "get_current_user_catches_only_jwt_error", ("except Exception:", "except JWTError:")
    )
)


get_current_user_isdecimal_alone = mistake(
    "get_current_user", code="sub-not-ascii", why='isdecimal() accepts "١", which int() reads as 1'
)(
    # "١".isdecimal() is True, and int("١") is 1
    _get_current_user("get_current_user_isdecimal_alone", (ASCII_DIGITS, "subject.isdecimal()"))
)


@mistake(
    "get_current_user",
    code="sub-not-ascii",
    why='int() in a try refuses "²" but reads "١" as 1',
    says="subject.isascii()",
)
async def get_current_user_int_in_try(token: str, db: AsyncSession, secret_key: str):
    try:
        claims = jwt.decode(token, secret_key, algorithms=["HS256"])
    except Exception:
        raise AuthenticationError() from None
    subject = claims.get("sub")
    if not isinstance(subject, str):
        raise AuthenticationError()
    try:
        user_id = int(subject)  # also reads "١" (Arabic-Indic one) as 1
    except ValueError:
        raise AuthenticationError() from None
    if not 0 < user_id <= 2**31 - 1:
        raise AuthenticationError()
    user = await db.get(User, user_id)
    if user is None:
        raise AuthenticationError()
    return user


get_current_user_isdigit_int_in_try = mistake(
    "get_current_user",
    code="sub-not-ascii",
    why='isdigit() with int() in a try: "²" is refused, "١" read as 1',
    says="subject.isascii()",
)(
    # "١".isdigit() is True and int("١") is 1; the try turns "²" into a 401
    _get_current_user(
        "get_current_user_isdigit_int_in_try",
        (ASCII_DIGITS, "subject.isdigit()"),
        (
            "user = await db.get(User, int(subject))",
            "try:\n"
            "        user_id = int(subject)\n"
            "    except ValueError:\n"
            "        raise AuthenticationError() from None\n"
            "    user = await db.get(User, user_id)",
        ),
    )
)


get_current_user_unicode_pattern = mistake(
    "get_current_user",
    code="sub-not-ascii",
    why=r'the pattern \d{1,9} matches "١", which int() reads as 1',
    says="[0-9]",
)(
    # a str pattern's \d matches every Unicode decimal digit
    _get_current_user(
        "get_current_user_unicode_pattern",
        (ASCII_DIGITS, r're.fullmatch(r"\d{1,9}", subject)'),
        using={"re": re},
    )
)


get_current_user_isnumeric = mistake(
    "get_current_user",
    code="sub-isdigit",
    why='str.isnumeric() accepts "²", which int() refuses: a 500',
    says="isnumeric()",
)(
    # "²".isnumeric() is True; int("²") raises ValueError
    _get_current_user("get_current_user_isnumeric", (ASCII_DIGITS, "subject.isnumeric()"))
)


get_current_user_catches_all_without_algorithms = mistake(
    "get_current_user",
    code="algorithm-not-named",
    why="except Exception hides alg none, but no algorithms= lets HS512 in",
)(
    # the token's header chooses the algorithm
    _get_current_user(
        "get_current_user_catches_all_without_algorithms", (DECODE, "jwt.decode(token, secret_key)")
    )
)


get_current_user_leading_zero = mistake(
    "get_current_user",
    code="sub-leading-zero",
    why='isascii() and isdecimal() with a length test accept "01", which int() reads as 1',
    says='startswith("0")',
)(
    # "01" is ASCII digits, 2 of them, and int("01") is 1
    _get_current_user("get_current_user_leading_zero", (NO_LEADING_ZERO, ""))
)


@mistake(
    "get_current_user",
    code="sub-leading-zero",
    why='the pattern [0-9]{1,9} matches "01", which int() reads as 1',
    says="[1-9][0-9]{0,8}",
)
async def get_current_user_zero_pattern(token: str, db: AsyncSession, secret_key: str):
    try:
        claims = jwt.decode(token, secret_key, algorithms=["HS256"])
    except Exception:
        raise AuthenticationError() from None
    subject = claims.get("sub")
    if not isinstance(subject, str) or not re.fullmatch(r"[0-9]{1,9}", subject):  # "01" too
        raise AuthenticationError()
    user = await db.get(User, int(subject))
    if user is None:
        raise AuthenticationError()
    return user


get_current_user_int_guard_allows_zero = mistake(
    "get_current_user",
    code="sub-leading-zero",
    why='sub == str(int(sub)) refuses "07" but not "0", an id never issued',
)(
    # str(int("0")) is "0": only the range test refuses it
    edited(
        alternatives.get_current_user_with_int_guard,
        ("not 0 < user_id <= 2**31 - 1", "user_id > 2**31 - 1"),
        name="get_current_user_int_guard_allows_zero",
    )
)


# --- get_owned_item ---------------------------------------------------------------------------

OWNER_CHECK = (
    'if item is None or item.owner_id != user.id:\n        raise NotFoundError("Item not found.")'
)
MISSING = 'if item is None:\n        raise NotFoundError("Item not found.")\n'


def _get_owned_item(name: str, *edits: tuple[str, str]):
    return edited(
        answers.get_owned_item,
        *edits,
        name=name,
        using={"PermissionDeniedError": PermissionDeniedError},
    )


get_owned_item_forbidden = mistake(
    "get_owned_item", why="403 for another user's item leaks that it exists", code="forbidden"
)(
    # 403: confirms that the item exists
    _get_owned_item(
        "get_owned_item_forbidden",
        (
            OWNER_CHECK,
            MISSING + "    if item.owner_id != user.id:\n        raise PermissionDeniedError()",
        ),
    )
)


get_owned_item_wrong_field = mistake(
    "get_owned_item", why="compares item.id with user.id", code="owner-refused"
)(
    # compares the item's own id
    _get_owned_item(
        "get_owned_item_wrong_field", ("item.owner_id != user.id", "item.id != user.id")
    )
)


get_owned_item_tells_apart = mistake(
    "get_owned_item", why="a different 404 message for someone else's item", code="messages-differ"
)(
    _get_owned_item(
        "get_owned_item_tells_apart",
        (
            OWNER_CHECK,
            MISSING + "    if item.owner_id != user.id:\n"
            '        raise NotFoundError("This item belongs to another user.")',
        ),
    )
)


get_owned_item_no_owner_check = mistake(
    "get_owned_item", why="no ownership check at all", code="no-owner-check"
)(
    _get_owned_item(
        "get_owned_item_no_owner_check",
        ("item is None or item.owner_id != user.id", "item is None"),
    )
)


@mistake("get_owned_item", code="owner-gets-other", why="returns the query's Result, not the item")
async def get_owned_item_returns_result(db: AsyncSession, item_id: int, user: User):
    result = await db.execute(select(Item).where(Item.id == item_id, Item.owner_id == user.id))
    if result is None:  # never: a Result is not None even when it holds no row
        raise NotFoundError("Item not found.")
    return result


get_owned_item_401_for_others = mistake(
    "get_owned_item",
    code="wrong-error-for-others",
    why="401 for another user's item: the caller is logged in",
)(
    # 401: "log in again", to a caller who is logged in
    _get_owned_item(
        "get_owned_item_401_for_others",
        (
            OWNER_CHECK,
            MISSING + "    if item.owner_id != user.id:\n        raise AuthenticationError()",
        ),
    )
)


get_owned_item_returns_none_for_missing = mistake(
    "get_owned_item", code="returns-for-missing", why="returns None for an id that does not exist"
)(
    # None for an id that does not exist
    _get_owned_item(
        "get_owned_item_returns_none_for_missing",
        ("item is None or item.owner_id", "item is not None and item.owner_id"),
    )
)


get_owned_item_checks_owner_first = mistake(
    "get_owned_item",
    code="missing-not-404",
    why="reads item.owner_id before checking for None: AttributeError",
)(
    # AttributeError when item is None
    _get_owned_item(
        "get_owned_item_checks_owner_first", ("item is None or item.owner_id", "item.owner_id")
    )
)


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


FORM = "Annotated[OAuth2PasswordRequestForm, Depends()]"
AUTHENTICATE = "    user = await authenticate_user(db, form.username, form.password)\n"


def _answered(error: str) -> str:
    """The answer's `authenticate_user` line, its AuthenticationError turned into `error`."""
    return (
        "    try:\n    "
        + AUTHENTICATE
        + f"    except AuthenticationError:\n        raise {error} from None\n"
    )


def _login_route(name: str, *edits: tuple[str, str]):
    return edited(
        answers.login_route,
        *edits,
        name=name,
        using={"Credentials": Credentials, "HTTPException": HTTPException},
    )


login_route_reads_json = mistake("login_route", code="json-not-form", why="a JSON body")(
    # A JSON body: the form OAuth2 clients and /docs send gets 422
    _login_route("login_route_reads_json", (FORM, "Credentials"))
)


login_route_form_without_depends = mistake(
    "login_route", code="not-a-route", why="OAuth2PasswordRequestForm without Depends()"
)(
    # Without Depends(), FastAPI cannot read a class that is not a Pydantic model
    _login_route("login_route_form_without_depends", (FORM, "OAuth2PasswordRequestForm"))
)


@mistake("login_route", code="returns-user", why="returns the user")
async def login_route_returns_user(
    db: SessionDep, settings: SettingsDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]
):
    return await authenticate_user(db, form.username, form.password)  # the user, not a token


login_route_form_email = mistake(
    "login_route", code="raised", why="form.email: the form's field is username"
)(
    # the form's field is username
    _login_route("login_route_form_email", ("form.username", "form.email"))
)


login_route_returns_the_string = mistake(
    "login_route", code="not-a-token-response", why="returns the token string, not Token(...)"
)(
    # a bare string, no token_type
    _login_route(
        "login_route_returns_the_string",
        ("return Token(access_token=access_token)", "return access_token"),
    )
)


login_route_email_as_subject = mistake(
    "login_route", code="token-wrong-subject", why="the email as the token's subject"
)(
    # the email as subject: no user id
    _login_route("login_route_email_as_subject", ("str(user.id)", "user.email"))
)


login_route_without_version = mistake(
    "login_route",
    code="token-without-version",
    why="no version: the token is refused after a password change",
)(
    # a version-0 token, refused after a change
    _login_route("login_route_without_version", ("version=user.token_version", "version=0"))
)


login_route_default_lifetime = mistake(
    "login_route",
    code="token-ignores-lifetime",
    why="no expires_delta: the package's 30 minutes, whatever the settings say",
    says="expires_delta=timedelta(minutes=settings.ACCESS_TOKEN_EXPIRE_MINUTES)",
)(
    # the default lifetime happens to equal the default setting, and no other
    _login_route(
        "login_route_default_lifetime",
        ("        expires_delta=timedelta(minutes=settings.ACCESS_TOKEN_EXPIRE_MINUTES),\n", ""),
    )
)


login_route_fixed_lifetime = mistake(
    "login_route",
    code="token-ignores-lifetime",
    why="expires_delta=timedelta(minutes=30): the setting's default, written in the route",
)(
    _login_route(
        "login_route_fixed_lifetime",
        ("minutes=settings.ACCESS_TOKEN_EXPIRE_MINUTES", "minutes=30"),
    )
)


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


login_route_400 = mistake("login_route", code="wrong-status", why="400, as FastAPI's tutorial")(
    # the FastAPI tutorial's 400
    _login_route(
        "login_route_400",
        (
            AUTHENTICATE,
            _answered('HTTPException(status_code=400, detail="Incorrect username or password")'),
        ),
    )
)


login_route_401_without_header = mistake(
    "login_route", code="401-without-header", why="HTTPException(401) without WWW-Authenticate"
)(
    _login_route(
        "login_route_401_without_header",
        (
            AUTHENTICATE,
            _answered('HTTPException(status_code=401, detail="Incorrect email or password")'),
        ),
    )
)


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
