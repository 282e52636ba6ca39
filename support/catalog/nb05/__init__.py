"""Notebook 05 · Routes: its lesson card and exercises."""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from answers import nb05 as answers
from answers.alternatives import nb05 as alternatives
from answers.mistakes import nb05 as mistakes
from support.catalog import Lesson
from support.catalog.fixtures import record_sql, unordered_scans_reversed
from support.exercises import (
    CheckContext,
    Exercise,
    Incorrect,
    Mistake,
    error_summary,
    where_in_answer,
)

# Minutes estimated, not yet timed with learners: 2,650 words of prose at about 120 words a
# minute plus 46 code cells at about 20 s each (run, read the output) is 37; each route function
# took about 10 minutes to work through with its hints, checks and one wrong attempt, and the
# whole route of exercise 3 (router, decorator, parameters, the 409) about 15.
LESSON = Lesson(
    number="05",
    title="Routes",
    filename="05_routes.ipynb",
    teaching_minutes=37,
    exercise_minutes=35,
    objectives=(
        "Group path operations on an `APIRouter` with the right status codes.",
        "Use `response_model` to decide what leaves the server, so the password hash never does.",
        "Inject one session per request through an `Annotated` alias (`SessionDep`) and swap it "
        "in tests with `app.dependency_overrides`.",
        "Explain why the reference answered 201 for a row it never saved, and fix it with "
        '`Depends(get_db, scope="function")` and a flush.',
        "Make registration race-safe: the unique index decides, the route answers 409.",
    ),
    builds_on="01 The database session, 02 Models, 03 Schemas, 04 CRUD",
    package_files=("app/api/deps.py", "app/api/routes/users.py", "app/api/routes/items.py"),
    key_points=(
        "A router groups a resource's path operations; its decorator states method, path, "
        "success status and response model.",
        "`response_model` is a filter: only its fields leave the server, whatever the route "
        "returns.",
        "The code after `yield` runs after the response unless the dependency has "
        '`scope="function"`; commit there, and flush in the CRUD layer so errors surface inside '
        "the route.",
        "Checking before inserting is a shortcut, not a guarantee: catch the IntegrityError of the "
        "unique index and answer 409.",
        "`app.dependency_overrides[get_db]` points every route at another session: one dependency, "
        "one alias, one place to swap.",
    ),
)


# --------------------------------------------------------------------------------------------
# Mounting the learner's route function on a real app, on a fresh database


def _depends_of(param: inspect.Parameter) -> Any | None:
    from fastapi import params

    if isinstance(param.default, params.Depends):
        return param.default
    for extra in getattr(param.annotation, "__metadata__", ()):
        if isinstance(extra, params.Depends):
            return extra
    return None


def _session_parameter(fn: Callable[..., Any], name: str) -> tuple[str, Callable[..., Any]]:
    """The parameter that receives the session from a dependency, and that dependency."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        parameters = []
    for param in parameters:
        depends = _depends_of(param)
        if depends is not None and depends.dependency is not None:
            return param.name, depends.dependency
    raise Incorrect(
        f"`{name}` has no session parameter. Declare `db: SessionDep` so that FastAPI opens "
        "one session per request and hands it to the route.",
        code="no-session-parameter",
    )


def _require_parameters(fn: Callable[..., Any], name: str, wanted: Sequence[str], why: str) -> None:
    present = inspect.signature(fn).parameters
    for parameter in wanted:
        if parameter not in present:
            raise Incorrect(
                f"`{name}` needs a parameter named `{parameter}`: {why}", code="missing-parameter"
            )


_UNEXPECTED_KEYWORD = re.compile(r"([\w.]+)\(\) got an unexpected keyword argument '(\w+)'")
_CRUD_NAMES = {"CRUDBase.get": "item_crud.get", "CRUDBase.list": "item_crud.list"}
_CRUD_SIGNATURES = {
    "item_crud.get": "`item_crud.get(db, item_id)`",
    "item_crud.list": "`item_crud.list(db, offset=offset, limit=limit)`",
}


async def _call(ctx: CheckContext, fn: Callable[..., Any], **kwargs: Any) -> Any:
    """``ctx.call``, naming the bad keyword when the learner's code passed one."""
    outcome = await ctx.attempt(fn, **kwargs)
    if outcome.raised:
        raise _raised(fn, outcome.error)
    return outcome.value


def _raised(fn: Callable[..., Any], exc: BaseException) -> Incorrect:
    found = _UNEXPECTED_KEYWORD.search(str(exc)) if isinstance(exc, TypeError) else None
    if found is None:
        return Incorrect(
            f"`{fn.__name__}` raised {error_summary(exc)}{where_in_answer(fn, exc)}. Fix it, "
            "run your cell again, then this check.",
            code="raised",
        )
    called = _CRUD_NAMES.get(found[1], found[1])
    usage = _CRUD_SIGNATURES.get(called)
    return Incorrect(
        f"`{fn.__name__}` called `{called}` with `{found[2]}=`, a keyword it does not have."
        + (f" Its call is {usage}." if usage else " Use the names its signature declares."),
        code="wrong-keyword",
    )


async def _seed_items(Session, count: int) -> list[int]:
    """`count` items whose ids have gaps, as in any table rows were deleted from: a page is
    the n-th rows in id order, never the rows whose id is n."""
    from app.models import Item, User

    async with Session() as db:
        owner = User(email="owner@example.com", hashed_password="-")  # noqa: S106
        db.add(owner)
        await db.flush()
        ids = [n + n // 3 for n in range(1, count + 1)]  # 1, 2, 4, 5, 6, 8, 9, 10, 12, ...
        db.add_all(
            [Item(id=id_, owner_id=owner.id, title=f"Item {n}") for n, id_ in enumerate(ids, 1)]
        )
        await db.commit()
    return ids


_DEFAULT_IN_ANNOTATED = re.compile(r"default value cannot be set in `Annotated` for '(\w+)'")


class _Served:
    """The learner's route on a real app, reached through its own session dependency.

    FastAPI resolves the dependency the route declares, as in the notebook; only the session it
    yields is pointed at the check's database. Every request is then checked for what a session
    dependency owes a route: an `AsyncSession`, a new one per request, closed afterwards.
    """

    def __init__(self, client: Any, name: str, fn: Callable[..., Any], session_name: str):
        self.client, self.name, self.session_name = client, name, session_name
        self.own = set(inspect.signature(fn).parameters) - {session_name}
        self.sessions: list[Any] = []  # what the route received, request by request

    def get(self, url: str) -> Any:
        from sqlalchemy.ext.asyncio import AsyncSession

        before = len(self.sessions)
        reply = self.client.get(url)
        if len(self.sessions) == before:
            self._route_never_ran(url, reply)
            return reply
        session = self.sessions[-1]
        if not isinstance(session, AsyncSession):
            raise Incorrect(
                f"`{self.name}`'s `{self.session_name}` got {_describe(session)} from its "
                "dependency, not an `AsyncSession`. Declare it `db: SessionDep`.",
                code="not-a-session",
            )
        if any(session is earlier for earlier in self.sessions[:before]):
            raise Incorrect(
                f"Two requests to `{self.name}` got the same session from its dependency, so "
                "they share one transaction: one request's rollback throws away the other's "
                "writes. A session dependency opens a new session for every request and "
                "closes it after: declare `db: SessionDep`, whose `get_db` does.",
                code="same-session",
            )
        # From the second request on: the first one alone cannot tell a session left open from
        # one shared by every request.
        open_ = [s for s in self.sessions if isinstance(s, AsyncSession) and s.in_transaction()]
        if before and open_:
            raise Incorrect(
                f"After `GET {url}` the session `{self.name}` got still held its transaction "
                "and its connection: its dependency never closed it, so every request keeps "
                "one connection out of the pool. Declare `db: SessionDep`, whose `get_db` "
                "opens the session with `async with` and closes it after the request.",
                code="session-left-open",
            )
        return reply

    def _route_never_ran(self, url: str, reply: Any) -> None:
        """FastAPI answered before calling the route: fine for a bad path or query parameter
        of the route's own, not when the session dependency itself failed."""
        body = _json(reply)
        errors = body.get("detail") if isinstance(body, dict) else None
        own = (
            reply.status_code == 422
            and isinstance(errors, list)
            and all(isinstance(e, dict) and e.get("loc", [None])[-1] in self.own for e in errors)
        )
        if not own:
            raise Incorrect(
                f"`GET {url}` answered {reply.status_code} {reply.text[:200]} before `{self.name}` "
                f"ran: FastAPI could not get `{self.session_name}` from its dependency. Declare "
                "`db: SessionDep`, the notebook's alias, whose `get_db` yields one session per "
                "request.",
                code="dependency-failed",
            )


@asynccontextmanager
async def _mounted(
    fn: Callable[..., Any], name: str, path: str, response_model: Any, Session, session_name: str
) -> AsyncIterator[_Served]:
    """The learner's route at `path` on a fresh app, served through its own session dependency
    with the sessions pointed at the check's database."""
    from fastapi import APIRouter, FastAPI, Request
    from fastapi.responses import JSONResponse
    from fastapi.testclient import TestClient
    from sqlalchemy.ext.asyncio import AsyncSession

    from app.core.exceptions import AppError

    async def app_error(_: Request, exc: Exception) -> JSONResponse:
        status = getattr(exc, "status_code", 500)
        return JSONResponse({"detail": str(exc)}, status_code=status)

    engine = Session.kw["bind"]
    served: _Served | None = None

    @functools.wraps(fn)  # FastAPI reads the parameters, and so the dependency, of `fn`
    async def route(*args: Any, **kwargs: Any) -> Any:
        session = kwargs.get(session_name)
        if served is not None:
            served.sessions.append(session)
        if isinstance(session, AsyncSession):  # whatever database the dependency opened, ours
            session.bind = engine
            session.sync_session.bind = engine.sync_engine
        return await fn(*args, **kwargs)

    router = APIRouter()
    try:
        router.get(path, response_model=response_model)(route)
    except Exception as exc:
        default_inside = _DEFAULT_IN_ANNOTATED.search(str(exc))
        if not default_inside:
            raise  # the check's own message names FastAPI's complaint
        parameter = default_inside[1]
        default = {"offset": "0", "limit": "20"}.get(parameter, "<default>")
        raise Incorrect(
            f"FastAPI refused the default of `{parameter}` inside `Query(...)`: within "
            "`Annotated`, `Query` carries only the rules. Put the default after `=`, as for "
            f"any parameter: `{parameter}: Annotated[int, Query(<your bounds>)] = {default}`.",
            code="default-inside-query",
        ) from exc
    app = FastAPI()
    app.include_router(router)
    app.add_exception_handler(AppError, app_error)
    app.state.sessionmaker = Session  # for a dependency that reads it, as the package's get_db
    with TestClient(app, raise_server_exceptions=False) as client:
        served = _Served(client, name, fn, session_name)
        try:
            yield served
        finally:  # a session the dependency left open goes back to the pool, on the app's loop
            for session in served.sessions:
                if isinstance(session, AsyncSession):
                    client.portal.call(session.close)


def _from_a_query(exc: BaseException | None) -> bool:
    """An error a query can end in: the database's, or the 404 for a row it did not find."""
    from sqlalchemy.exc import DBAPIError
    from starlette.exceptions import HTTPException

    return isinstance(exc, (DBAPIError, HTTPException))


def _require_session_used(db: Any, name: str, session_name: str) -> None:
    if not db.in_transaction():  # a session that ran a query has begun its transaction
        raise Incorrect(
            f"`{name}` never used the session it was given in `{session_name}`: it opened "
            "another one (`AsyncSessionLocal()`?), outside the request's transaction and, in "
            "tests, on the wrong database. Query with the session FastAPI hands the route: "
            f"`await item_crud.get({session_name}, ...)`.",
            code="ignores-session",
        )


def _ids(body: Any) -> list[Any] | None:
    if not isinstance(body, list):
        return None
    return [entry.get("id") if isinstance(entry, dict) else None for entry in body]


def _field(entry: Any, name: str) -> Any:
    """A field of what a route returned: an ORM object, a model or a dict all count."""
    return entry.get(name) if isinstance(entry, dict) else getattr(entry, name, None)


def _returned_ids(result: Any, name: str) -> list[Any]:
    if isinstance(result, (str, bytes, dict)) or not isinstance(result, Sequence):
        raise Incorrect(
            f"`{name}` returned {_describe(result)}, not a list of items. Return the page "
            "that `await item_crud.list(...)` gives you.",
            code="not-a-list",
        )
    return [_field(entry, "id") for entry in result]


def _describe(value: Any) -> str:
    if value is None:
        return "`None`"
    if inspect.iscoroutine(value):
        return "a `coroutine`"
    return f"a `{type(value).__name__}`"


def _json(reply) -> Any:
    try:
        return reply.json()
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------
# read_item


async def check_read_item(ctx: CheckContext, read_item) -> None:
    from sqlalchemy.engine import Result

    from app.schemas.item import ItemResponse

    ctx.require_function(read_item, is_async=True, name="read_item")
    session_name, _ = _session_parameter(read_item, "read_item")
    _require_parameters(
        read_item, "read_item", ["item_id"], "FastAPI fills it from `{item_id}` in the path."
    )
    async with ctx.database() as Session:
        ids = await _seed_items(Session, 3)
        async with Session() as db:
            outcome = await ctx.attempt(read_item, item_id=ids[2], **{session_name: db})
            raised = _raised(read_item, outcome.error) if outcome.raised else None
            if raised is None or _from_a_query(outcome.error):
                _require_session_used(db, "read_item", session_name)
        if raised is not None:
            raise raised
        found = outcome.value
        if isinstance(found, Result):
            raise Incorrect(
                "`read_item` returned the query's `Result`, not the item. Take the row out with "
                "`.scalar_one_or_none()`, or use `await item_crud.get(db, item_id)`.",
                code="returns-result",
            )
        if _field(found, "id") != ids[2]:
            raise Incorrect(
                f"`read_item(item_id={ids[2]})` returned {_describe(found)}, not item {ids[2]}. "
                "Look the item up by its id with `item_crud.get`, and return what it gives.",
                code="wrong-item",
            )
        async with Session() as db:
            await _read_missing_item(ctx, read_item, session_name, db)
        async with _mounted(
            read_item, "read_item", "/items/{item_id}", ItemResponse, Session, session_name
        ) as served:
            _read_item_over_http(served, ids)


_RAISE_404 = "When the lookup gives None, raise the 404 yourself, as `read_user` does in step 3."


async def _read_missing_item(ctx: CheckContext, read_item, session_name: str, db) -> None:
    from fastapi import HTTPException
    from starlette.responses import Response

    from app.core.exceptions import AppError

    outcome = await ctx.attempt(read_item, item_id=999, **{session_name: db})
    if isinstance(outcome.error, (HTTPException, AppError)):
        return  # the status it carries is checked over HTTP
    if type(outcome.error).__name__ == "NoResultFound":
        raise Incorrect(
            "`read_item` raised NoResultFound for an id with no item: `scalar_one()` insists on "
            "a row. Use `scalar_one_or_none()` (or `item_crud.get`), and when it gives None, "
            "raise the 404 yourself, as `read_user` does in step 3.",
            code="scalar-one",
        )
    if outcome.raised:
        raise _raised(read_item, outcome.error)
    missing = outcome.value
    if missing is None:
        raise Incorrect(
            "`read_item(item_id=999)` returned None for an id with no item: FastAPI would answer "
            f"500 (None is not an ItemResponse). {_RAISE_404}",
            code="returns-none",
        )
    if isinstance(missing, (HTTPException, AppError)):
        raise Incorrect(
            "`read_item(item_id=999)` returned the HTTPException instead of raising it. A "
            "returned exception is only a value, which FastAPI tries to send as an item (a 500). "
            "Write `raise`, not `return`.",
            code="returns-exception",
        )
    if isinstance(missing, Response):
        return  # a hand-made response: its status is checked over HTTP
    if isinstance(missing, dict):
        raise Incorrect(
            f"`read_item(item_id=999)` returned the dict {missing!r} for an id with no item. "
            "Whatever a route returns is a success: FastAPI validates it against "
            "`ItemResponse` (this dict is not one, a 500) and would send it with status 200. "
            "An error status comes from raising an HTTPException.",
            code="returns-error-dict",
        )


def _read_item_over_http(served: _Served, ids: list[int]) -> None:
    reply = served.get(f"/items/{ids[2]}")
    body = _json(reply)
    if reply.status_code != 200 or not isinstance(body, dict) or body.get("title") != "Item 3":
        raise Incorrect(
            f"`GET /items/{ids[2]}` answered {reply.status_code} instead of 200 with item "
            f"{ids[2]}. Return the ORM object: `response_model` turns it into JSON.",
            code="http-not-200",
        )
    served.get(f"/items/{ids[0]}")  # a second request: a session of its own
    missing = 999
    reply = served.get(f"/items/{missing}")
    if reply.status_code == 200:
        raise Incorrect(
            f"`GET /items/{missing}` answered 200 with {reply.text} for an item that does not "
            "exist. When the lookup gives None, "
            'raise HTTPException(status_code=404, detail="Item not found").',
            code="http-200-for-missing",
        )
    if reply.status_code != 404:
        raise Incorrect(
            f"`GET /items/{missing}` answered {reply.status_code}; a missing resource is "
            "404 Not Found: raise the HTTPException with `status_code=404`.",
            code="not-404",
        )
    detail = _json(reply).get("detail") if isinstance(_json(reply), dict) else None
    if detail != "Item not found":
        raise Incorrect(
            f"`GET /items/{missing}` answered 404 with the detail {detail!r}; the task asks for "
            '"Item not found", the text clients show. Pass it as `detail=` to the HTTPException.',
            code="wrong-detail",
        )
    reply = served.get("/items/abc")
    if reply.status_code != 422:
        raise Incorrect(
            f"`GET /items/abc` answered {reply.status_code} instead of 422. Annotate the "
            "parameter `item_id: int` and FastAPI rejects what is not a number by itself.",
            code="item-id-not-int",
        )


# --------------------------------------------------------------------------------------------
# list_items


async def check_list_items(ctx: CheckContext, list_items) -> None:
    from app.schemas.item import ItemResponse

    ctx.require_function(list_items, is_async=True, name="list_items")
    session_name, _ = _session_parameter(list_items, "list_items")
    _require_parameters(
        list_items,
        "list_items",
        ["offset", "limit"],
        "FastAPI fills it from the query string, `/items/?offset=20&limit=10`.",
    )
    async with ctx.database() as Session:
        ids = await _seed_items(Session, 25)
        unordered_scans_reversed(Session)
        sent = record_sql(Session)
        async with Session() as db:
            outcome = await ctx.attempt(list_items, offset=3, limit=5, **{session_name: db})
            raised = _raised(list_items, outcome.error) if outcome.raised else None
            if raised is None or _from_a_query(outcome.error):
                _require_session_used(db, "list_items", session_name)
        if raised is not None:
            raise raised
        got = _returned_ids(outcome.value, "list_items")
        if got != ids[3:8]:
            selects = [sql for sql, _ in sent if " FROM items" in sql]
            if selects and not any(" ORDER BY " in sql for sql in selects):
                raise Incorrect(
                    f"`list_items(offset=3, limit=5)` returned the items {_short(got)}, expected "
                    f"{ids[3:8]}: its query has no ORDER BY, so the database may return rows in "
                    "any order (here, reversed) and pages repeat or skip rows. Return "
                    "`await item_crud.list(db, offset=offset, limit=limit)`, which orders by id.",
                    code="unordered",
                )
            if got == [i for i in ids if i > 3][:5]:
                raise Incorrect(
                    f"`list_items(offset=3, limit=5)` returned the items {_short(got)}, the ones "
                    f"whose id is above 3, not the page {ids[3:8]}: ids have gaps where rows "
                    "were deleted, so `offset` counts rows to skip, not ids. Return "
                    "`await item_crud.list(db, offset=offset, limit=limit)`.",
                    code="offset-as-id",
                )
            raise Incorrect(
                f"`list_items(offset=3, limit=5)` returned the items {_short(got)}, expected "
                f"{ids[3:8]}. Pass `offset` and `limit` on to the query "
                "(`item_crud.list(db, offset=offset, limit=limit)` orders by id).",
                code="ignores-pagination",
            )
        async with _mounted(
            list_items, "list_items", "/items/", list[ItemResponse], Session, session_name
        ) as served:
            _list_items_over_http(served, ids)


def _short(ids: list[Any]) -> str:
    if len(ids) <= 8:
        return str(ids)
    return f"[{', '.join(map(str, ids[:5]))}, ...] ({len(ids)} items)"


def _list_items_over_http(served: _Served, ids: list[int]) -> None:
    reply = served.get("/items/")
    if reply.status_code == 422:
        raise Incorrect(
            "`GET /items/` with no query string answered 422: `limit` has no default, so FastAPI "
            "requires it. Give it a default of 20, after `=` as for any Python parameter.",
            code="no-default-limit",
        )
    if reply.status_code != 200 or _ids(_json(reply)) != ids[:20]:
        body = _json(reply)
        raise Incorrect(
            f"`GET /items/` answered {reply.status_code} with "
            f"{len(body) if isinstance(body, list) else 'no list of'} items; expected 200 with "
            "the first 20. Use the defaults offset 0 and limit 20.",
            code="wrong-defaults",
        )
    reply = served.get("/items/?offset=20&limit=100")
    if reply.status_code != 200 or _ids(_json(reply)) != ids[20:]:
        raise Incorrect(
            f"`GET /items/?offset=20&limit=100` answered {reply.status_code}; expected 200 "
            "with the last 5 items. Allow limits up to 100, not fewer.",
            code="limit-100-refused",
        )
    for query in ("limit=0", "limit=101", "limit=1000"):
        reply = served.get(f"/items/?{query}")
        if reply.status_code != 422:
            raise Incorrect(
                f"`GET /items/?{query}` answered {reply.status_code} instead of 422, so a client "
                "can ask for an empty page or the whole table. Declare the bounds of `limit` "
                "on the parameter with `Query`, as `sides` does in step 10.",
                code="limit-unbounded",
            )
        _require_validation_error(reply, query)
    reply = served.get("/items/?offset=-1")
    if reply.status_code != 422:
        raise Incorrect(
            f"`GET /items/?offset=-1` answered {reply.status_code} instead of 422 (SQLite "
            "reads a negative offset as 0; PostgreSQL fails with a 500). Give `offset` a lower "
            "bound with `Query` too.",
            code="offset-unbounded",
        )
    _require_validation_error(reply, "offset=-1")


def _require_validation_error(reply, query: str) -> None:
    """The 422 must be FastAPI's, naming the parameter: not one the route raised itself."""
    parameter = query.split("=")[0]
    body = _json(reply)
    errors = body.get("detail") if isinstance(body, dict) else None
    if isinstance(errors, list) and any(
        isinstance(e, dict) and e.get("loc") == ["query", parameter] for e in errors
    ):
        return
    raise Incorrect(
        f"`GET /items/?{query}` answered 422, but from your own code (body {reply.text}): "
        "FastAPI's 422 names the parameter and the rule, and bounds declared with `Query` also "
        "appear in the API description. Remove the hand-written test and declare the bounds on "
        "the parameters, as `sides` does in step 10.",
        code="hand-made-422",
    )


# --------------------------------------------------------------------------------------------
# users_router: the learner writes the router, the decorator and the route


_NEW_USER = {"email": "Nia@Example.com", "password": "correct horse battery"}
_RACING_USER = {"email": "ravi@example.com", "password": "correct horse battery"}
_USER_RESPONSE_FIELDS = {"id", "email", "created_at", "updated_at"}


async def check_users_router(ctx: CheckContext, make_users_router) -> None:
    router = await _router_from(ctx, make_users_router)
    async with ctx.database() as Session:
        with _served_router(router, Session) as served:
            user_id = _register_over_http(served)
            await _require_saved(Session, user_id)
            _register_again(served)
            _register_in_a_race(served, Session)


async def _router_from(ctx: CheckContext, make_users_router) -> Any:
    from fastapi import APIRouter
    from fastapi.exceptions import FastAPIError

    if isinstance(make_users_router, APIRouter):  # a router made at the top of a cell: fine too
        return make_users_router
    ctx.require_function(make_users_router, is_async=False, name="make_users_router")
    outcome = await ctx.attempt(make_users_router)
    if isinstance(outcome.error, FastAPIError) and "response field" in str(outcome.error):
        raise Incorrect(
            "FastAPI refused your route while decorating it: with no `response_model`, it takes "
            "the response's shape from the return annotation, and an ORM class such as `User` "
            "is not one. State the response's shape in the decorator, "
            "`response_model=UserResponse`: it also filters out the hash.",
            code="orm-class-as-response",
        )
    if outcome.raised:
        raise Incorrect(
            f"`make_users_router()` raised {error_summary(outcome.error)}"
            f"{where_in_answer(make_users_router, outcome.error)}. Fix it, run your cell again, "
            "then this check.",
            code="raised",
        )
    if not isinstance(outcome.value, APIRouter):
        raise Incorrect(
            f"`make_users_router()` returned {_describe(outcome.value)}, not an `APIRouter`. "
            "Make the router inside the function, decorate your route on it, and `return "
            "router` at the end.",
            code="not-a-router",
        )
    return outcome.value


class _ServedRouter:
    """The learner's router in an app of its own, its sessions on the check's database; what
    escapes the app is kept, as a server would log it."""

    def __init__(self, client: Any, router: Any, errors: list[BaseException]):
        self.client, self.router, self.errors = client, router, errors

    def post(self, body: dict[str, str]) -> Any:
        self.errors.clear()
        return self.client.post("/users/", json=body)

    def routes(self) -> str:
        from fastapi.routing import APIRoute

        found = [
            f"{' '.join(sorted(r.methods))} {r.path}"
            for r in self.router.routes
            if isinstance(r, APIRoute)
        ]
        return ", ".join(f"`{r}`" for r in found) if found else "no route at all"

    def error(self) -> str:
        return error_summary(self.errors[-1]) if self.errors else "an error"


@contextmanager
def _served_router(router: Any, Session) -> Iterator[_ServedRouter]:
    from fastapi import FastAPI, Request
    from fastapi.responses import JSONResponse
    from fastapi.testclient import TestClient

    from app.core.exceptions import AppError

    async def app_error(_: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=getattr(exc, "status_code", 500))

    app = FastAPI()
    app.include_router(router)
    app.add_exception_handler(AppError, app_error)
    app.state.sessionmaker = Session  # for a dependency that reads it, as the package's get_db
    engine = Session.kw["bind"]
    for call in _dependencies_of(router):  # the learner's own run, on the check's database
        override = _on_our_database(call, engine)
        if override is not None:
            app.dependency_overrides[call] = override
    errors: list[BaseException] = []

    async def server(scope: Any, receive: Any, send: Any) -> None:
        try:
            await app(scope, receive, send)
        except Exception as exc:  # a server logs what escapes the app; we keep it
            errors.append(exc)

    with TestClient(server, raise_server_exceptions=False) as client:
        yield _ServedRouter(client, router, errors)


def _dependencies_of(router: Any) -> list[Callable[..., Any]]:
    from fastapi.routing import APIRoute

    found: list[Callable[..., Any]] = []
    waiting = [r.dependant for r in router.routes if isinstance(r, APIRoute)]
    while waiting:
        dependant = waiting.pop()
        for sub in dependant.dependencies:
            if sub.call is not None and sub.call not in found:
                found.append(sub.call)
            waiting.append(sub)
    return found


def _on_our_database(call: Callable[..., Any], engine: Any) -> Callable[..., Any] | None:
    """The dependency, unchanged but for the session it hands out: pointed at the check's
    database before the route uses it. FastAPI reads the original's parameters (`wraps`)."""
    from sqlalchemy.ext.asyncio import AsyncSession

    def ours(value: Any) -> Any:
        if isinstance(value, AsyncSession):
            value.bind = engine
            value.sync_session.bind = engine.sync_engine
        return value

    if inspect.isasyncgenfunction(call):

        async def from_async_generator(*args: Any, **kwargs: Any) -> Any:
            async with asynccontextmanager(call)(*args, **kwargs) as value:
                yield ours(value)

        wrapper: Callable[..., Any] = from_async_generator
    elif inspect.isgeneratorfunction(call):

        def from_generator(*args: Any, **kwargs: Any) -> Any:
            with contextmanager(call)(*args, **kwargs) as value:
                yield ours(value)

        wrapper = from_generator
    elif inspect.iscoroutinefunction(call):

        async def from_coroutine(*args: Any, **kwargs: Any) -> Any:
            return ours(await call(*args, **kwargs))

        wrapper = from_coroutine
    elif inspect.isfunction(call):

        def from_function(*args: Any, **kwargs: Any) -> Any:
            return ours(call(*args, **kwargs))

        wrapper = from_function
    else:
        return None  # a class or another callable object: left as it is
    return functools.wraps(call)(wrapper)


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


EXERCISES = [
    Exercise(
        id="read_item",
        title="Read one item, or answer 404",
        check=check_read_item,
        answer=answers.read_item,
        hints=[
            "Whatever a route returns is a success, sent with the route's status. How does "
            "`read_user` in step 3 answer something else?",
            "`await item_crud.get(db, item_id)` gives the `Item`, or `None` when no row has that "
            "id. For `None`, raise an `HTTPException` with the status and detail of the task; "
            "otherwise return the item and `response_model` shapes it.",
            "The shape: `item = await item_crud.get(...)`, then `if item is None: raise "
            "HTTPException(status_code=..., detail=...)`, then `return item`.",
        ],
        mistakes=[
            Mistake(mistakes.read_item_returns_none, code="returns-none"),
            Mistake(mistakes.read_item_answers_400, code="not-404"),
            Mistake(mistakes.read_item_other_detail, code="wrong-detail"),
            Mistake(mistakes.read_item_returns_exception, code="returns-exception"),
            Mistake(mistakes.read_item_returns_error_dict, code="returns-error-dict"),
            Mistake(mistakes.read_item_wrong_keyword, code="wrong-keyword"),
            Mistake(mistakes.read_item_returns_result, code="returns-result"),
            Mistake(mistakes.read_item_scalar_one, code="scalar-one"),
            Mistake(mistakes.read_item_one_session_for_all, code="same-session"),
            Mistake(mistakes.read_item_session_never_closed, code="session-left-open"),
            Mistake(mistakes.read_item_depends_on_the_sessionmaker, code="dependency-failed"),
            Mistake(mistakes.read_item_opens_its_own_session, code="ignores-session"),
            Mistake(mistakes.read_item_parameter_named_id, code="missing-parameter"),
            Mistake(mistakes.read_item_guesses_a_method, code="raised"),
            Mistake(mistakes.read_item_depends_on_a_factory, code="not-a-session"),
            Mistake(mistakes.read_item_forgets_where, code="wrong-item"),
            Mistake(mistakes.read_item_partial_dict, code="http-not-200"),
            Mistake(mistakes.read_item_json_response_without_status, code="http-200-for-missing"),
            Mistake(mistakes.read_item_item_id_unannotated, code="item-id-not-int"),
        ],
        alternatives=[alternatives.read_item_returns_dict, alternatives.read_item_with_query],
        success="`GET /items/{item_id}` answers 200 with the item, 404 for a missing id and 422 "
        "for one that is not a number.",
    ),
    Exercise(
        id="list_items",
        title="A page of items, with validated pagination",
        check=check_list_items,
        answer=answers.list_items,
        hints=[
            "The body only passes `offset` and `limit` on. Refusing bad values is FastAPI's job, "
            "driven by what you declare on each parameter: look at how `sides` is declared in "
            "step 10.",
            "Give each parameter the type `Annotated[int, Query(...)]` with its bounds: `ge=` the "
            "smallest value allowed, `le=` the largest (`offset` needs only `ge=`). The default "
            "stays after `=`, and `item_crud.list(db, offset=..., limit=...)` returns the page.",
            "The shape: `offset: Annotated[int, Query(ge=...)] = 0`, `limit: Annotated[int, "
            "Query(ge=..., le=...)] = 20`, and the body `return await item_crud.list(...)`.",
        ],
        mistakes=[
            Mistake(mistakes.list_items_without_bounds, code="limit-unbounded"),
            Mistake(mistakes.list_items_without_default_limit, code="no-default-limit"),
            Mistake(mistakes.list_items_offset_unbounded, code="offset-unbounded"),
            Mistake(mistakes.list_items_ignores_pagination, code="ignores-pagination"),
            Mistake(mistakes.list_items_checks_by_hand, code="hand-made-422"),
            Mistake(mistakes.list_items_default_inside_query, code="default-inside-query"),
            Mistake(mistakes.list_items_passes_skip, code="wrong-keyword"),
            Mistake(mistakes.list_items_own_query_unordered, code="unordered"),
            Mistake(mistakes.list_items_offset_as_id, code="offset-as-id"),
            Mistake(mistakes.list_items_one_session_for_all, code="same-session"),
            Mistake(mistakes.list_items_returns_result, code="not-a-list"),
            Mistake(mistakes.list_items_default_limit_10, code="wrong-defaults"),
            Mistake(mistakes.list_items_limit_below_100, code="limit-100-refused"),
        ],
        alternatives=[
            alternatives.list_items_defaults_in_query,
            alternatives.list_items_own_ordered_query,
        ],
        success="`GET /items/` pages by id, 20 by default, and answers 422 for a limit outside "
        "1..100 or a negative offset.",
    ),
    Exercise(
        id="users_router",
        title="Wire the registration route yourself",
        check=check_users_router,
        answer=answers.make_users_router,
        hints=[
            "Everything the route needs is in the notebook; what is new is writing the wiring. "
            "The router says where (a prefix), the decorator says how (method, path, success "
            "status, response shape), the parameters say from where (a JSON body, a session), "
            "and the body only stores the user and returns it.",
            "`APIRouter(prefix=..., tags=[...])`; `@router.post(path, status_code=..., "
            "response_model=...)` with `status.HTTP_201_CREATED` and `UserResponse`; parameters "
            "`user_in: UserCreate` and `db: SessionDep`; `insert_user` from step 8 stores the "
            "user and turns a taken email into 409, also in a race.",
            "The shape, with the blanks yours to fill: `router = APIRouter(prefix=..., "
            "tags=[...])` inside `make_users_router`; below it `@router.post(..., "
            "status_code=..., response_model=...)` over `async def create_user(user_in: ..., "
            "db: ...) -> User:`, whose body answers 409 if `user_crud.get_by_email` finds the "
            "email, else returns `await insert_user(db, user_in)`; last, `return router`.",
        ],
        mistakes=[
            Mistake(mistakes.users_router_answers_200, code="not-201"),
            Mistake(mistakes.users_router_without_response_model, code="leaks-hash"),
            Mistake(mistakes.users_router_annotated_with_the_model, code="orm-class-as-response"),
            Mistake(mistakes.users_router_wrong_prefix, code="wrong-path"),
            Mistake(mistakes.users_router_prefix_twice, code="wrong-path"),
            Mistake(mistakes.users_router_put, code="wrong-method"),
            Mistake(mistakes.users_router_fields_as_parameters, code="body-not-read"),
            Mistake(mistakes.users_router_session_never_committed, code="not-saved"),
            Mistake(mistakes.users_router_create_without_hash, code="server-error"),
            Mistake(mistakes.users_router_returns_the_input, code="not-a-user-response"),
            Mistake(mistakes.users_router_answers_400_for_taken, code="taken-400"),
            Mistake(mistakes.users_router_never_catches, code="taken-not-409"),
            Mistake(mistakes.users_router_check_only, code="race-not-409"),
            Mistake(mistakes.users_router_forgets_return, code="not-a-router"),
            Mistake(mistakes.users_router_prefix_without_slash, code="raised"),
        ],
        alternatives=[
            alternatives.make_users_router_plain_201,
            alternatives.make_users_router_insert_only,
            alternatives.make_users_router_with_the_service,
        ],
        kind="function",
        success="`POST /users/` answers 201 with the new user and no hash, and 409 for a taken "
        "email, even in a race: the whole route, wired by you.",
    ),
]
