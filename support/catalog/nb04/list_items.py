"""Notebook 04 · CRUD, exercise `list_items`: its check and hints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from support.catalog.fixtures import clause, limit_sent, record_sql, unordered_scans_reversed
from support.catalog.nb04._shared import _add_owner
from support.exercises import CheckContext, Incorrect, describe

HINTS = [
    "First make the two numbers safe: what should a negative `offset`, a negative `limit` "
    "or a huge `limit` become? Then let the database cut the page: a query needs an order "
    "to page through, a number of rows to skip, and a cap.",
    "`max()` and `min()` clamp a number into a range; `select(Item).order_by(Item.id)` "
    "orders by a unique column, `.offset(n)` skips rows and `.limit(n)` caps them; "
    "`(await db.scalars(query)).all()` runs it and gives the `Item` objects.",
    "The shape: `offset = max(...)` and `limit = max(0, min(..., MAX_LIMIT))`, then "
    "`query = select(Item).order_by(...).offset(...).limit(...)`, then "
    "`return list((await db.scalars(query)).all())`.",
]


# 120 items whose ids have gaps (10, 21, 32, ...), as in any table rows were deleted from: the
# 11th item has id 12, so a page is the n-th rows in id order, never the rows whose id is n.
ITEM_IDS = [n + n // 10 for n in range(1, 121)]


async def _page(ctx: CheckContext, list_items: Any, db: Any, offset: int, limit: int) -> list[int]:
    from app.models import Item

    result = await ctx.call(list_items, db, offset=offset, limit=limit)
    if isinstance(result, (str, bytes)) or not isinstance(result, Sequence):
        raise Incorrect(
            f"`list_items` returned {describe(result)}. Return a list of `Item` objects: "
            "`list((await db.scalars(query)).all())`.",
            code="not-a-list",
        )
    if not all(isinstance(item, Item) for item in result):
        raise Incorrect(
            "`list_items` returned something other than `Item` objects (rows or tuples?). "
            "`await db.scalars(select(Item)...)` gives the objects themselves.",
            code="not-items",
        )
    return [item.id for item in result]


async def _add_items_to_page_through(Session: Any) -> None:
    """Items whose owner and creation time do not follow their id, so that only
    `ORDER BY items.id` gives pages in id order: owners alternate, and `created_at` runs
    backwards in blocks of ten tied values."""
    from datetime import UTC, datetime, timedelta

    from app.models import Item

    start = datetime(2024, 1, 1, tzinfo=UTC)
    async with Session() as db:
        ada = await _add_owner(db, "ada@example.com")
        grace = await _add_owner(db, "grace@example.com")
        db.add_all(
            [
                Item(
                    id=item_id,
                    owner_id=(grace if n % 2 else ada).id,
                    title=f"Item {n}",
                    created_at=start + timedelta(hours=(len(ITEM_IDS) - n) // 10),
                )
                for n, item_id in enumerate(ITEM_IDS, 1)
            ]
        )
        await db.commit()


async def check(ctx: CheckContext, list_items: Any) -> None:
    ctx.require_function(list_items, is_async=True, name="list_items")
    async with ctx.database() as Session:
        await _add_items_to_page_through(Session)
        unordered_scans_reversed(Session)
        sent = record_sql(Session)
        async with Session() as db:
            sent.clear()
            ids = await _page(ctx, list_items, db, offset=10, limit=3)
            _check_first_page(ids, [(sql, p) for sql, p in sent if " FROM items" in sql])

            sent.clear()
            ids = await _page(ctx, list_items, db, offset=0, limit=1000)
            if len(ids) > 100:
                raise Incorrect(
                    f"`list_items(db, offset=0, limit=1000)` returned {len(ids)} items; limit "
                    "must be capped at 100 so one request cannot read the whole table: "
                    "`min(limit, MAX_LIMIT)`.",
                    code="uncapped",
                )
            if len(ids) < 100:
                raise Incorrect(
                    f"`list_items(db, offset=0, limit=1000)` returned {len(ids)} items, not "
                    "100: a limit above `MAX_LIMIT` is clamped down to it, so a client that asks "
                    "for too much gets the biggest page there is: `min(limit, MAX_LIMIT)`.",
                    code="cap-not-max",
                )
            sent.clear()
            ids = await _page(ctx, list_items, db, offset=0, limit=-1)
            if ids and any((limit_sent(sql, p) or 0) < 0 for sql, p in sent):
                raise Incorrect(
                    f"`list_items(db, offset=0, limit=-1)` returned {len(ids)} items: it sent "
                    "`LIMIT -1`, which SQLite reads as no limit at all (PostgreSQL rejects it). "
                    "Clamp from both sides: `max(0, min(limit, MAX_LIMIT))`.",
                    code="negative-limit",
                )
            if ids:
                raise Incorrect(
                    f"`list_items(db, offset=0, limit=-1)` returned {len(ids)} items: a "
                    "negative limit asks for no rows, so clamp it to 0, not above: "
                    "`max(0, min(limit, MAX_LIMIT))`.",
                    code="negative-limit-not-zero",
                )
            sent.clear()
            ids = await _page(ctx, list_items, db, offset=-5, limit=2)
            if ids != ITEM_IDS[:2]:
                raise Incorrect(
                    f"`list_items(db, offset=-5, limit=2)` returned ids {ids}; a negative offset "
                    f"should count as 0, giving the first two, {ITEM_IDS[:2]}: `max(offset, 0)`.",
                    code="negative-offset",
                )
            if any(
                sql.endswith("OFFSET ?")
                and isinstance(params, (tuple, list))
                and params
                and isinstance(params[-1], int)
                and params[-1] < 0
                for sql, params in sent
            ):
                raise Incorrect(
                    "`list_items(db, offset=-5, limit=2)` sent `OFFSET -5` to the database. "
                    "SQLite reads it as 0, so the page looked right here, but PostgreSQL "
                    "rejects a negative OFFSET with an error (a 500 for the client). Clamp it "
                    "before building the query: `offset = max(offset, 0)`.",
                    code="negative-offset-sent",
                )


def _check_first_page(ids: list[int], selects: list[tuple[str, Any]]) -> None:
    """`offset=10, limit=3`: the 11th to 13th items in id order, cut by the database."""
    expected = ITEM_IDS[10:13]
    asked = f"`list_items(db, offset=10, limit=3)` returned ids {ids}"
    limits = [n for n in (limit_sent(sql, p) for sql, p in selects) if n is not None]
    if ids == expected and not limits:
        raise Incorrect(
            "`list_items` read every item and cut the page out in Python: with a big "
            "table that loads it all into memory on every request. Let the database "
            "do it: `.offset(offset).limit(limit)` on the query.",
            code="sliced-in-python",
        )
    if ids == expected and max(limits) > 3:
        raise Incorrect(
            f"`list_items` asked the database for {max(limits)} rows to return 3, and dropped "
            "the ones before the page in Python: the further the page, the more rows each "
            "request reads. Let the database skip them: `.offset(offset).limit(limit)`.",
            code="fetches-then-slices",
        )
    if ids == expected:
        return
    order = next(filter(None, (clause(sql, "ORDER BY") for sql, _ in selects)), None)
    if order is None:
        raise Incorrect(
            f"{asked}, not {expected}. Without ORDER BY the database may return rows in any "
            "order, and pages then repeat or skip rows: add `.order_by(Item.id)`.",
            code="unordered",
        )
    if order.lower() == "items.id desc":
        raise Incorrect(
            f"{asked}, not {expected}: `ORDER BY items.id DESC` pages from the newest item. "
            "The task pages in id order, oldest first: `.order_by(Item.id)`, which is "
            "ascending.",
            code="descending",
        )
    if order.lower() not in ("items.id", "items.id asc"):
        raise Incorrect(
            f"`list_items` sent `ORDER BY {order}`, so `offset=10, limit=3` gave ids {ids}, not "
            f"{expected}. Order by a unique column, so each row has exactly one place: "
            "`.order_by(Item.id)`. Rows tied on a column like `created_at` or `owner_id` come "
            "back in no set order, and pages then repeat or skip them.",
            code="order-not-unique",
        )
    if ids == ITEM_IDS[3:13]:
        raise Incorrect(
            f"{asked}: offset and limit are swapped. `.offset(offset)` skips rows, "
            "`.limit(limit)` caps how many come back.",
            code="swapped",
        )
    if ids == ITEM_IDS[30:33]:
        raise Incorrect(
            f"{asked}: you skipped `offset * limit` rows. `offset` counts rows to skip, not "
            "pages: `.offset(offset)`.",
            code="offset-as-page",
        )
    if ids == [i for i in ITEM_IDS if i > 10][:3]:
        raise Incorrect(
            f"{asked}, the items whose id is above 10, not the 11th to 13th items, {expected}. "
            "Ids have gaps where rows were deleted, so `offset` counts rows to skip, not ids: "
            "`.offset(offset)` instead of a `where` on the id.",
            code="offset-as-id",
        )
    raise Incorrect(
        f"{asked}; expected the 11th to 13th items, {expected}: skip `offset` rows, then "
        "return at most `limit`.",
        code="wrong-page",
    )
