"""Notebook 06 · Security, exercise `get_current_user`: its check and hints."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from support.catalog.fixtures import record_sql
from support.catalog.nb06._get_current_user_tokens import _token_cases
from support.catalog.nb06._shared import NOT_A_HASH, _http_status, _outcome
from support.exercises import CheckContext, Incorrect, describe, error_summary

MAX_ID = 2**31 - 1  # PostgreSQL's INTEGER, the type of the package's id columns

HINTS = [
    "A bad token can fail at three points: decoding it, reading its `sub`, and finding "
    "its user. Guard each point on its own, and make every failure the same "
    "`raise AuthenticationError()`. Decoding does no I/O, so anything it raises is the "
    "token's fault; the lookup talks to the database, whose failures are not. Which of "
    "the three do you guard with `try:`, and which with an `if`?",
    "The tools: `jwt.decode(token, secret_key, algorithms=[ALGORITHM])` returns the "
    'claims as a dict, or raises (not always a `JWTError`); `claims.get("sub")` is '
    "`None` when the claim is missing; `str.isascii()` and `str.isdecimal()` tell a "
    'string of ASCII digits from `"²"`, `"١"` or `"+1"`; `len(subject) > 9` '
    'is longer than any id; `subject.startswith("0")` is no id the service writes '
    '(`"07"`, `"0"`); `await db.get(User, user_id)` is `None` for nobody.',
    "The shape, top to bottom:\n\n"
    "```python\n"
    "try:\n"
    "    claims = jwt.decode(...)\n"
    "except Exception:\n"
    "    raise AuthenticationError() from None\n"
    'subject = claims.get("sub")\n'
    "if <subject is not a str of 1 to 9 ASCII digits, not starting with 0>:\n"
    "    raise AuthenticationError()\n"
    "user = await db.get(User, int(subject))\n"
    "if user is None:\n"
    "    raise AuthenticationError()\n"
    "return user\n"
    "```",
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


async def check(ctx: CheckContext, get_current_user: Any) -> None:
    from app.models import User

    ctx.require_function(get_current_user, is_async=True)
    secret = secrets.token_urlsafe(32)
    async with ctx.database() as Session:
        async with Session.begin() as db:
            ada = User(email="ada@example.com", hashed_password=NOT_A_HASH)
            db.add(ada)
            await db.flush()
            ada_id = ada.id
            # The service never issues id 0; a row with it makes a `sub` of "0" accepted visible.
            db.add(User(id=0, email="zero@example.com", hashed_password=NOT_A_HASH))

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

        sent = record_sql(Session)
        for case, token, fix, if_accepted in _token_cases(secret, ada_id):
            sent.clear()
            async with Session() as db:
                returned, value = await _outcome(ctx, get_current_user, token, db, secret)
            # SQLite holds 64-bit integers, so the lookup merely finds nobody; PostgreSQL's id
            # column is 32-bit, and the same query fails there: a 500.
            asked = [v for _, p in sent for v in (p or ()) if type(v) is int and v > MAX_ID]
            if asked:
                raise Incorrect(
                    f"For the {case}, your code asked the database for user {asked[0]}, more "
                    f"than an id column holds on PostgreSQL ({MAX_ID:,}): there that query "
                    f"fails, a 500. Fix: {fix.text}",
                    code=fix.code,
                )
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
