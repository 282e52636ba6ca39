"""Notebook 05 · Routes, exercise `users_router`: its check and hints."""

from __future__ import annotations

from typing import Any

from support.catalog.nb05._shared import _json
from support.catalog.nb05._users_router_helpers import _router_from, _served_router, _ServedRouter
from support.exercises import CheckContext, Incorrect

HINTS = [
    "Everything the route needs is in the notebook; what is new is writing the wiring. "
    "The router says where (a prefix), the decorator says how (method, path, success "
    "status, response shape), the parameters say from where (a JSON body, a session), "
    "and the body does what step 8's route does: look for the email, then store the user "
    "with `insert_user` and return it.",
    "`APIRouter(prefix=..., tags=[...])`; `@router.post(path, status_code=..., "
    "response_model=...)` with `status.HTTP_201_CREATED` and `UserResponse`; parameters "
    "`user_in: UserCreate` and `db: SessionDep`; `insert_user` from step 8 stores the "
    "user and turns a taken email into 409, also in a race.",
    "The shape, with the blanks yours to fill: `router = APIRouter(prefix=..., "
    "tags=[...])` inside `make_users_router`; below it `@router.post(..., "
    "status_code=..., response_model=...)` over `async def create_user(user_in: ..., "
    "db: ...) -> User:`, whose body answers 409 if `user_crud.get_by_email` finds the "
    "email, else returns `await insert_user(db, user_in)`; last, `return router`.",
]


_NEW_USER = {"email": "Nia@Example.com", "password": "correct horse battery"}

_UNSAVED_USER = {"email": "uma@example.com", "password": "correct horse battery"}

_RACING_USER = {"email": "ravi@example.com", "password": "correct horse battery"}

_USER_RESPONSE_FIELDS = {"id", "email", "created_at", "updated_at"}


async def check(ctx: CheckContext, make_users_router) -> None:
    router = await _router_from(ctx, make_users_router)
    async with ctx.database() as Session:
        with _served_router(router, Session) as served:
            user_id = _register_over_http(served)
            await _require_saved(Session, user_id)
            _commit_fails(served, Session)
            _register_again(served)
            _register_in_a_race(served, Session)


def _register_over_http(served: _ServedRouter) -> Any:
    reply = served.post(_NEW_USER)
    if reply.status_code == 404:
        raise Incorrect(
            f"`POST /users/` answered 404 Not Found: your router serves {served.routes()}. "
            'The router\'s `prefix="/users"` and the decorator\'s path `"/"` together make '
            "the URL: put the prefix on `APIRouter(...)` and `/` in the decorator.",
            code="wrong-path",
        )
    if reply.status_code == 405:
        raise Incorrect(
            f"`POST /users/` answered 405 Method Not Allowed: your router serves "
            f"{served.routes()}. The decorator names the HTTP method, and creating a resource "
            "is a `POST`: `@router.post(...)`.",
            code="wrong-method",
        )
    body = _json(reply)
    if reply.status_code == 422:
        raise Incorrect(
            f"`POST /users/` with a valid JSON body answered 422: {reply.text[:300]}. A route "
            "parameter that is not a Pydantic model comes from the query string: declare the "
            "body as one parameter, `user_in: UserCreate`.",
            code="body-not-read",
        )
    if reply.status_code >= 500:
        raise Incorrect(
            f"`POST /users/` answered {reply.status_code}; the server logged {served.error()}. "
            "Fix what raised, then run your cell and this check again.",
            code="server-error",
        )
    if reply.status_code != 201:
        raise Incorrect(
            f"`POST /users/` answered {reply.status_code} for a new user. A success that "
            "creates a resource is 201 Created, and FastAPI answers 200 unless the decorator "
            "says otherwise: add `status_code=status.HTTP_201_CREATED` (or `201`).",
            code="not-201",
        )
    if isinstance(body, dict) and "hashed_password" in body:
        raise Incorrect(
            f"`POST /users/` sent back the fields {sorted(body)}: the password hash left the "
            "server, as in step 4. Without `response_model`, FastAPI sends whatever the route "
            "returns; add `response_model=UserResponse` to the decorator and only its fields "
            "go out.",
            code="leaks-hash",
        )
    if not isinstance(body, dict) or set(body) != _USER_RESPONSE_FIELDS:
        raise Incorrect(
            f"`POST /users/` answered 201 with {reply.text[:200]}; expected the new user in "
            f"the shape of `UserResponse`, fields {sorted(_USER_RESPONSE_FIELDS)}. Return the "
            "`User` the insert gave you and let `response_model=UserResponse` shape it.",
            code="not-a-user-response",
        )
    return body.get("id")


async def _require_saved(Session, user_id: Any) -> None:
    from sqlalchemy import select

    from app.models import User

    email = _NEW_USER["email"].lower()
    async with Session() as db:
        stored = await db.scalar(select(User).where(User.email == email))
    if stored is None or stored.id != user_id:
        raise Incorrect(
            f"`POST /users/` answered 201 Created with id {user_id}, but afterwards no such user "
            "is in the database: the INSERT was never committed. Take the session from "
            "`SessionDep` (its `get_db` commits when the route succeeds) and write through it: "
            "`insert_user(db, user_in)` from step 8 adds and flushes.",
            code="not-saved",
        )


class _CommitRefused(Exception):
    """The check's stand-in for a commit that fails: a full disk, a lost connection."""


def _commit_fails(served: _ServedRouter, Session) -> None:
    """Step 7's pitfall, made certain: the commit after the route fails. A session dependency
    with `scope="function"` commits before the response, so the client hears of it."""
    from sqlalchemy import event

    engine = Session.kw["bind"].sync_engine

    def refuse(conn: Any) -> None:
        raise _CommitRefused("the check made this commit fail")

    event.listen(engine, "commit", refuse)
    try:
        reply = served.post(_UNSAVED_USER)
    finally:
        event.remove(engine, "commit", refuse)
    if reply.status_code == 201:
        raise Incorrect(
            "When the commit fails, your route still answered 201 Created, for a user never "
            'saved: the pitfall of step 7. A session dependency without `scope="function"` '
            "commits after the response has been sent. Declare `db: SessionDep`, step 7's "
            'alias of `Depends(get_db, scope="function")`, which commits before the response.',
            code="commits-after-response",
        )


def _register_again(served: _ServedRouter) -> None:
    again = {**_NEW_USER, "email": _NEW_USER["email"].lower(), "password": "another password"}
    reply = served.post(again)
    if reply.status_code == 400:
        raise Incorrect(
            "Registering a taken email answered 400 Bad Request, the reference's status. Nothing "
            "is wrong with the request: it conflicts with a row that exists. Answer 409 "
            "Conflict, as step 8 does.",
            code="taken-400",
        )
    if reply.status_code != 409:
        raise Incorrect(
            f"Registering a taken email answered {reply.status_code}"
            + (f" (the server logged {served.error()})" if served.errors else "")
            + ". The unique index refused the INSERT; catch its `IntegrityError` where the "
            "flush raises it and answer 409 Conflict: `insert_user` from step 8 does.",
            code="taken-not-409",
        )


def _register_in_a_race(served: _ServedRouter, Session) -> None:
    """Another registration of the same email is committed between the route's check and its
    INSERT, deterministically: the row is slipped in on the route's own connection just before
    its INSERT runs (and goes away with the route's rollback)."""
    from sqlalchemy import event

    engine = Session.kw["bind"].sync_engine
    email = _RACING_USER["email"]
    slipped: list[bool] = []

    def slip_in(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if slipped or not statement.lstrip().upper().startswith("INSERT INTO USERS"):
            return
        slipped.append(True)
        conn.exec_driver_sql(
            "INSERT INTO users (email, hashed_password, token_version) VALUES (?, '-', 0)",
            (email,),
        )

    event.listen(engine, "before_cursor_execute", slip_in)
    try:
        reply = served.post(_RACING_USER)
    finally:
        event.remove(engine, "before_cursor_execute", slip_in)
    if reply.status_code != 409:
        raise Incorrect(
            f"In a race (another registration of {email} landed between your check for the "
            f"email and your INSERT, as in step 8) your route answered {reply.status_code}"
            + (f" and the server logged {served.error()}" if served.errors else "")
            + ". A check before inserting is a shortcut, not a guarantee: the unique index "
            "decides. Catch the `IntegrityError` of the flush and answer 409: `insert_user` "
            "from step 8.",
            code="race-not-409",
        )
