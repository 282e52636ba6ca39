"""Notebook 04 · CRUD: its lesson card and exercises."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from answers import nb04 as answers
from answers.mistakes import nb04 as mistakes
from support.catalog import Lesson
from support.exercises import CheckContext, Exercise, Incorrect, Mistake, describe

LESSON = Lesson(
    number="04",
    title="CRUD",
    filename="04_crud.ipynb",
    teaching_minutes=30,
    exercise_minutes=20,
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
                    "updated object back to the client."
                )
            if result is not item:
                raise Incorrect(
                    f"`update` returned {describe(result)}, not the object it was given. Change "
                    "`db_obj` in place with `setattr` and `return db_obj`."
                )
            if item.title != "Final":
                raise Incorrect(
                    f"After sending `title='Final'` the item's title is {item.title!r}. Loop over "
                    "`obj_in.model_dump(exclude_unset=True).items()` and call "
                    "`setattr(db_obj, field, value)` for each."
                )
            if item.description != "Keep me":
                raise Incorrect(
                    "Sending only `title` erased the description: `model_dump()` includes every "
                    "field, the unset ones as `None`. Use `obj_in.model_dump(exclude_unset=True)` "
                    "so only the fields the client sent are written."
                )
            if item in db.dirty:
                raise Incorrect(
                    "`update` changed the object but sent no SQL. Add `await db.flush()` before "
                    "returning: the UPDATE then runs inside the request, where a constraint error "
                    "can still be handled."
                )
            if await _stored_item(Session, item_id) != ("Draft", "Keep me"):
                raise Incorrect(
                    "`update` committed: another connection already sees the new title. Use "
                    "`await db.flush()` instead of `commit()`; the request's session dependency "
                    "commits once, after everything in the request has succeeded."
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
                    "the client sent on purpose; `exclude_unset=True` keeps them."
                )
            if item.title != "Draft":
                raise Incorrect(
                    f"Sending only `description=None` changed the title to {item.title!r}. Write "
                    "only the fields in `obj_in.model_dump(exclude_unset=True)`."
                )


# --------------------------------------------------------------------------------------------
# list_items

ITEMS_IN_CHECK = 120


def _record_sql(Session: Any) -> list[tuple[str, Any]]:
    """Every statement (whitespace collapsed) and its parameters the check's engine sends."""
    from sqlalchemy import event

    sent: list[tuple[str, Any]] = []
    event.listen(
        Session.kw["bind"].sync_engine,
        "before_cursor_execute",
        lambda _conn, _cursor, statement, parameters, *_: sent.append(
            (" ".join(statement.split()), parameters)
        ),
    )
    return sent


def _clause(sql: str, keyword: str) -> str | None:
    """The text after `keyword` up to the next clause, e.g. `items.created_at` for ORDER BY."""
    found = re.search(rf"\b{keyword} (.+?)(?= LIMIT\b| OFFSET\b| ORDER BY\b|$)", sql, re.IGNORECASE)
    return found.group(1) if found else None


async def _page(ctx: CheckContext, list_items: Any, db: Any, offset: int, limit: int) -> list[int]:
    from app.models import Item

    result = await ctx.call(list_items, db, offset=offset, limit=limit)
    if isinstance(result, (str, bytes)) or not isinstance(result, Sequence):
        raise Incorrect(
            f"`list_items` returned {describe(result)}. Return a list of `Item` objects: "
            "`list((await db.scalars(query)).all())`."
        )
    if not all(isinstance(item, Item) for item in result):
        raise Incorrect(
            "`list_items` returned something other than `Item` objects (rows or tuples?). "
            "`await db.scalars(select(Item)...)` gives the objects themselves."
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
                    owner_id=(grace if n % 2 else ada).id,
                    title=f"Item {n}",
                    created_at=start + timedelta(hours=(ITEMS_IN_CHECK - n) // 10),
                )
                for n in range(1, ITEMS_IN_CHECK + 1)
            ]
        )
        await db.commit()


async def check_list_items(ctx: CheckContext, list_items: Any) -> None:
    from sqlalchemy import text

    ctx.require_function(list_items, is_async=True, name="list_items")
    async with ctx.database() as Session:
        await _add_items_to_page_through(Session)
        sent = _record_sql(Session)
        async with Session() as db:
            # SQLite's switch for finding code that relies on an unspecified order: scans
            # without ORDER BY come back reversed. The session keeps this one connection.
            await db.execute(text("PRAGMA reverse_unordered_selects = ON"))
            sent.clear()
            ids = await _page(ctx, list_items, db, offset=10, limit=3)
            selects = [sql for sql, _ in sent if " FROM items" in sql]
            if ids == [11, 12, 13] and not any(" LIMIT " in sql for sql in selects):
                raise Incorrect(
                    "`list_items` read every item and cut the page out in Python: with a big "
                    "table that loads it all into memory on every request. Let the database "
                    "do it: `.offset(offset).limit(limit)` on the query."
                )
            if ids != [11, 12, 13]:
                order = next(filter(None, (_clause(sql, "ORDER BY") for sql in selects)), None)
                if order is None:
                    raise Incorrect(
                        f"`list_items(db, offset=10, limit=3)` returned ids {ids}, not "
                        "[11, 12, 13]. Without ORDER BY the database may return rows in any "
                        "order, and pages then repeat or skip rows: add `.order_by(Item.id)`."
                    )
                if order.lower() not in ("items.id", "items.id asc"):
                    raise Incorrect(
                        f"`list_items` sent `ORDER BY {order}`, so `offset=10, limit=3` gave "
                        f"ids {ids}, not [11, 12, 13]. Order by a unique column, so each row "
                        "has exactly one place: `.order_by(Item.id)`. Rows tied on a column "
                        "like `created_at` or `owner_id` come back in no set order, and pages "
                        "then repeat or skip them."
                    )
                if ids == list(range(4, 14)):
                    raise Incorrect(
                        f"`list_items(db, offset=10, limit=3)` returned ids {ids}: offset and "
                        "limit are swapped. `.offset(offset)` skips rows, `.limit(limit)` caps "
                        "how many come back."
                    )
                if ids == [31, 32, 33]:
                    raise Incorrect(
                        f"`list_items(db, offset=10, limit=3)` returned ids {ids}: you skipped "
                        "`offset * limit` rows. `offset` counts rows to skip, not pages: "
                        "`.offset(offset)`."
                    )
                raise Incorrect(
                    f"`list_items(db, offset=10, limit=3)` returned ids {ids}; expected "
                    "[11, 12, 13]: skip `offset` rows, then return at most `limit`."
                )

            ids = await _page(ctx, list_items, db, offset=0, limit=1000)
            if len(ids) != 100:
                raise Incorrect(
                    f"`list_items(db, offset=0, limit=1000)` returned {len(ids)} items; limit "
                    "must be capped at 100 so one request cannot read the whole table: "
                    "`min(limit, MAX_LIMIT)`."
                )
            ids = await _page(ctx, list_items, db, offset=0, limit=-1)
            if ids:
                raise Incorrect(
                    f"`list_items(db, offset=0, limit=-1)` returned {len(ids)} items: SQLite "
                    "reads a negative LIMIT as no limit at all (PostgreSQL rejects it). Clamp "
                    "from both sides: `max(0, min(limit, MAX_LIMIT))`."
                )
            sent.clear()
            ids = await _page(ctx, list_items, db, offset=-5, limit=2)
            if ids != [1, 2]:
                raise Incorrect(
                    f"`list_items(db, offset=-5, limit=2)` returned ids {ids}; a negative offset "
                    "should count as 0, giving [1, 2]: `max(offset, 0)`."
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
                    "before building the query: `offset = max(offset, 0)`."
                )
            ids = await _page(ctx, list_items, db, offset=ITEMS_IN_CHECK - 2, limit=10)
            if ids != [ITEMS_IN_CHECK - 1, ITEMS_IN_CHECK]:
                raise Incorrect(
                    f"The last page, `list_items(db, offset={ITEMS_IN_CHECK - 2}, limit=10)`, "
                    f"returned ids {ids}; expected the last two, "
                    f"[{ITEMS_IN_CHECK - 1}, {ITEMS_IN_CHECK}]."
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
                "registered. Return `None` instead: `result.scalar_one_or_none()`."
            ) from None
        raise
    if found is not None and not isinstance(found, User):
        raise Incorrect(
            f"`get_by_email` returned {describe(found)}. Return the `User` itself or `None`: "
            "`(await db.execute(query)).scalar_one_or_none()`."
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
        sent = _record_sql(Session)

        async with Session() as db:
            found = await _lookup(ctx, get_by_email, db, "ada@example.com")
            if found is None or found.email != "ada@example.com":
                raise Incorrect(
                    "`get_by_email(db, 'ada@example.com')` did not return Ada, who is registered "
                    "with exactly that address. Select the user whose email equals it: "
                    "`select(User).where(User.email == ...)`."
                )
            for spelling in ("Ada@Example.com", "ADA@EXAMPLE.COM"):
                found = await _lookup(ctx, get_by_email, db, spelling)
                if found is None or found.email != "ada@example.com":
                    raise Incorrect(
                        f"`get_by_email(db, {spelling!r})` did not find ada@example.com. Emails "
                        "are stored lowercase, so lowercase the address you were given before "
                        "comparing: `User.email == email.lower()`."
                    )
            found = await _lookup(ctx, get_by_email, db, "a_a@example.com")
            if found is not None:
                raise Incorrect(
                    "`get_by_email(db, 'a_a@example.com')` found ada@example.com: `like` and "
                    "`ilike` treat `_` and `%` as wildcards, so one address matches others. "
                    "Compare with `==` after lowercasing: `User.email == email.lower()`."
                )
            found = await _lookup(ctx, get_by_email, db, "nobody@example.com")
            if found is not None:
                raise Incorrect(
                    "`get_by_email(db, 'nobody@example.com')` returned a user, but nobody has "
                    "that address. Return `None` when there is no match."
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
                    "database find the one row: `select(User).where(User.email == ...)`."
                )
            for sql, params in searches:
                scans = [
                    step
                    for step in await _query_plan(Session, sql, params)
                    if step.upper().startswith("SCAN")
                ]
                if scans:
                    raise Incorrect(
                        f"`get_by_email` sent `WHERE {_clause(sql, 'WHERE')}`, and the database "
                        "cannot use the index on `email` for that: it computes the expression "
                        f"for every row, scanning the whole table on each login (its query "
                        f"plan: `{scans[0]}`). Stored addresses are already lowercase, so leave "
                        "the column alone and lowercase only the address you were given: "
                        "`User.email == email.lower()`."
                    )


EXERCISES = [
    Exercise(
        id="update",
        title="Update only the fields the client sent",
        check=check_update,
        answer=answers.update,
        hints=[
            "Step 5 showed which `model_dump` option keeps exactly the fields the client sent, "
            "`None` included. Loop over that dict and set each value on `db_obj`; then send the "
            "SQL without ending the transaction.",
            "`for field, value in obj_in.model_dump(exclude_unset=True).items(): "
            "setattr(db_obj, field, value)`, then `await db.flush()` (never `commit()`) and "
            "`return db_obj`.",
        ],
        mistakes=[
            Mistake(mistakes.update_sets_every_field, says="exclude_unset=True"),
            Mistake(mistakes.update_skips_none, says="exclude_none"),
            Mistake(mistakes.update_without_flush, says="await db.flush()"),
            Mistake(mistakes.update_forgets_return, says="return db_obj"),
            Mistake(mistakes.update_commits, says="instead of `commit()`"),
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
            "First make the two numbers safe: what should a negative `offset`, a negative "
            "`limit` or a huge `limit` become? Then let the database cut the page: a query "
            "needs an order to page through, a number of rows to skip, and a cap.",
            "`limit = max(0, min(limit, MAX_LIMIT))` and `offset = max(offset, 0)`; then "
            "`query = select(Item).order_by(Item.id).offset(offset).limit(limit)` and "
            "`return list((await db.scalars(query)).all())`.",
        ],
        mistakes=[
            Mistake(mistakes.list_items_unordered, says=".order_by(Item.id)"),
            Mistake(mistakes.list_items_swapped, says="swapped"),
            Mistake(mistakes.list_items_offset_as_page, says="not pages"),
            Mistake(mistakes.list_items_uncapped, says="capped at 100"),
            Mistake(mistakes.list_items_capped_above_only, says="negative LIMIT"),
            Mistake(mistakes.list_items_sliced_in_python, says="cut the page out in Python"),
            Mistake(mistakes.list_items_offset_unclamped, says="sent `OFFSET -5`"),
            Mistake(mistakes.list_items_ordered_by_created_at, says="ORDER BY items.created_at"),
            Mistake(mistakes.list_items_ordered_by_owner, says="a unique column"),
        ],
        success="Every page comes in id order, and no request can read more than 100 rows, "
        "not even with `limit=-1`.",
    ),
    Exercise(
        id="get_by_email",
        title="Find a user by email, whatever its case",
        check=check_get_by_email,
        answer=answers.get_by_email,
        hints=[
            "`UserCreate` stores emails lowercased. Which side of the comparison with "
            "`User.email` still needs lowercasing, and which side must stay as it is so the "
            "database can use its index?",
            "`select(User).where(User.email == email.lower())`, then "
            "`(await db.execute(query)).scalar_one_or_none()`.",
        ],
        mistakes=[
            Mistake(mistakes.get_by_email_exact, says="email.lower()"),
            Mistake(
                mistakes.get_by_email_lowers_column_only,
                says="lowercase the address you were given",
            ),
            Mistake(mistakes.get_by_email_ilike, says="wildcards"),
            Mistake(mistakes.get_by_email_scalar_one, says="scalar_one_or_none()"),
            Mistake(mistakes.get_by_email_filters_in_python, says="searched them in Python"),
            Mistake(mistakes.get_by_email_lowers_both_sides, says="cannot use the index"),
        ],
        success="Ada finds her account however she types her address, and `_` or `%` in an "
        "address matches nothing but itself.",
    ),
]
