"""Notebook 05 · Routes, exercise `list_items`: its check and hints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from support.catalog.fixtures import record_sql, unordered_scans_reversed
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
    "The body only passes `offset` and `limit` on. Refusing bad values is FastAPI's job, "
    "driven by what you declare on each parameter: look at how `sides` is declared in "
    "step 10.",
    "Give each parameter the type `Annotated[int, Query(...)]` with its bounds: `ge=` the "
    "smallest value allowed, `le=` the largest (`offset` needs only `ge=`). The default "
    "stays after `=`, and `item_crud.list(db, offset=..., limit=...)` returns the page.",
    "The shape: `offset: Annotated[int, Query(ge=...)] = 0`, `limit: Annotated[int, "
    "Query(ge=..., le=...)] = 20`, and the body `return await item_crud.list(...)`.",
]


def _ids(body: Any) -> list[Any] | None:
    if not isinstance(body, list):
        return None
    return [entry.get("id") if isinstance(entry, dict) else None for entry in body]


def _returned_ids(result: Any, name: str) -> list[Any]:
    if isinstance(result, (str, bytes, dict)) or not isinstance(result, Sequence):
        raise Incorrect(
            f"`{name}` returned {_describe(result)}, not a list of items. Return the page "
            "that `await item_crud.list(...)` gives you.",
            code="not-a-list",
        )
    return [_field(entry, "id") for entry in result]


async def check(ctx: CheckContext, list_items) -> None:
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
        # The right page, but was it cut by the database? Reading more and slicing in Python
        # gives the same answer on 25 rows, and reads a whole table on a big one.
        pages = [tuple(p or ()) for sql, p in sent if " FROM items" in sql and " LIMIT " in sql]
        if not any(page[-2:] == (5, 3) for page in pages):
            raise Incorrect(
                "`list_items(offset=3, limit=5)` returned the right page, but no query asked the "
                "database for it (`LIMIT 5 OFFSET 3`): the rows were cut in Python after reading "
                "more of them, which on a big table means reading all of it. Let the query do "
                "it: `await item_crud.list(db, offset=offset, limit=limit)`.",
                code="sliced-in-python",
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
