"""Notebook 06 · Security: its lesson card and exercises."""

from __future__ import annotations

import base64
import json
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from answers import nb06 as answers
from answers.alternatives import nb06 as alternatives
from answers.mistakes import nb06 as mistakes
from support.catalog import Lesson
from support.exercises import CheckContext, Exercise, Incorrect, Mistake, describe, error_summary

LESSON = Lesson(
    number="06",
    title="Security",
    filename="06_security.ipynb",
    teaching_minutes=35,
    exercise_minutes=25,
    objectives=(
        "Hash and verify passwords with passlib and bcrypt, choose the cost, and keep passwords "
        "within bcrypt's 72 bytes.",
        "Issue and decode JWT access tokens with python-jose, always naming the algorithm.",
        "Protect routes with the OAuth2 password flow and a `get_current_user` dependency.",
        "Answer another user's item with 404, and a failed login the same way whether or not "
        "the email exists.",
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
        "pin bcrypt==4.0.1 while you use passlib 1.7.4.",
        "bcrypt ignores everything after 72 bytes: refuse longer passwords in the schema, "
        "counting UTF-8 bytes.",
        "Decode tokens with algorithms=[ALGORITHM], always: without it an `alg: none` token "
        "raises JWKError, which `except JWTError` does not catch, and the client gets a 500.",
        "Every bad token is a 401 with WWW-Authenticate: Bearer; someone else's item is a 404; "
        "a failed login gives one message and one verify.",
        "bcrypt inside `async def` freezes the event loop: hash in worker threads, one per core.",
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
    """What to change when a bad token escapes as a 500, and the diagnosis's code."""

    text: str
    code: str


_FIX_CATCH = _Fix(
    text="catch `JWTError` around `jwt.decode` and raise `AuthenticationError()` instead.",
    code="jwt-error-escapes",
)
_FIX_ALGORITHMS = _Fix(
    text="pass `algorithms=[ALGORITHM]` to `jwt.decode`: without it an `alg: none` token raises "
    "JWKError, which `except JWTError` does not catch, so the client would get a 500.",
    code="alg-none-escapes",
)
_FIX_SUB = _Fix(
    text='read the claim with `claims.get("sub")`, check that it is a string of digits '
    "(`isinstance(sub, str) and sub.isdecimal()`) before `int(...)`, and raise "
    "`AuthenticationError()` otherwise.",
    code="sub-unchecked",
)
_FIX_SUB_DIGIT = _Fix(
    text='`"²".isdigit()` is True, but `int("²")` raises ValueError: superscripts are digits, '
    "not decimal digits. Test the claim with `subject.isdecimal()`.",
    code="sub-isdigit",
)
_FIX_SUB_SIZE = _Fix(
    text="a `sub` of 30 digits is a number no id column holds (SQLite's integers are 64-bit, "
    "PostgreSQL's 32-bit), and the lookup fails on it. Refuse a `sub` longer than the ids you "
    "issue before the lookup (`len(subject) > 9`), with `AuthenticationError()`.",
    code="sub-overflows",
)


def _token_cases(secret: str, user_id: int) -> list[tuple[str, str, _Fix]]:
    """(what, token, the fix if it escapes) for every token that must be refused."""
    from jose import jwt

    later = datetime.now(UTC) + timedelta(minutes=30)
    good = jwt.encode({"sub": str(user_id), "exp": later}, secret, algorithm="HS256")
    header, payload, signature = good.split(".")
    exp = int(later.timestamp())

    def signed(claims: dict[str, Any], key: str = secret) -> str:
        return jwt.encode(claims, key, algorithm="HS256")

    return [
        (
            "tampered token (payload changed, old signature)",
            f"{header}.{_b64({'sub': str(user_id + 1), 'exp': exp})}.{signature}",
            _FIX_CATCH,
        ),
        (
            "token signed with another key",
            signed({"sub": str(user_id), "exp": later}, secrets.token_urlsafe(32)),
            _FIX_CATCH,
        ),
        ("garbage token `not-a-token`", "not-a-token", _FIX_CATCH),
        (
            "expired token",
            signed({"sub": str(user_id), "exp": datetime.now(UTC) - timedelta(minutes=1)}),
            _FIX_CATCH,
        ),
        ("`alg: none` token", f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.", _FIX_ALGORITHMS),
        (
            "token whose `sub` is the number 1, not a string",
            signed({"sub": user_id, "exp": later}),
            _FIX_SUB,
        ),
        ("token with no `sub` claim", signed({"exp": later}), _FIX_SUB),
        (
            "token whose `sub` is `ada@example.com`, not an id",
            signed({"sub": "ada@example.com", "exp": later}),
            _FIX_SUB,
        ),
        (
            'token of a user who does not exist (`sub` "999")',
            signed({"sub": "999", "exp": later}),
            _FIX_CATCH,
        ),
        ('token whose `sub` is "²"', signed({"sub": "²", "exp": later}), _FIX_SUB_DIGIT),
        (
            "token whose `sub` is a 30-digit number",
            signed({"sub": "1" * 30, "exp": later}),
            _FIX_SUB_SIZE,
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

        for case, token, fix in _token_cases(secret, ada_id):
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
            "500 that belongs in the logs. Catch only `JWTError` around `jwt.decode` and check "
            "`sub` with an `if`, not `except Exception:`, which tells every user to log in "
            "again and hides the real error.",
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


EXERCISES = [
    Exercise(
        id="get_current_user",
        title="Turn a token into the current user, refusing every bad token with a 401",
        check=check_get_current_user,
        answer=answers.get_current_user,
        hints=[
            "A bad token can fail at three points: decoding it, reading its `sub`, and finding "
            "its user. Guard each point on its own, and make every failure the same "
            "`raise AuthenticationError()`. Which of the three raises an exception you must "
            "catch, and which can you test with an `if`?",
            "Decode in `try:` with "
            "`claims = jwt.decode(token, secret_key, algorithms=[ALGORITHM])` and "
            "`except JWTError: raise AuthenticationError() from None`. Then "
            '`subject = claims.get("sub")`; if it is not a string of digits '
            "(`isinstance(subject, str) and subject.isdecimal()`), or longer than any id "
            "(`len(subject) > 9`), raise `AuthenticationError()`. "
            "Then `user = await db.get(User, int(subject))`, the same `raise` if it is `None`, "
            "and `return user`.",
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
        ],
        kind="async function",
        alternatives=[alternatives.get_current_user_with_int_guard],
        success="Every token you did not issue, and every user who is gone, gets a 401.",
    ),
    Exercise(
        id="get_owned_item",
        title="Only the owner sees an item; everyone else gets 404",
        check=check_get_owned_item,
        answer=answers.get_owned_item,
        hints=[
            'Load the item with `await db.get(Item, item_id)`. Two things make it "not found" '
            "for this user: it is `None`, or its `owner_id` is not `user.id`.",
            "One condition, one exception: `if item is None or item.owner_id != user.id: "
            'raise NotFoundError("Item not found.")`, then `return item`.',
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
]
