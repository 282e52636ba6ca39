"""Notebook 05 · Routes, exercise `read_item`: its check and hints."""

from __future__ import annotations

from support.catalog.nb05._shared import (
    _describe,
    _field,
    _from_a_query,
    _json,
    _mounted,
    _raised,
    _require_parameters,
    _require_session_used,
    _seed_items,
    _Served,
    _session_parameter,
)
from support.exercises import CheckContext, Incorrect

HINTS = [
    "Whatever a route returns is a success, sent with the route's status. How does "
    "`read_user` in step 3 answer something else?",
    "`await item_crud.get(db, item_id)` gives the `Item`, or `None` when no row has that "
    "id. For `None`, raise an `HTTPException` with the status and detail of the task; "
    "otherwise return the item and `response_model` shapes it.",
    "The shape: `item = await item_crud.get(...)`, then `if item is None: raise "
    "HTTPException(status_code=..., detail=...)`, then `return item`.",
]


async def check(ctx: CheckContext, read_item) -> None:
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
