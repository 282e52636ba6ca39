"""Notebook 06 · Security, exercise `login_route`: its check and hints."""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any

from support.catalog.nb06._login_route_helpers import _bcrypt_calls, _Served, _shown
from support.catalog.nb06._shared import _http_status
from support.exercises import CheckContext, Incorrect, error_summary, where_in_answer

HINTS = [
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
]


ADA_PASSWORD = "correct horse battery"  # noqa: S105 - a password the check registers
LIFETIME_MINUTES = 7  # not the default 30: a route that ignores the setting shows
SLACK_SECONDS = 5  # `exp` is whole seconds, stamped at some moment during the request


def _lifetime(seconds: float) -> str:
    if abs(seconds) < 120:
        return f"{round(seconds)} seconds"
    return f"{round(seconds / 60)} minutes"


async def check(ctx: CheckContext, login_route: Any) -> None:
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
    settings = Settings(
        ENVIRONMENT="development",
        SECRET_KEY=secrets.token_urlsafe(32),
        ACCESS_TOKEN_EXPIRE_MINUTES=LIFETIME_MINUTES,
    )
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

            sent_at = time.time()
            right = await log_in("ada@example.com", ADA_PASSWORD)
            answered_at = time.time()
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
            from jose import jwt

            from app.core.security import ALGORITHM

            exp = jwt.decode(str(token), settings.SECRET_KEY, algorithms=[ALGORITHM])["exp"]
            lifetime = LIFETIME_MINUTES * 60
            if (
                not sent_at + lifetime - SLACK_SECONDS
                <= exp
                <= answered_at + lifetime + SLACK_SECONDS
            ):
                raise Incorrect(
                    f"The app's settings say `ACCESS_TOKEN_EXPIRE_MINUTES={LIFETIME_MINUTES}`, "
                    f"yet the token you issued expires in about {_lifetime(exp - sent_at)}. "
                    "The lifetime is the deployment's choice, not the route's: pass "
                    "`expires_delta=timedelta(minutes=settings.ACCESS_TOKEN_EXPIRE_MINUTES)` "
                    "to `create_access_token` (without it, the token gets the package's "
                    "default 30 minutes).",
                    code="token-ignores-lifetime",
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
