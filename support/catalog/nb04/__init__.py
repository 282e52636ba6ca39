"""Notebook 04 · CRUD: its lesson card and exercises."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from answers import nb04 as answers
from answers.alternatives import nb04 as alternatives
from answers.mistakes import nb04 as mistakes
from support.catalog import Lesson
from support.catalog.fixtures import clause, limit_sent, record_sql, unordered_scans_reversed
from support.exercises import CheckContext, Exercise, Incorrect, Mistake, describe

# Minutes estimated, not yet timed with learners: 3,100 words of teaching prose at about 120
# words a minute plus 40 teaching code cells at about 20 s each (run, read the output);
# each exercise about 8 minutes with its three hints, checks and one wrong attempt.
LESSON = Lesson(
    number="04",
    title="CRUD",
    filename="04_crud.ipynb",
    teaching_minutes=38,
    exercise_minutes=25,
    objectives=(
        "Say what `flush`, `commit` and `refresh` each do, and predict what another "
        "connection sees before and after a commit.",
        "Flush in the CRUD layer so an IntegrityError surfaces inside the request, "
        "where it can still become a 409.",
        "Write a partial update with `model_dump(exclude_unset=True)` and `setattr`.",
        "Write a paginated list with a stable order (`ORDER BY id`) and bounded "
        "`offset` and `limit`.",
        "Decide when a generic `CRUDBase` pays off and when a resource needs its own code.",
    ),
    builds_on="01 The database session, 02 Models, 03 Schemas",
    package_files=("app/crud/base.py", "app/crud/user.py", "app/crud/item.py"),
    key_points=(
        "`flush` sends SQL inside the open transaction: ids are assigned and constraints "
        "checked, but nobody else sees the rows. `commit` ends the transaction. CRUD flushes; "
        "the request commits once.",
        "Flushing in CRUD makes an `IntegrityError` surface inside the route, where a service "
        "can turn it into a `409`; left to the commit, it surfaces after the response. After a "
        "failed flush, roll back.",
        "A partial update writes only `model_dump(exclude_unset=True)`: omitted fields stay as "
        "they are, an explicit `null` clears one.",
        "A page needs `ORDER BY` a unique column and bounds: `limit` in `0..100`, `offset` at "
        "least 0.",
        "`CRUDBase` serves plain rows; ownership, hashing and normalised emails belong to the "
        "resource's own class or its service, and hashing never happens in CRUD.",
    ),
)


# --------------------------------------------------------------------------------------------
# Shared helpers


async def _add_owner(db: Any, email: str = "ada@example.com") -> Any:
    from app.models import User

    # The checks only need a row: the hash is never verified here.
    owner = User(email=email, hashed_password="not-a-real-hash")  # noqa: S106
    db.add(owner)
    await db.flush()
    return owner


# --------------------------------------------------------------------------------------------
# update


async def _stored_item(Session: Any, item_id: int) -> tuple[str, str | None]:
    """The item as another connection sees it: only what has been committed."""
    from sqlalchemy import select

    from app.models import Item

    async with Session() as other:
        row = (
            await other.execute(select(Item.title, Item.description).where(Item.id == item_id))
        ).one()
    return row.title, row.description


async def check_update(ctx: CheckContext, update: Any) -> None:
    from sqlalchemy import select

    from app.models import Item
    from app.schemas.item import ItemUpdate

    ctx.require_function(update, is_async=True, name="update")
    async with ctx.database() as Session:
        async with Session() as db:
            owner = await _add_owner(db)
            item = Item(owner_id=owner.id, title="Draft", description="Keep me")
            db.add(item)
            await db.commit()
            item_id = item.id

        # Only the title is sent: the description must survive.
        async with Session() as db:
            item = await db.get(Item, item_id)
            result = await ctx.call(update, db, item, ItemUpdate(title="Final"))
            if result is None:
                raise Incorrect(
                    "`update` returned `None`. End it with `return db_obj`: the route sends the "
                    "updated object back to the client.",
                    code="returns-none",
                )
            if result is not item:
                raise Incorrect(
                    f"`update` returned {describe(result)}, not the object it was given. Change "
                    "`db_obj` in place with `setattr` and `return db_obj`.",
                    code="returns-other-object",
                )
            if item.title != "Final":
                raise Incorrect(
                    f"After sending `title='Final'` the item's title is {item.title!r}. Loop over "
                    "`obj_in.model_dump(exclude_unset=True).items()` and call "
                    "`setattr(db_obj, field, value)` for each.",
                    code="title-not-set",
                )
            if item.description != "Keep me":
                raise Incorrect(
                    "Sending only `title` erased the description: `model_dump()` includes every "
                    "field, the unset ones as `None`. Use `obj_in.model_dump(exclude_unset=True)` "
                    "so only the fields the client sent are written.",
                    code="sets-every-field",
                )
            if item in db.dirty:
                raise Incorrect(
                    "`update` changed the object but sent no SQL. Add `await db.flush()` before "
                    "returning: the UPDATE then runs inside the request, where a constraint error "
                    "can still be handled.",
                    code="not-flushed",
                )
            in_transaction = await db.scalar(select(Item.title).where(Item.id == item_id))
            if in_transaction != "Final":
                raise Incorrect(
                    f"`item.title` reads 'Final', but the row, even inside this transaction, "
                    f"still says {in_transaction!r}: the change went around SQLAlchemy, which "
                    "only sees attributes set on the object (writing to `vars()` or "
                    "`__dict__` is not tracked). Use `setattr(db_obj, field, value)`.",
                    code="change-not-tracked",
                )
            if await _stored_item(Session, item_id) != ("Draft", "Keep me"):
                raise Incorrect(
                    "`update` committed: another connection already sees the new title. Use "
                    "`await db.flush()` instead of `commit()`; the request's session dependency "
                    "commits once, after everything in the request has succeeded.",
                    code="commits",
                )
            await db.rollback()

        # An explicit None is sent: the description must be cleared.
        async with Session() as db:
            item = await db.get(Item, item_id)
            await ctx.call(update, db, item, ItemUpdate(description=None))
            if item.description is not None:
                raise Incorrect(
                    "Sending `description=None` left the description as it was, so a client can "
                    "never clear it. `exclude_none=True` drops every None, including the ones "
                    "the client sent on purpose; `exclude_unset=True` keeps them.",
                    code="skips-none",
                )


# --------------------------------------------------------------------------------------------
# list_items

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


async def check_list_items(ctx: CheckContext, list_items: Any) -> None:
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


# --------------------------------------------------------------------------------------------
# get_by_email


async def _lookup(ctx: CheckContext, get_by_email: Any, db: Any, email: str) -> Any:
    from app.models import User

    try:
        found = await ctx.call(get_by_email, db, email)
    except Incorrect as exc:
        if type(exc.__cause__).__name__ == "NoResultFound":
            raise Incorrect(
                f"`get_by_email(db, {email!r})` raised NoResultFound for an address nobody "
                "registered. Return `None` instead: `result.scalar_one_or_none()`.",
                code="scalar-one",
            ) from None
        raise
    if found is not None and not isinstance(found, User):
        raise Incorrect(
            f"`get_by_email` returned {describe(found)}. Return the `User` itself or `None`: "
            "`(await db.execute(query)).scalar_one_or_none()`.",
            code="returns-not-a-user",
        )
    return found


async def _query_plan(Session: Any, sql: str, params: Any) -> list[str]:
    """SQLite's plan for a statement: `SEARCH users USING INDEX ...` or `SCAN users`."""
    async with Session() as db:
        conn = await db.connection()
        plan = await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)
        return [str(row[-1]) for row in plan.all()]


async def check_get_by_email(ctx: CheckContext, get_by_email: Any) -> None:
    ctx.require_function(get_by_email, is_async=True, name="get_by_email")
    async with ctx.database() as Session:
        async with Session() as db:
            await _add_owner(db, "ada@example.com")
            await _add_owner(db, "grace@example.com")
            await db.commit()
        sent = record_sql(Session)

        async with Session() as db:
            for spelling in ("Ada@Example.com", "ADA@EXAMPLE.COM"):
                found = await _lookup(ctx, get_by_email, db, spelling)
                if found is None or found.email != "ada@example.com":
                    raise Incorrect(
                        f"`get_by_email(db, {spelling!r})` did not find ada@example.com. Emails "
                        "are stored lowercase, so lowercase the address you were given before "
                        "comparing: `User.email == email.lower()`.",
                        code="case-sensitive",
                    )
            found = await _lookup(ctx, get_by_email, db, "a_a@example.com")
            if found is not None:
                raise Incorrect(
                    "`get_by_email(db, 'a_a@example.com')` found ada@example.com: `like` and "
                    "`ilike` treat `_` and `%` as wildcards, so one address matches others. "
                    "Compare with `==` after lowercasing: `User.email == email.lower()`.",
                    code="wildcards",
                )

            # It answers correctly; now, does it let the index on users.email do the work?
            sent.clear()
            await _lookup(ctx, get_by_email, db, "Ada@Example.com")
            lookups = [(sql, params) for sql, params in sent if " FROM users" in sql]
            searches = [(sql, params) for sql, params in lookups if " WHERE " in sql]
            if lookups and not searches:
                raise Incorrect(
                    "`get_by_email` read every user (`SELECT ... FROM users` without WHERE) and "
                    "searched them in Python: every login would load the whole table. Let the "
                    "database find the one row: `select(User).where(User.email == ...)`.",
                    code="filters-in-python",
                )
            for sql, params in searches:
                scans = [
                    step
                    for step in await _query_plan(Session, sql, params)
                    if step.upper().startswith("SCAN")
                ]
                if scans:
                    raise Incorrect(
                        f"`get_by_email` sent `WHERE {clause(sql, 'WHERE')}`, and the database "
                        "cannot use the index on `email` for that: it computes the expression "
                        f"for every row, scanning the whole table on each login (its query "
                        f"plan: `{scans[0]}`). Stored addresses are already lowercase, so leave "
                        "the column alone and lowercase only the address you were given: "
                        "`User.email == email.lower()`.",
                        code="index-unused",
                    )


EXERCISES = [
    Exercise(
        id="update",
        title="Update only the fields the client sent",
        check=check_update,
        answer=answers.update,
        hints=[
            "Write only what the client sent: the schema knows which fields those are, an explicit "
            "`None` included. Set each of them on `db_obj`, then send the SQL without ending the "
            "transaction (the request commits, once).",
            "`obj_in.model_dump(exclude_unset=True)` gives the sent fields as a dict; "
            "`setattr(db_obj, name, value)` sets an attribute whose name is in a variable; "
            "`await db.flush()` sends the UPDATE, and `commit()` has no place here.",
            "The shape: `for field, value in ....items(): setattr(...)`, then `await db....()`, "
            "then `return db_obj`.",
        ],
        mistakes=[
            Mistake(mistakes.update_sets_every_field, code="sets-every-field"),
            Mistake(mistakes.update_skips_none, code="skips-none"),
            Mistake(mistakes.update_without_flush, code="not-flushed"),
            Mistake(mistakes.update_forgets_return, code="returns-none"),
            Mistake(mistakes.update_commits, code="commits"),
            Mistake(mistakes.update_writes_vars, code="change-not-tracked"),
            Mistake(mistakes.update_pydantic_v1_dict, code="deprecated-api"),
            Mistake(mistakes.update_returns_obj_in, code="returns-other-object"),
            Mistake(mistakes.update_sets_attribute_named_field, code="title-not-set"),
        ],
        success="Omitted fields stay as they are, an explicit `null` clears one, and the "
        "UPDATE is flushed inside the transaction for the request to commit.",
    ),
    Exercise(
        id="list_items",
        title="A page of items, in a stable order, with bounds",
        check=check_list_items,
        answer=answers.list_items,
        hints=[
            "First make the two numbers safe: what should a negative `offset`, a negative `limit` "
            "or a huge `limit` become? Then let the database cut the page: a query needs an order "
            "to page through, a number of rows to skip, and a cap.",
            "`max()` and `min()` clamp a number into a range; `select(Item).order_by(Item.id)` "
            "orders by a unique column, `.offset(n)` skips rows and `.limit(n)` caps them; "
            "`(await db.scalars(query)).all()` runs it and gives the `Item` objects.",
            "The shape: `offset = max(...)` and `limit = max(0, min(..., MAX_LIMIT))`, then "
            "`query = select(Item).order_by(...).offset(...).limit(...)`, then "
            "`return list((await db.scalars(query)).all())`.",
        ],
        mistakes=[
            Mistake(mistakes.list_items_unordered, code="unordered"),
            Mistake(mistakes.list_items_swapped, code="swapped"),
            Mistake(mistakes.list_items_offset_as_page, code="offset-as-page"),
            Mistake(mistakes.list_items_uncapped, code="uncapped"),
            Mistake(mistakes.list_items_capped_above_only, code="negative-limit"),
            Mistake(mistakes.list_items_sliced_in_python, code="sliced-in-python"),
            Mistake(mistakes.list_items_offset_unclamped, code="negative-offset-sent"),
            Mistake(mistakes.list_items_ordered_by_created_at, code="order-not-unique"),
            Mistake(mistakes.list_items_ordered_by_owner, code="order-not-unique"),
            Mistake(mistakes.list_items_offset_as_id, code="offset-as-id"),
            Mistake(mistakes.list_items_fetches_then_slices, code="fetches-then-slices"),
            Mistake(mistakes.list_items_newest_first, code="descending"),
            Mistake(mistakes.list_items_at_least_one_row, code="negative-limit-not-zero"),
            Mistake(mistakes.list_items_too_big_falls_back_to_default, code="cap-not-max"),
            Mistake(mistakes.list_items_returns_result, code="not-a-list"),
            Mistake(mistakes.list_items_returns_rows, code="not-items"),
            Mistake(mistakes.list_items_abs_offset, code="negative-offset"),
            Mistake(mistakes.list_items_one_extra_row, code="wrong-page"),
        ],
        alternatives=[alternatives.list_items_with_slice],
        success="Every page comes in id order, and no request can read more than 100 rows, "
        "not even with `limit=-1`.",
    ),
    Exercise(
        id="get_by_email",
        title="Find a user by email, whatever its case",
        check=check_get_by_email,
        answer=answers.get_by_email,
        hints=[
            "`UserCreate` stores emails lowercased. Which side of the comparison with `User.email` "
            "still needs lowercasing, and which side must stay as it is so the database can use "
            "its index?",
            "Lowercase the argument with `email.lower()` and compare with `==` (not `ilike`, "
            "whose `_` and `%` are wildcards); `(await db.execute(query)).scalar_one_or_none()` "
            "gives the user or `None`, where `scalar_one()` would raise for nobody.",
            "The shape: `query = select(User).where(User.email == ...)`, then "
            "`return (await db.execute(query)).scalar_one_or_none()`.",
        ],
        mistakes=[
            Mistake(mistakes.get_by_email_exact, code="case-sensitive"),
            Mistake(mistakes.get_by_email_lowers_column_only, code="case-sensitive"),
            Mistake(mistakes.get_by_email_ilike, code="wildcards"),
            Mistake(mistakes.get_by_email_scalar_one, code="scalar-one"),
            Mistake(mistakes.get_by_email_filters_in_python, code="filters-in-python"),
            Mistake(mistakes.get_by_email_lowers_both_sides, code="index-unused"),
            Mistake(mistakes.get_by_email_returns_row, code="returns-not-a-user"),
        ],
        success="Ada finds her account however she types her address, and `_` or `%` in an "
        "address matches nothing but itself.",
    ),
]
