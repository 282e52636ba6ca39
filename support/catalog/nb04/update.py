"""Notebook 04 · CRUD, exercise `update`: its check and hints."""

from __future__ import annotations

from typing import Any

from support.catalog.nb04._shared import _add_owner
from support.exercises import CheckContext, Incorrect, describe

HINTS = [
    "Write only what the client sent: the schema knows which fields those are, an explicit "
    "`None` included. Set each of them on `db_obj`, then send the SQL without ending the "
    "transaction (the request commits, once).",
    "`obj_in.model_dump(exclude_unset=True)` gives the sent fields as a dict; "
    "`setattr(db_obj, name, value)` sets an attribute whose name is in a variable; "
    "`await db.flush()` sends the UPDATE, and `commit()` has no place here.",
    "The shape: `for field, value in ....items(): setattr(...)`, then `await db....()`, "
    "then `return db_obj`.",
]


async def _stored_item(Session: Any, item_id: int) -> tuple[str, str | None]:
    """The item as another connection sees it: only what has been committed."""
    from sqlalchemy import select

    from app.models import Item

    async with Session() as other:
        row = (
            await other.execute(select(Item.title, Item.description).where(Item.id == item_id))
        ).one()
    return row.title, row.description


async def check(ctx: CheckContext, update: Any) -> None:
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
