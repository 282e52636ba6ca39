"""Notebook 06 · Security: its lesson card and exercises."""

from __future__ import annotations

import base64
import contextlib
import json
import secrets
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from answers import nb06 as answers
from answers.alternatives import nb06 as alternatives
from answers.mistakes import nb06 as mistakes
from support.catalog import Lesson
from support.exercises import (
    CheckContext,
    Exercise,
    Incorrect,
    Mistake,
    describe,
    error_summary,
    where_in_answer,
)

LESSON = Lesson(
    number="06",
    title="Security",
    filename="06_security.ipynb",
    teaching_minutes=50,
    exercise_minutes=40,
    builds_on="03 Schemas (the password rule in `UserCreate`), 04 CRUD, 05 Routes (routes and "
    "dependencies)",
    objectives=(
        "Hash and verify passwords with passlib and bcrypt, choose the cost, keep passwords "
        "within bcrypt's 72 bytes, and rehash at login when the cost changes.",
        "Issue and decode JWT (JSON Web Token) access tokens with python-jose, always naming "
        "the algorithm, and refuse every token you did not issue with a `401`, whatever its "
        "shape or size.",
        "End a token when its user is deleted or changes password: ids never reused, a token "
        "version.",
        "Protect routes with the OAuth2 password flow and a `get_current_user` dependency.",
        "Answer another user's item with `404`, and a failed login the same way whether or not "
        "the email exists.",
        "Throttle password guessing with `429` and `Retry-After`.",
        "Keep bcrypt off the event loop.",
    ),
    package_files=(
        "app/core/security.py",
        "app/api/deps.py",
        "app/api/routes/auth.py",
        "app/schemas/token.py",
        "app/services/users.py",
    ),
    key_points=(
        "Store bcrypt hashes, never passwords: cost 12 in production, 4 in notebooks and tests; "
        "refuse passwords over 72 bytes (UTF-8) in the schema; when the cost changes, rehash at "
        "the next successful login. Pin `bcrypt==4.0.1` while you use passlib 1.7.4.",
        "Every token you did not issue is a `401` with `WWW-Authenticate: Bearer`, whatever its "
        "shape: decode with `algorithms=[ALGORITHM]`, refuse an over-long token before parsing "
        "it, turn *any* exception from the decoder into `AuthenticationError`, and check "
        "`sub`'s shape before `int()`.",
        "A token must end with what it was issued for: ids never reused (`sqlite_autoincrement` "
        "on SQLite), and a token version that a password change increments.",
        "Someone else's item is a `404`. A failed login gives one message and one verify at the "
        "current cost, whether or not the email exists, and a throttle answers `429` with "
        "`Retry-After` after a few failures (per process, unless a shared store keeps the "
        "counts).",
        "bcrypt inside `async def` freezes the event loop: run it in a worker thread and await "
        "it, with at most one hash per core at a time.",
    ),
)


# --------------------------------------------------------------------------------------------
# Shared helpers

NOT_A_HASH = "never verified in these checks"


async def _outcome(ctx: CheckContext, fn: Any, *args: Any) -> tuple[bool, Any]:
    """(True, value) if the learner's function returned, (False, exception) if it raised."""
    try:
        return True, await ctx.call(fn, *args)
    except Incorrect as exc:
        cause = exc.__cause__
        if cause is None or isinstance(cause, TimeoutError):
            raise  # a time-out or the engine's own message: already says what to fix
        return False, cause


def _http_status(exc: BaseException) -> int | None:
    from starlette.exceptions import HTTPException

    from app.core.exceptions import AppError

    if isinstance(exc, AppError):
        return exc.status_code
    if isinstance(exc, HTTPException):
        return exc.status_code
    return None


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


# --------------------------------------------------------------------------------------------
# Exercise 1: get_current_user


class _Fix(NamedTuple):
    """What to change when a bad token escapes as a 500 (or is accepted), and its code."""

    text: str
    code: str


_FIX_CATCH = _Fix(
    text="put `jwt.decode` in a `try:` and turn what it raises into `AuthenticationError()`.",
    code="jwt-error-escapes",
)
_FIX_ALGORITHMS = _Fix(
    text="pass `algorithms=[ALGORITHM]` to `jwt.decode`: without it an `alg: none` token raises "
    "JWKError, which `except JWTError` does not catch, so the client would get a 500.",
    code="alg-none-escapes",
)
_FIX_ALGORITHM_ACCEPTED = _Fix(
    text="`jwt.decode` without `algorithms=` lets the token's own header choose how it is "
    "checked: an HS512 token passed, though the service only issues HS256. Pass "
    "`algorithms=[ALGORITHM]`, always.",
    code="algorithm-not-named",
)
_FIX_ANY_DECODE = _Fix(
    text="python-jose parses the header as JSON before it checks the signature, and 5,000 nested "
    "arrays make the parser raise RecursionError, which is not a JWTError. Decoding does no I/O, "
    "so whatever `jwt.decode` raises is the token's fault: catch `Exception` around "
    "`jwt.decode` alone (not around the database lookup) and raise `AuthenticationError()`.",
    code="decode-crash-escapes",
)
_FIX_SUB = _Fix(
    text='read the claim with `claims.get("sub")`, check that it is a string of ASCII digits '
    "(`isinstance(sub, str) and sub.isascii() and sub.isdecimal()`) before `int(...)`, and "
    "raise `AuthenticationError()` otherwise.",
    code="sub-unchecked",
)
_FIX_SUB_DIGIT = _Fix(
    text='`"²".isdigit()` is True, but `int("²")` raises ValueError: superscripts are digits, '
    "not decimal digits. Test the claim with `subject.isascii() and subject.isdecimal()`.",
    code="sub-isdigit",
)
_FIX_SUB_ASCII = _Fix(
    text='`"١"` is the Arabic-Indic digit one: `isdecimal()` accepts it and `int("١")` is 1, so '
    'a `sub` the service never wrote named user 1 (`int()` also reads `" 1"` and `"+1"`). '
    "Accept only ASCII digits: add `subject.isascii()` to the test.",
    code="sub-not-ascii",
)
_FIX_SUB_SIZE = _Fix(
    text="a `sub` of 30 digits is a number no id column holds (SQLite's integers are 64-bit, "
    "PostgreSQL's 32-bit), and one of 5,000 digits makes `int()` itself raise ValueError. "
    "Refuse a `sub` longer than the ids you issue before `int()` (`len(subject) > 9`), with "
    "`AuthenticationError()`.",
    code="sub-overflows",
)


class _Case(NamedTuple):
    """A token that must be refused; the fix if it escapes as a 500, and if it is accepted."""

    what: str
    token: str
    fix: _Fix
    if_accepted: _Fix | None = None


def _b64_text(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


def _token_cases(secret: str, user_id: int) -> list[_Case]:
    """Every token that must be refused, in the order the check tries them."""
    from jose import jwt

    later = datetime.now(UTC) + timedelta(minutes=30)
    good = jwt.encode({"sub": str(user_id), "exp": later}, secret, algorithm="HS256")
    header, payload, signature = good.split(".")
    exp = int(later.timestamp())

    def signed(claims: dict[str, Any], key: str = secret, algorithm: str = "HS256") -> str:
        return jwt.encode(claims, key, algorithm=algorithm)

    arabic = str(user_id).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    return [
        _Case(
            "tampered token (payload changed, old signature)",
            f"{header}.{_b64({'sub': str(user_id + 1), 'exp': exp})}.{signature}",
            _FIX_CATCH,
        ),
        _Case(
            "token signed with another key",
            signed({"sub": str(user_id), "exp": later}, secrets.token_urlsafe(32)),
            _FIX_CATCH,
        ),
        _Case("garbage token `not-a-token`", "not-a-token", _FIX_CATCH),
        _Case(
            "expired token",
            signed({"sub": str(user_id), "exp": datetime.now(UTC) - timedelta(minutes=1)}),
            _FIX_CATCH,
        ),
        _Case(
            "`alg: none` token",
            f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.",
            _FIX_ALGORITHMS,
        ),
        _Case(
            "token signed with the right key but HS512, an algorithm the service never uses",
            signed({"sub": str(user_id), "exp": later}, algorithm="HS512"),
            _FIX_CATCH,
            _FIX_ALGORITHM_ACCEPTED,
        ),
        _Case(
            "token whose `sub` is the number 1, not a string",
            signed({"sub": user_id, "exp": later}),
            _FIX_SUB,
        ),
        _Case("token with no `sub` claim", signed({"exp": later}), _FIX_SUB),
        _Case(
            "token whose `sub` is `ada@example.com`, not an id",
            signed({"sub": "ada@example.com", "exp": later}),
            _FIX_SUB,
        ),
        _Case(
            'token of a user who does not exist (`sub` "999")',
            signed({"sub": "999", "exp": later}),
            _FIX_CATCH,
        ),
        _Case('token whose `sub` is "²"', signed({"sub": "²", "exp": later}), _FIX_SUB_DIGIT),
        _Case(
            f'token whose `sub` is "{arabic}" (Arabic-Indic digits)',
            signed({"sub": arabic, "exp": later}),
            _FIX_SUB,
            _FIX_SUB_ASCII,
        ),
        _Case(
            "token whose `sub` is a 30-digit number",
            signed({"sub": "1" * 30, "exp": later}),
            _FIX_SUB_SIZE,
        ),
        _Case(
            "token whose `sub` has 5,000 digits",
            signed({"sub": "9" * 5000, "exp": later}),
            _FIX_SUB_SIZE,
        ),
        _Case(
            "forged token whose header nests 5,000 JSON arrays (no key needed to make it)",
            f"{_b64_text('[' * 5000 + ']' * 5000)}.{payload}.{signature}",
            _FIX_ANY_DECODE,
        ),
    ]


def _refused_properly(exc: BaseException, case: str) -> None:
    from starlette.exceptions import HTTPException

    from app.core.exceptions import AuthenticationError

    if isinstance(exc, AuthenticationError):
        return
    if isinstance(exc, HTTPException) and exc.status_code == 401:
        if "bearer" in str((exc.headers or {}).get("WWW-Authenticate", "")).lower():
            return
        raise Incorrect(
            f"For the {case} you raised a 401 without the `WWW-Authenticate: Bearer` header, "
            "which HTTP requires on a 401. Raise `AuthenticationError()`: it adds the header.",
            code="401-without-header",
        )
    status = _http_status(exc)
    if status is not None:
        raise Incorrect(
            f"For the {case} you raised {type(exc).__name__} with status {status}. A bad token "
            "means the caller is not authenticated: raise `AuthenticationError()` (401).",
            code="wrong-status",
        )


async def check_get_current_user(ctx: CheckContext, get_current_user: Any) -> None:
    from app.models import User

    ctx.require_function(get_current_user, is_async=True)
    secret = secrets.token_urlsafe(32)
    async with ctx.database() as Session:
        async with Session.begin() as db:
            ada = User(email="ada@example.com", hashed_password=NOT_A_HASH)
            db.add(ada)
            await db.flush()
            ada_id = ada.id

        from jose import jwt

        good = jwt.encode(
            {"sub": str(ada_id), "exp": datetime.now(UTC) + timedelta(minutes=30)},
            secret,
            algorithm="HS256",
        )
        async with Session() as db:
            returned, value = await _outcome(ctx, get_current_user, good, db, secret)
        if not returned:
            raise Incorrect(
                f"A valid token for user {ada_id} raised {error_summary(value)}. Decode it with "
                "`jwt.decode(token, secret_key, algorithms=[ALGORITHM])`, then load the user "
                "with `await db.get(User, int(sub))`.",
                code="rejects-valid-token",
            )
        if not isinstance(value, User) or value.id != ada_id:
            raise Incorrect(
                f"A valid token for user {ada_id} returned {describe(value)}. Return the `User` "
                "the token's `sub` names: `await db.get(User, int(sub))`.",
                code="returns-wrong-user",
            )

        for case, token, fix, if_accepted in _token_cases(secret, ada_id):
            async with Session() as db:
                returned, value = await _outcome(ctx, get_current_user, token, db, secret)
            if returned:
                if value is None and "does not exist" in case:
                    raise Incorrect(
                        f"For the {case} you returned None: the user does not exist (deleted "
                        "since the token was issued). Raise `AuthenticationError()` when the "
                        "lookup finds nobody, or the route would run with no user.",
                        code="returns-none-for-missing-user",
                    )
                if if_accepted is not None:
                    raise Incorrect(
                        f"For the {case} you returned {describe(value)}: {if_accepted.text}",
                        code=if_accepted.code,
                    )
                raise Incorrect(
                    f"For the {case} you returned {describe(value)}. Every bad token must be "
                    "refused: raise `AuthenticationError()`.",
                    code="accepts-bad-token",
                )
            _refused_properly(value, case)
            if _http_status(value) is None:
                raise Incorrect(
                    f"For the {case} `get_current_user` raised `{error_summary(value)}`, which "
                    f"escapes as a 500. Fix: {fix.text}",
                    code=fix.code,
                )

    # A valid token while the database fails: not the token's fault, so not a 401.
    from sqlalchemy import MetaData

    async with ctx.database(MetaData()) as Broken, Broken() as db:  # no tables: queries fail
        returned, value = await _outcome(ctx, get_current_user, good, db, secret)
    if returned or _http_status(value) == 401:
        answered = f"returned {describe(value)}" if returned else "answered 401"
        raise Incorrect(
            f"With a valid token, while the database failed (it has no `users` table), you "
            f"{answered}. A database failure is not a bad token: let its error propagate, a "
            "500 that belongs in the logs. Put only `jwt.decode` inside the `try:` (decoding "
            "does no I/O: what it raises is the token's fault) and check `sub` with an `if`; "
            "an `except Exception:` around the lookup too tells every user to log in again "
            "and hides the real error.",
            code="hides-database-failure",
        )


# --------------------------------------------------------------------------------------------
# Exercise 2: get_owned_item


def _not_found_message(exc: BaseException) -> str:
    from app.core.exceptions import AppError

    if isinstance(exc, AppError):
        return exc.message
    return str(getattr(exc, "detail", exc))


async def check_get_owned_item(ctx: CheckContext, get_owned_item: Any) -> None:
    from app.models import Item, User

    ctx.require_function(get_owned_item, is_async=True)
    async with ctx.database() as Session:
        async with Session.begin() as db:
            ada = User(email="ada@example.com", hashed_password=NOT_A_HASH)
            bob = User(email="bob@example.com", hashed_password=NOT_A_HASH)
            db.add_all([ada, bob])
            await db.flush()
            items = [
                Item(owner_id=ada.id, title="Ada's first"),
                Item(owner_id=ada.id, title="Ada's second"),
                Item(owner_id=bob.id, title="Bob's"),
            ]
            db.add_all(items)
            await db.flush()
        names = {ada.id: ("Ada", "hers"), bob.id: ("Bob", "his")}

        async def ask(user: Any, item_id: int) -> tuple[bool, Any]:
            async with Session() as db:
                return await _outcome(ctx, get_owned_item, db, item_id, user)

        for user, item in ((ada, items[0]), (ada, items[1]), (bob, items[2])):
            returned, value = await ask(user, item.id)
            name, own = names[user.id]
            who = f"{name} (user {user.id}), asking for item {item.id}, which is {own},"
            if not returned:
                raise Incorrect(
                    f"{who} got an error ({error_summary(value)}). Compare "
                    "`item.owner_id` with `user.id`: the owner must get the item.",
                    code="owner-refused",
                )
            if not isinstance(value, Item) or value.id != item.id:
                raise Incorrect(
                    f"{who} got {describe(value)}. Return the `Item` itself "
                    "(`await db.get(Item, item_id)`).",
                    code="owner-gets-other",
                )

        returned, others = await ask(bob, items[0].id)
        if returned:
            raise Incorrect(
                f"Bob got Ada's item {items[0].id}: compare `item.owner_id` with `user.id`, and "
                'raise `NotFoundError("Item not found.")` when they differ.',
                code="no-owner-check",
            )
        status = _http_status(others)
        if status == 403:
            raise Incorrect(
                "Bob asking for Ada's item got a 403 Forbidden. A 403 confirms that the item "
                "exists, so Bob could count other users' items by trying ids. Raise "
                '`NotFoundError("Item not found.")`, the same as for an id that does not exist.',
                code="forbidden",
            )
        if status != 404:
            raise Incorrect(
                f"Bob asking for Ada's item got {error_summary(others)}. Raise "
                '`NotFoundError("Item not found.")` (404) for an item that is not the user\'s.',
                code="wrong-error-for-others",
            )

        returned, missing = await ask(bob, 999)
        if returned:
            raise Incorrect(
                f"An id that does not exist returned {describe(missing)}. Raise "
                '`NotFoundError("Item not found.")` when `db.get` finds nothing.',
                code="returns-for-missing",
            )
        if _http_status(missing) != 404:
            raise Incorrect(
                f"An id that does not exist raised {error_summary(missing)}: check "
                '`item is None` first and raise `NotFoundError("Item not found.")`.',
                code="missing-not-404",
            )
        if _not_found_message(others) != _not_found_message(missing):
            raise Incorrect(
                f"Someone else's item answers {_not_found_message(others)!r} and a missing one "
                f"{_not_found_message(missing)!r}: use the same message for both, or the "
                "difference tells Bob which ids exist.",
                code="messages-differ",
            )


# --------------------------------------------------------------------------------------------
# Exercise 3: the login route

ADA_PASSWORD = "correct horse battery"  # noqa: S105 - a password the check registers


def _shown(body: Any) -> str:
    text = json.dumps(body) if isinstance(body, (dict, list)) or body is None else str(body)
    return f"`{text[:160]}`"


@contextlib.contextmanager
def _bcrypt_calls() -> Iterator[list[int]]:
    """The thread of every bcrypt hash or check made meanwhile, however the answer made it
    (passlib, `security`, or the `bcrypt` module itself)."""
    import bcrypt

    calls: list[int] = []
    originals = {name: getattr(bcrypt, name) for name in ("hashpw", "checkpw")}

    def recording(original: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls.append(threading.get_ident())
            return original(*args, **kwargs)

        return call

    for name, original in originals.items():
        setattr(bcrypt, name, recording(original))
    try:
        yield calls
    finally:
        for name, original in originals.items():
            setattr(bcrypt, name, original)


class _Served(NamedTuple):
    status: int
    headers: dict[str, str]
    body: Any


async def check_login_route(ctx: CheckContext, login_route: Any) -> None:
    from app.core.security import pwd_context, set_password_cost

    # Cost 4 while the check runs, as in the notebooks: three logins fit in the time limit.
    rounds = pwd_context.handler().default_rounds
    set_password_cost(4)
    try:
        await _check_login_route(ctx, login_route)
    finally:
        set_password_cost(rounds)


async def _check_login_route(ctx: CheckContext, login_route: Any) -> None:
    import functools

    import httpx
    from fastapi import FastAPI
    from starlette.exceptions import HTTPException

    from app.core.config import Settings
    from app.core.exceptions import AuthenticationError, register_exception_handlers
    from app.core.security import decode_access_token, hash_password
    from app.models import User

    ctx.require_function(login_route, is_async=True)
    returned: list[Any] = []
    raised: list[BaseException] = []

    verdicts: list[BaseException] = []  # the engine's own: a time-out, the untouched stub

    @functools.wraps(login_route)
    async def spy(*args: Any, **kwargs: Any) -> Any:
        try:
            outcome = await ctx.attempt(login_route, *args, **kwargs)
        except Exception as exc:
            verdicts.append(exc)
            raise HTTPException(500) from None  # the app would log a traceback for it
        if outcome.error is not None:
            raised.append(outcome.error)
            if _http_status(outcome.error) is None:
                raise HTTPException(500) from None
            raise outcome.error
        returned.append(outcome.value)
        return outcome.value

    app = FastAPI()
    register_exception_handlers(app)
    try:
        app.post("/auth/token")(spy)
    except Exception as exc:
        raise Incorrect(
            f"FastAPI could not make a route of `login_route`: {error_summary(exc)}. Declare "
            "each parameter as a dependency: `db: SessionDep`, `settings: SettingsDep`, and "
            "`form: Annotated[OAuth2PasswordRequestForm, Depends()]`.",
            code="not-a-route",
        ) from None
    settings = Settings(ENVIRONMENT="development", SECRET_KEY=secrets.token_urlsafe(32))
    async with ctx.database() as Session:
        async with Session.begin() as db:
            ada = User(email="ada@example.com", hashed_password=hash_password(ADA_PASSWORD))
            db.add(ada)
            await db.flush()
            ada.token_version = 3  # as if she had changed her password three times
        app.state.settings, app.state.sessionmaker = settings, Session
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:

            async def log_in(email: str, password: str) -> _Served:
                returned.clear()
                raised.clear()
                form = {"username": email, "password": password}
                served = await client.post("/auth/token", data=form)
                if verdicts:
                    raise verdicts[0]
                if raised and _http_status(raised[0]) is None:
                    raise Incorrect(
                        f"`login_route` raised {error_summary(raised[0])}"
                        f"{where_in_answer(login_route, raised[0])}. Fix it, run your cell "
                        "again, then this check.",
                        code="raised",
                    )
                try:
                    body = served.json()
                except ValueError:
                    body = served.text
                return _Served(served.status_code, dict(served.headers), body)

            right = await log_in("ada@example.com", ADA_PASSWORD)
            if right.status == 422:
                raise Incorrect(
                    "Ada's email and password, sent as a form (what OAuth2 clients and the "
                    "*Authorize* button of `/docs` send), got 422: your route reads something "
                    "else, such as a JSON body. Declare "
                    "`form: Annotated[OAuth2PasswordRequestForm, Depends()]` and read "
                    "`form.username` (the email) and `form.password`.",
                    code="json-not-form",
                )
            if returned and isinstance(returned[0], User):
                raise Incorrect(
                    "A right password returned the `User` itself: the client needs a token, "
                    "and a user object would send its password hash too. Return "
                    "`Token(access_token=...)`, with the token from `create_access_token`.",
                    code="returns-user",
                )
            body = right.body if isinstance(right.body, dict) else {}
            token = body.get("access_token")
            if right.status != 200 or body.get("token_type") != "bearer" or not token:
                raise Incorrect(
                    f"A right password got {right.status} with {_shown(right.body)}. The "
                    'answer must be `{"access_token": ..., "token_type": "bearer"}`: return '
                    "`Token(access_token=...)`.",
                    code="not-a-token-response",
                )
            try:
                access = decode_access_token(str(token), secret_key=settings.SECRET_KEY)
            except AuthenticationError:
                access = None
            if access is None or access.user_id != ada.id:
                raise Incorrect(
                    "The token you returned does not name Ada for `get_current_user`: make it "
                    "with `create_access_token(str(user.id), secret_key=settings.SECRET_KEY, "
                    "version=user.token_version)`, the subject being the user's id as a string.",
                    code="token-wrong-subject",
                )
            if access.version != ada.token_version:
                raise Incorrect(
                    f"The token carries version {access.version}, and Ada's `token_version` is "
                    f"{ada.token_version}: `get_current_user` would refuse it. Pass "
                    "`version=user.token_version` to `create_access_token`.",
                    code="token-without-version",
                )

            wrong = await log_in("ada@example.com", "not her password")
            if wrong.status == 200:
                raise Incorrect(
                    "A wrong password got a token. Check the password: "
                    "`await authenticate_user(db, form.username, form.password)` does, and "
                    "raises the 401 itself.",
                    code="accepts-wrong-password",
                )
            if wrong.status != 401:
                raise Incorrect(
                    f"A wrong password got {wrong.status}. Failed credentials are a 401 here, "
                    'the status every client of this service treats as "log in again" '
                    "(the FastAPI tutorial's 400 is what OAuth2 itself prescribes for this "
                    "endpoint; pick one and keep it). Let `authenticate_user` raise its "
                    "`AuthenticationError`.",
                    code="wrong-status",
                )
            challenge = {k.lower(): v for k, v in wrong.headers.items()}.get("www-authenticate")
            if "bearer" not in str(challenge).lower():
                raise Incorrect(
                    "A wrong password got a 401 without `WWW-Authenticate: Bearer`, which HTTP "
                    "requires on every 401. Let `authenticate_user`'s `AuthenticationError` "
                    "through: it carries the header.",
                    code="401-without-header",
                )
            with _bcrypt_calls() as calls:
                wrong_again = await log_in("ada@example.com", "not her password either")
            in_the_loop = [ident for ident in calls if ident == threading.get_ident()]
            if wrong_again.status == 401 and in_the_loop:
                raise Incorrect(
                    "Your route checks the password with bcrypt in the event loop's own thread: "
                    "for the third of a second each check takes at cost 12, the server answers "
                    "no one else (section 9 measured it). Await the hash in a worker thread: "
                    "`await authenticate_user(...)` does, through `verify_password_async`.",
                    code="bcrypt-blocks-loop",
                )
            with _bcrypt_calls() as unknown_calls:
                unknown = await log_in("nobody@example.com", ADA_PASSWORD)
            if (unknown.status, unknown.body) != (wrong.status, wrong.body):
                raise Incorrect(
                    f"An unknown email got {unknown.status} {_shown(unknown.body)}, a wrong "
                    f"password {wrong.status} {_shown(wrong.body)}: the difference tells "
                    "anyone which emails are registered. Give both the same answer: "
                    "`authenticate_user` does.",
                    code="messages-differ",
                )
            if unknown.status == 401 and calls and not unknown_calls:
                raise Incorrect(
                    "An unknown email got its 401 without a single bcrypt call, while a wrong "
                    f"password made {len(calls)}: the unknown one answers in microseconds, a "
                    "registered one after a hash, and the time tells anyone which emails are "
                    "registered. Verify the password against a dummy hash when there is no user "
                    "(`authenticate_user` does, with `verify_password_async(password, None)`).",
                    code="unknown-email-faster",
                )


EXERCISES = [
    Exercise(
        id="get_current_user",
        title="Turn a token into the current user, refusing every bad token with a 401",
        check=check_get_current_user,
        answer=answers.get_current_user,
        hints=[
            "A bad token can fail at three points: decoding it, reading its `sub`, and finding "
            "its user. Guard each point on its own, and make every failure the same "
            "`raise AuthenticationError()`. Decoding does no I/O, so anything it raises is the "
            "token's fault; the lookup talks to the database, whose failures are not. Which of "
            "the three do you guard with `try:`, and which with an `if`?",
            "The tools: `jwt.decode(token, secret_key, algorithms=[ALGORITHM])` returns the "
            'claims as a dict, or raises (not always a `JWTError`); `claims.get("sub")` is '
            "`None` when the claim is missing; `str.isascii()` and `str.isdecimal()` tell a "
            'string of ASCII digits from `"²"`, `"١"` or `"+1"`; `len(subject) > 9` '
            "is longer than any id; `await db.get(User, user_id)` is `None` for nobody.",
            "The shape, top to bottom:\n\n"
            "```python\n"
            "try:\n"
            "    claims = jwt.decode(...)\n"
            "except Exception:\n"
            "    raise AuthenticationError() from None\n"
            'subject = claims.get("sub")\n'
            "if <subject is not a str of 1 to 9 ASCII digits>:\n"
            "    raise AuthenticationError()\n"
            "user = await db.get(User, int(subject))\n"
            "if user is None:\n"
            "    raise AuthenticationError()\n"
            "return user\n"
            "```",
        ],
        mistakes=[
            Mistake(
                mistakes.get_current_user_without_algorithms,
                why="decode without algorithms: alg none raises JWKError",
                code="alg-none-escapes",
            ),
            Mistake(
                mistakes.get_current_user_trusts_sub,
                why="int(claims['sub']) without checking the claim",
                code="sub-unchecked",
            ),
            Mistake(
                mistakes.get_current_user_returns_none,
                why="returns None for an unknown user",
                code="returns-none-for-missing-user",
            ),
            Mistake(
                mistakes.get_current_user_plain_401,
                why="HTTPException 401 without the header",
                code="401-without-header",
            ),
            Mistake(
                mistakes.get_current_user_isdigit,
                code="sub-isdigit",
                why='str.isdigit() accepts "²", which int() refuses: a 500',
            ),
            Mistake(
                mistakes.get_current_user_sub_overflows,
                code="sub-overflows",
                why="int(sub) of 30 digits overflows the database's integer: a 500",
            ),
            Mistake(
                mistakes.get_current_user_catches_everything,
                why="except Exception: turns a database failure into a 401",
                code="hides-database-failure",
            ),
            Mistake(
                mistakes.get_current_user_without_try,
                code="jwt-error-escapes",
                why="no try around jwt.decode: a bad signature escapes as a 500",
            ),
            Mistake(
                mistakes.get_current_user_403,
                code="wrong-status",
                why="HTTPException(403) for a bad token: 403 is for a known caller",
            ),
            Mistake(
                mistakes.get_current_user_returns_claims,
                code="returns-wrong-user",
                why="returns the decoded claims, not the user",
            ),
            Mistake(
                mistakes.get_current_user_unverified,
                code="accepts-bad-token",
                why="jwt.get_unverified_claims: any signature is accepted",
            ),
            Mistake(
                mistakes.get_current_user_catches_only_jwt_error,
                code="decode-crash-escapes",
                why="except JWTError: a deeply nested header raises RecursionError, a 500",
            ),
            Mistake(
                mistakes.get_current_user_isdecimal_alone,
                code="sub-not-ascii",
                why='isdecimal() accepts "١", which int() reads as 1',
            ),
            Mistake(
                mistakes.get_current_user_catches_all_without_algorithms,
                code="algorithm-not-named",
                why="except Exception hides alg none, but no algorithms= lets HS512 in",
            ),
        ],
        kind="async function",
        alternatives=[
            alternatives.get_current_user_with_int_guard,
            alternatives.get_current_user_with_a_pattern,
        ],
        success="Every token you did not issue, and every user who is gone, gets a 401.",
    ),
    Exercise(
        id="get_owned_item",
        title="Only the owner sees an item; everyone else gets 404",
        check=check_get_owned_item,
        answer=answers.get_owned_item,
        hints=[
            'Two things make an item "not found" for this user: it does not exist, or it '
            "belongs to someone else. Treat both the same way, with the same exception and the "
            "same message, so that Bob cannot tell them apart.",
            "The tools: `await db.get(Item, item_id)` returns the item or `None`; "
            "`item.owner_id` is the id of its owner, `user.id` the caller's; "
            '`NotFoundError("Item not found.")` is the package\'s 404.',
            "The shape:\n\n"
            "```python\n"
            "item = await db.get(...)\n"
            "if <it is missing> or <its owner is not the user>:\n"
            "    raise NotFoundError(...)\n"
            "return item\n"
            "```\n\n"
            "Test for `None` first: `item.owner_id` fails on `None`.",
        ],
        mistakes=[
            Mistake(
                mistakes.get_owned_item_forbidden,
                why="403 for another user's item leaks that it exists",
                code="forbidden",
            ),
            Mistake(
                mistakes.get_owned_item_wrong_field,
                why="compares item.id with user.id",
                code="owner-refused",
            ),
            Mistake(
                mistakes.get_owned_item_tells_apart,
                why="a different 404 message for someone else's item",
                code="messages-differ",
            ),
            Mistake(
                mistakes.get_owned_item_no_owner_check,
                why="no ownership check at all",
                code="no-owner-check",
            ),
            Mistake(
                mistakes.get_owned_item_returns_result,
                code="owner-gets-other",
                why="returns the query's Result, not the item",
            ),
            Mistake(
                mistakes.get_owned_item_401_for_others,
                code="wrong-error-for-others",
                why="401 for another user's item: the caller is logged in",
            ),
            Mistake(
                mistakes.get_owned_item_returns_none_for_missing,
                code="returns-for-missing",
                why="returns None for an id that does not exist",
            ),
            Mistake(
                mistakes.get_owned_item_checks_owner_first,
                code="missing-not-404",
                why="reads item.owner_id before checking for None: AttributeError",
            ),
        ],
        kind="async function",
        success="Another user's item is indistinguishable from one that does not exist.",
    ),
    Exercise(
        id="login_route",
        title="The login route: a form in, a bearer token out",
        check=check_login_route,
        answer=answers.login_route,
        hints=[
            "The route does three things: read the email and password as the OAuth2 password "
            "flow sends them (a form, not JSON), check them (one answer for an unknown email "
            "and a wrong password, a 401 with `WWW-Authenticate`), and answer with a token "
            "that `get_current_user` will accept, never with the user.",
            "The tools: a parameter `form: Annotated[OAuth2PasswordRequestForm, Depends()]` "
            "reads the form (`form.username` is the email); "
            "`await authenticate_user(db, email, password)` returns the user or raises the "
            "401; `security.create_access_token(subject, secret_key=..., expires_delta=..., "
            "version=...)` makes the token; `Token(access_token=...)` is the answer.",
            "The shape:\n\n"
            "```python\n"
            "async def login_route(\n"
            "    db: SessionDep,\n"
            "    settings: SettingsDep,\n"
            "    form: Annotated[OAuth2PasswordRequestForm, Depends()],\n"
            ") -> Token:\n"
            "    user = await authenticate_user(db, ..., ...)\n"
            "    access_token = security.create_access_token(\n"
            "        str(user.id), secret_key=settings.SECRET_KEY,\n"
            "        expires_delta=timedelta(minutes=settings.ACCESS_TOKEN_EXPIRE_MINUTES),\n"
            "        version=...,\n"
            "    )\n"
            "    return Token(...)\n"
            "```",
        ],
        mistakes=[
            Mistake(mistakes.login_route_reads_json, code="json-not-form", why="a JSON body"),
            Mistake(
                mistakes.login_route_form_without_depends,
                code="not-a-route",
                why="OAuth2PasswordRequestForm without Depends()",
            ),
            Mistake(mistakes.login_route_returns_user, code="returns-user", why="returns the user"),
            Mistake(
                mistakes.login_route_form_email,
                code="raised",
                why="form.email: the form's field is username",
            ),
            Mistake(
                mistakes.login_route_returns_the_string,
                code="not-a-token-response",
                why="returns the token string, not Token(...)",
            ),
            Mistake(
                mistakes.login_route_email_as_subject,
                code="token-wrong-subject",
                why="the email as the token's subject",
            ),
            Mistake(
                mistakes.login_route_without_version,
                code="token-without-version",
                why="no version: the token is refused after a password change",
            ),
            Mistake(
                mistakes.login_route_no_password_check,
                code="accepts-wrong-password",
                why="looks the user up and never checks the password",
            ),
            Mistake(
                mistakes.login_route_400, code="wrong-status", why="400, as FastAPI's tutorial"
            ),
            Mistake(
                mistakes.login_route_401_without_header,
                code="401-without-header",
                why="HTTPException(401) without WWW-Authenticate",
            ),
            Mistake(
                mistakes.login_route_tells_apart,
                code="messages-differ",
                why="a different message for an unknown email",
            ),
            Mistake(
                mistakes.login_route_hashes_in_the_loop,
                code="bcrypt-blocks-loop",
                why="bcrypt called inside async def",
            ),
            Mistake(
                mistakes.login_route_no_dummy_hash,
                code="unknown-email-faster",
                why="no hash for an unknown email: timing tells",
            ),
        ],
        kind="async function",
        success="A form in, a token `get_current_user` accepts out, and one 401 for every failure.",
    ),
]
