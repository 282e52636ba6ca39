"""Notebook 06 · Security, exercise `get_owned_item`: its check and hints."""

from __future__ import annotations

from typing import Any

from support.catalog.nb06._shared import NOT_A_HASH, _http_status, _outcome
from support.exercises import CheckContext, Incorrect, describe, error_summary

HINTS = [
    'Two things make an item "not found" for this user: it does not exist, or it '
    "belongs to someone else. Treat both the same way, with the same exception and the "
    "same message, so that Bob cannot tell them apart.",
    "The tools: `await db.get(Item, item_id)` returns the item or `None`; "
    "`item.owner_id` is the id of its owner, `user.id` the caller's; "
    '`NotFoundError("Item not found.")` is the package\'s 404.',
    "The shape:\n\n"
    "```python\n"
    "item = await db.get(...)\n"
    "if <it is missing> or <its owner is not the user>:\n"
    "    raise NotFoundError(...)\n"
    "return item\n"
    "```\n\n"
    "Test for `None` first: `item.owner_id` fails on `None`.",
]


def _not_found_message(exc: BaseException) -> str:
    from app.core.exceptions import AppError

    if isinstance(exc, AppError):
        return exc.message
    return str(getattr(exc, "detail", exc))


async def check(ctx: CheckContext, get_owned_item: Any) -> None:
    from app.models import Item, User

    ctx.require_function(get_owned_item, is_async=True)
    async with ctx.database() as Session:
        async with Session.begin() as db:
            ada = User(email="ada@example.com", hashed_password=NOT_A_HASH)
            bob = User(email="bob@example.com", hashed_password=NOT_A_HASH)
            db.add_all([ada, bob])
            await db.flush()
            items = [
                Item(owner_id=ada.id, title="Ada's first"),
                Item(owner_id=ada.id, title="Ada's second"),
                Item(owner_id=bob.id, title="Bob's"),
            ]
            db.add_all(items)
            await db.flush()
        names = {ada.id: ("Ada", "hers"), bob.id: ("Bob", "his")}

        async def ask(user: Any, item_id: int) -> tuple[bool, Any]:
            async with Session() as db:
                return await _outcome(ctx, get_owned_item, db, item_id, user)

        for user, item in ((ada, items[0]), (ada, items[1]), (bob, items[2])):
            returned, value = await ask(user, item.id)
            name, own = names[user.id]
            who = f"{name} (user {user.id}), asking for item {item.id}, which is {own},"
            if not returned:
                raise Incorrect(
                    f"{who} got an error ({error_summary(value)}). Compare "
                    "`item.owner_id` with `user.id`: the owner must get the item.",
                    code="owner-refused",
                )
            if not isinstance(value, Item) or value.id != item.id:
                raise Incorrect(
                    f"{who} got {describe(value)}. Return the `Item` itself "
                    "(`await db.get(Item, item_id)`).",
                    code="owner-gets-other",
                )

        returned, others = await ask(bob, items[0].id)
        if returned:
            raise Incorrect(
                f"Bob got Ada's item {items[0].id}: compare `item.owner_id` with `user.id`, and "
                'raise `NotFoundError("Item not found.")` when they differ.',
                code="no-owner-check",
            )
        status = _http_status(others)
        if status == 403:
            raise Incorrect(
                "Bob asking for Ada's item got a 403 Forbidden. A 403 confirms that the item "
                "exists, so Bob could count other users' items by trying ids. Raise "
                '`NotFoundError("Item not found.")`, the same as for an id that does not exist.',
                code="forbidden",
            )
        if status != 404:
            raise Incorrect(
                f"Bob asking for Ada's item got {error_summary(others)}. Raise "
                '`NotFoundError("Item not found.")` (404) for an item that is not the user\'s.',
                code="wrong-error-for-others",
            )

        returned, missing = await ask(bob, 999)
        if returned:
            raise Incorrect(
                f"An id that does not exist returned {describe(missing)}. Raise "
                '`NotFoundError("Item not found.")` when `db.get` finds nothing.',
                code="returns-for-missing",
            )
        if _http_status(missing) != 404:
            raise Incorrect(
                f"An id that does not exist raised {error_summary(missing)}: check "
                '`item is None` first and raise `NotFoundError("Item not found.")`.',
                code="missing-not-404",
            )
        if _not_found_message(others) != _not_found_message(missing):
            raise Incorrect(
                f"Someone else's item answers {_not_found_message(others)!r} and a missing one "
                f"{_not_found_message(missing)!r}: use the same message for both, or the "
                "difference tells Bob which ids exist.",
                code="messages-differ",
            )
