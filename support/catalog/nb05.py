"""Notebook 05 · Routes: its lesson card and exercises."""

from __future__ import annotations

import inspect
import re
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from answers import nb05 as answers
from answers.mistakes import nb05 as mistakes
from support.catalog import Lesson
from support.exercises import CheckContext, Exercise, Incorrect, Mistake, error_summary

# Minutes estimated, not yet timed with learners: 2,650 words of prose at about 120 words a
# minute plus 46 code cells at about 20 s each (run, read the output) is 37; each exercise took
# about 10 minutes to work through with its hints, checks and one wrong attempt.
LESSON = Lesson(
    number="05",
    title="Routes",
    filename="05_routes.ipynb",
    teaching_minutes=37,
    exercise_minutes=20,
    objectives=(
        "Group path operations on an `APIRouter` with the right status codes.",
        "Use `response_model` to decide what leaves the server, so the password hash never does.",
        "Inject one session per request through an `Annotated` alias (`SessionDep`) and swap it "
        "in tests with `app.dependency_overrides`.",
        "Explain why the reference answered 201 for a row it never saved, and fix it with "
        '`Depends(get_db, scope="function")` and a flush.',
        "Make registration race-safe: the unique index decides, the route answers 409.",
    ),
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
    """The parameter that receives the session, and the dependency that provides it."""
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
        "one session per request and hands it to the route."
    )


def _require_parameters(fn: Callable[..., Any], name: str, wanted: Sequence[str], why: str) -> None:
    present = inspect.signature(fn).parameters
    for parameter in wanted:
        if parameter not in present:
            raise Incorrect(f"`{name}` needs a parameter named `{parameter}`: {why}")


_UNEXPECTED_KEYWORD = re.compile(r"([\w.]+)\(\) got an unexpected keyword argument '(\w+)'")
_CRUD_NAMES = {"CRUDBase.get": "item_crud.get", "CRUDBase.list": "item_crud.list"}
_CRUD_SIGNATURES = {
    "item_crud.get": "`item_crud.get(db, item_id)`",
    "item_crud.list": "`item_crud.list(db, offset=offset, limit=limit)`",
}


async def _call(ctx: CheckContext, fn: Callable[..., Any], **kwargs: Any) -> Any:
    """``ctx.call``, naming the bad keyword when the learner's code passed one."""
    try:
        return await ctx.call(fn, **kwargs)
    except Incorrect as exc:
        found = _UNEXPECTED_KEYWORD.search(str(exc.__cause__)) if exc.__cause__ else None
        if not isinstance(exc.__cause__, TypeError) or found is None:
            raise
        called = _CRUD_NAMES.get(found[1], found[1])
        usage = _CRUD_SIGNATURES.get(called)
        raise Incorrect(
            f"`{fn.__name__}` called `{called}` with `{found[2]}=`, a keyword it does not have."
            + (f" Its call is {usage}." if usage else " Use the names its signature declares.")
        ) from exc


async def _seed_items(Session, count: int) -> list[int]:
    from app.models import Item, User

    async with Session() as db:
        owner = User(email="owner@example.com", hashed_password="-")  # noqa: S106
        db.add(owner)
        await db.flush()
        items = [Item(owner_id=owner.id, title=f"Item {n}") for n in range(1, count + 1)]
        db.add_all(items)
        await db.commit()
        return [item.id for item in items]


_DEFAULT_IN_ANNOTATED = re.compile(r"default value cannot be set in `Annotated` for '(\w+)'")


@asynccontextmanager
async def _mounted(
    fn: Callable[..., Any], name: str, path: str, response_model: Any, Session, dependency
) -> AsyncIterator[Any]:
    """A TestClient for an app with `fn` mounted at `path`, its session dependency overridden."""
    from fastapi import APIRouter, FastAPI, Request
    from fastapi.responses import JSONResponse
    from fastapi.testclient import TestClient

    from app.core.database import get_db
    from app.core.exceptions import AppError

    async def app_error(_: Request, exc: Exception) -> JSONResponse:
        status = getattr(exc, "status_code", 500)
        return JSONResponse({"detail": str(exc)}, status_code=status)

    router = APIRouter()
    try:
        router.get(path, response_model=response_model)(fn)
    except Exception as exc:
        default_inside = _DEFAULT_IN_ANNOTATED.search(str(exc))
        if default_inside:
            parameter = default_inside[1]
            default = {"offset": "0", "limit": "20"}.get(parameter, "<default>")
            raise Incorrect(
                f"FastAPI refused the default of `{parameter}` inside `Query(...)`: within "
                "`Annotated`, `Query` carries only the rules. Put the default after `=`, as for "
                f"any parameter: `{parameter}: Annotated[int, Query(<your bounds>)] = {default}`."
            ) from exc
        raise Incorrect(
            f"FastAPI could not turn `{name}` into a route ({error_summary(exc)}). "
            "Fix what that message names, run the cell again, then this check."
        ) from exc
    app = FastAPI()
    app.include_router(router)
    app.add_exception_handler(AppError, app_error)
    # Whatever session dependency the learner's route names, the package's get_db replaces it:
    # one session per request, from the sessionmaker on app.state, committed or rolled back.
    app.state.sessionmaker = Session
    app.dependency_overrides[dependency] = get_db
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def _ids(body: Any) -> list[Any] | None:
    if not isinstance(body, list):
        return None
    return [entry.get("id") if isinstance(entry, dict) else None for entry in body]


def _returned_ids(result: Any, name: str) -> list[Any]:
    if isinstance(result, (str, bytes, dict)) or not isinstance(result, Sequence):
        raise Incorrect(
            f"`{name}` returned {_describe(result)}, not a list of items. Return the page "
            "that `await item_crud.list(...)` gives you."
        )
    return [getattr(entry, "id", None) for entry in result]


# --------------------------------------------------------------------------------------------
# read_item


async def check_read_item(ctx: CheckContext, read_item) -> None:
    from sqlalchemy.engine import Result

    from app.schemas.item import ItemResponse

    ctx.require_function(read_item, is_async=True, name="read_item")
    session_name, dependency = _session_parameter(read_item, "read_item")
    _require_parameters(
        read_item, "read_item", ["item_id"], "FastAPI fills it from `{item_id}` in the path."
    )
    async with ctx.database() as Session:
        ids = await _seed_items(Session, 3)
        async with Session() as db:
            found = await _call(ctx, read_item, item_id=ids[1], **{session_name: db})
        if isinstance(found, Result):
            raise Incorrect(
                "`read_item` returned the query's `Result`, not the item. Take the row out with "
                "`.scalar_one_or_none()`, or use `await item_crud.get(db, item_id)`."
            )
        if getattr(found, "id", None) != ids[1]:
            raise Incorrect(
                f"`read_item(item_id={ids[1]})` returned {_describe(found)}, not item {ids[1]}. "
                "Look the item up by its id with `item_crud.get`, and return what it gives."
            )
        async with Session() as db:
            await _read_missing_item(ctx, read_item, session_name, db)
        async with _mounted(
            read_item, "read_item", "/items/{item_id}", ItemResponse, Session, dependency
        ) as client:
            _read_item_over_http(client, ids)


_NO_RESULT = (
    "`read_item` raised NoResultFound for an id with no item: `scalar_one()` insists on a row. "
    "Use `scalar_one_or_none()` (or `item_crud.get`), and when it gives None, raise the 404 "
    "yourself, as `read_user` does in step 3."
)
_RAISE_404 = "When the lookup gives None, raise the 404 yourself, as `read_user` does in step 3."


def _describe(value: Any) -> str:
    if value is None:
        return "`None`"
    if inspect.iscoroutine(value):
        return "a `coroutine`"
    return f"a `{type(value).__name__}`"


async def _read_missing_item(ctx: CheckContext, read_item, session_name: str, db) -> None:
    from fastapi import HTTPException
    from starlette.responses import Response

    from app.core.exceptions import AppError

    try:
        missing = await _call(ctx, read_item, item_id=999, **{session_name: db})
    except Incorrect as exc:
        cause = exc.__cause__
        if type(cause).__name__ == "NoResultFound":
            raise Incorrect(_NO_RESULT) from exc
        if isinstance(cause, (HTTPException, AppError)):
            return  # the status it carries is checked over HTTP
        raise
    if missing is None:
        raise Incorrect(
            "`read_item(item_id=999)` returned None for an id with no item: FastAPI would answer "
            f"500 (None is not an ItemResponse). {_RAISE_404}"
        )
    if isinstance(missing, (HTTPException, AppError)):
        raise Incorrect(
            "`read_item(item_id=999)` returned the HTTPException instead of raising it. A "
            "returned exception is only a value, which FastAPI tries to send as an item (a 500). "
            "Write `raise`, not `return`."
        )
    if isinstance(missing, Response):
        return  # a hand-made response: its status is checked over HTTP
    if isinstance(missing, dict):
        raise Incorrect(
            f"`read_item(item_id=999)` returned the dict {missing!r} for an id with no item. "
            "Whatever a route returns is a success: FastAPI validates it against "
            "`ItemResponse` (this dict is not one, a 500) and would send it with status 200. "
            "An error status comes from raising an HTTPException."
        )


def _json(reply) -> Any:
    try:
        return reply.json()
    except ValueError:
        return None


def _read_item_over_http(client, ids: list[int]) -> None:
    reply = client.get(f"/items/{ids[2]}")
    if reply.status_code != 200 or reply.json().get("title") != "Item 3":
        raise Incorrect(
            f"`GET /items/{ids[2]}` answered {reply.status_code} instead of 200 with item "
            f"{ids[2]}. Return the ORM object: `response_model` turns it into JSON."
        )
    missing = 999
    reply = client.get(f"/items/{missing}")
    if reply.status_code == 404:
        pass
    elif reply.status_code == 200:
        raise Incorrect(
            f"`GET /items/{missing}` answered 200 with {reply.text} for an item that does not "
            "exist. When the lookup gives None, "
            'raise HTTPException(status_code=404, detail="Item not found").'
        )
    elif reply.status_code == 500:
        raise Incorrect(
            f"`GET /items/{missing}` answered 500: the route returned something FastAPI could not "
            f"turn into an item, or it raised an error other than HTTPException. {_RAISE_404}"
        )
    else:
        raise Incorrect(
            f"`GET /items/{missing}` answered {reply.status_code}; a missing resource is "
            "404 Not Found: raise the HTTPException with `status_code=404`."
        )
    detail = _json(reply).get("detail") if isinstance(_json(reply), dict) else None
    if detail != "Item not found":
        raise Incorrect(
            f"`GET /items/{missing}` answered 404 with the detail {detail!r}; the task asks for "
            '"Item not found", the text clients show. Pass it as `detail=` to the HTTPException.'
        )
    reply = client.get("/items/abc")
    if reply.status_code != 422:
        raise Incorrect(
            f"`GET /items/abc` answered {reply.status_code} instead of 422. Annotate the "
            "parameter `item_id: int` and FastAPI rejects what is not a number by itself."
        )


# --------------------------------------------------------------------------------------------
# list_items


async def check_list_items(ctx: CheckContext, list_items) -> None:
    from app.schemas.item import ItemResponse

    ctx.require_function(list_items, is_async=True, name="list_items")
    session_name, dependency = _session_parameter(list_items, "list_items")
    _require_parameters(
        list_items,
        "list_items",
        ["offset", "limit"],
        "FastAPI fills it from the query string, `/items/?offset=20&limit=10`.",
    )
    async with ctx.database() as Session:
        ids = await _seed_items(Session, 25)
        async with Session() as db:
            page = await _call(ctx, list_items, offset=3, limit=5, **{session_name: db})
        got = _returned_ids(page, "list_items")
        if got != ids[3:8]:
            raise Incorrect(
                f"`list_items(offset=3, limit=5)` returned the items {_short(got)}, expected "
                f"{ids[3:8]}. Pass `offset` and `limit` on to the query "
                "(`item_crud.list(db, offset=offset, limit=limit)` orders by id)."
            )
        async with _mounted(
            list_items, "list_items", "/items/", list[ItemResponse], Session, dependency
        ) as client:
            _list_items_over_http(client, ids)


def _short(ids: list[Any]) -> str:
    if len(ids) <= 8:
        return str(ids)
    return f"[{', '.join(map(str, ids[:5]))}, ...] ({len(ids)} items)"


def _list_items_over_http(client, ids: list[int]) -> None:
    reply = client.get("/items/")
    if reply.status_code == 422:
        raise Incorrect(
            "`GET /items/` with no query string answered 422: `limit` has no default, so FastAPI "
            "requires it. Give it a default of 20, after `=` as for any Python parameter."
        )
    if reply.status_code != 200 or _ids(reply.json()) != ids[:20]:
        raise Incorrect(
            f"`GET /items/` answered {reply.status_code} with "
            f"{len(reply.json()) if isinstance(reply.json(), list) else 'no list'} items; "
            "expected 200 with the first 20. Use the defaults offset 0 and limit 20."
        )
    reply = client.get("/items/?offset=20&limit=100")
    if reply.status_code != 200 or _ids(reply.json()) != ids[20:]:
        raise Incorrect(
            f"`GET /items/?offset=20&limit=100` answered {reply.status_code}; expected 200 "
            "with the last 5 items. Allow limits up to 100, not fewer."
        )
    for query in ("limit=0", "limit=101", "limit=1000"):
        reply = client.get(f"/items/?{query}")
        if reply.status_code != 422:
            raise Incorrect(
                f"`GET /items/?{query}` answered {reply.status_code} instead of 422, so a client "
                "can ask for an empty page or the whole table. Declare the bounds of `limit` "
                "on the parameter with `Query`, as `sides` does in step 10."
            )
        _require_validation_error(reply, query)
    reply = client.get("/items/?offset=-1")
    if reply.status_code != 422:
        raise Incorrect(
            f"`GET /items/?offset=-1` answered {reply.status_code} instead of 422 (SQLite "
            "reads a negative offset as 0; PostgreSQL fails with a 500). Give `offset` a lower "
            "bound with `Query` too."
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
        "the parameters, as `sides` does in step 10."
    )


EXERCISES = [
    Exercise(
        id="read_item",
        title="Read one item, or answer 404",
        check=check_read_item,
        answer=answers.read_item,
        hints=[
            "Whatever a route returns is a success. How does `read_user` in step 3 answer "
            "something else?",
            "`await item_crud.get(db, item_id)` gives the `Item`, or `None` when no row has that "
            "id. For `None`, raise an `HTTPException` with the status and detail of the task; "
            "otherwise return the item and `response_model` shapes it.",
            "`item = await item_crud.get(db, item_id)`, then `if item is None: raise "
            'HTTPException(status_code=404, detail="Item not found")`, then `return item`.',
        ],
        mistakes=[
            Mistake(mistakes.read_item_returns_none, says="raise the 404 yourself"),
            Mistake(mistakes.read_item_answers_400, says="404 Not Found"),
            Mistake(mistakes.read_item_other_detail, says="Pass it as `detail=`"),
            Mistake(mistakes.read_item_returns_exception, says="`raise`, not `return`"),
            Mistake(mistakes.read_item_returns_error_dict, says="Whatever a route returns"),
            Mistake(mistakes.read_item_wrong_keyword, says="with `item_id=`, a keyword"),
            Mistake(mistakes.read_item_returns_result, says="scalar_one_or_none()"),
            Mistake(mistakes.read_item_scalar_one, says="scalar_one_or_none()"),
        ],
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
            "stays after `=`.",
            "`offset: Annotated[int, Query(ge=0)] = 0`, `limit: Annotated[int, Query(ge=1, "
            "le=100)] = 20`, and the body `return await item_crud.list(db, offset=offset, "
            "limit=limit)`.",
        ],
        mistakes=[
            Mistake(mistakes.list_items_without_bounds, says="Declare the bounds of `limit`"),
            Mistake(mistakes.list_items_without_default_limit, says="default of 20"),
            Mistake(mistakes.list_items_offset_unbounded, says="lower bound with `Query`"),
            Mistake(mistakes.list_items_ignores_pagination, says="Pass `offset` and `limit`"),
            Mistake(mistakes.list_items_checks_by_hand, says="from your own code"),
            Mistake(mistakes.list_items_default_inside_query, says="Put the default after `=`"),
            Mistake(mistakes.list_items_passes_skip, says="with `skip=`, a keyword"),
        ],
        success="`GET /items/` pages by id, 20 by default, and answers 422 for a limit outside "
        "1..100 or a negative offset.",
    ),
]
