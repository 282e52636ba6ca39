"""Notebook 02 · Models, exercise `change_email`: its check and hints."""

from __future__ import annotations

import gc
import warnings
from typing import Any

from support.catalog.nb02._shared import DATABASE_UPDATED_AT, _fresh_base, _owner_model
from support.exercises import CheckContext, Incorrect, check_warnings

HINTS = [
    "The flush is where the database sets `updated_at`, and SQLAlchemy then forgets its "
    "own copy. Something after the flush, in this function, must fetch the new value "
    "while the code can still await; step 6 (a) fixed exactly this twice.",
    "`await session.flush()` sends the `UPDATE`; `await session.refresh(user)` (or "
    "`await user.awaitable_attrs.updated_at`) loads what the database set. Do not "
    "commit: `get_db` commits once for the whole request.",
    "Four lines: set `user.email`, flush, load `updated_at` with one of the two calls, "
    "then `return user`, the same object you were given.",
]


async def _call_watching_awaits(ctx: CheckContext, fn: Any, *args: Any) -> Any:
    """`ctx.call`, naming an `awaitable_attrs` value dropped unawaited: the engine would say
    `greenlet_spawn`, a name the learner never wrote."""
    error: Incorrect | None = None
    with check_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = await ctx.call(fn, *args)
        except Incorrect as exc:
            error = exc
        gc.collect()  # a coroutine dropped inside a reference cycle warns only when collected
    dropped = False
    for w in caught:
        if "'greenlet_spawn' was never awaited" in str(w.message):
            dropped = True
        else:  # not ours to explain: on to the engine, which names a forgotten await
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if dropped:
        raise Incorrect(
            "`user.awaitable_attrs.updated_at` gives something to await, and your code "
            "dropped it unawaited, so nothing was loaded. Write "
            "`await user.awaitable_attrs.updated_at`.",
            code="awaitable-attrs-not-awaited",
        )
    if error is not None:
        raise error
    return result


async def check(ctx: CheckContext, change_email: Any) -> None:
    from sqlalchemy import inspect as inspect_object
    from sqlalchemy import select

    ctx.require_function(change_email, is_async=True, name="change_email")
    Base = _fresh_base()
    User = _owner_model(Base)
    async with ctx.database(Base.metadata) as Session:
        async with Session() as session:
            session.add(User(email="ada@example.com"))
            await session.commit()
        async with Session() as session:
            user = (await session.scalars(select(User))).one()
            result = await _call_watching_awaits(
                ctx, change_email, session, user, "ada@example.org"
            )
            _check_returned_user(result, user)
            state = inspect_object(user)
            if "email" in state.unloaded:
                raise Incorrect(
                    "After `change_email`, `user.email` is expired: `session.expire()` does not "
                    "load anything, it marks attributes to be loaded on the next read, which "
                    "cannot await (MissingGreenlet); before a flush it also throws the change "
                    "away. Load what you need with an `await` instead.",
                    code="expired",
                )
            if user.email == "ada@example.com":
                raise Incorrect(
                    "`user.email` is the old address afterwards. `session.refresh()` reloads "
                    "from the database and throws away changes not yet flushed: set the email, "
                    "flush first, then refresh.",
                    code="refresh-before-flush",
                )
            if state.attrs.email.history.has_changes():
                raise Incorrect(
                    "The new email has not reached the database yet: call "
                    "`await session.flush()` after setting it, so the UPDATE runs.",
                    code="not-flushed",
                )
            if state.attrs.updated_at.history.has_changes() or (
                "updated_at" not in state.unloaded
                and user.updated_at not in (None, DATABASE_UPDATED_AT)
            ):
                raise Incorrect(_SET_BY_HAND, code="updated-at-set-by-hand")
            if "updated_at" in state.unloaded:
                raise Incorrect(
                    "Reading `user.updated_at` after your function raises MissingGreenlet: the "
                    "database set it during the flush, so SQLAlchemy expired its copy, to be "
                    "loaded on the next read, and a plain read cannot await. Load it inside "
                    "the function, while you can still await (step 6 (a), Fix 1 or Fix 2).",
                    code="updated-at-not-loaded",
                )
            await session.rollback()
        async with Session() as session:
            saved = await session.scalar(select(User.email))
            if saved == "ada@example.org":
                raise Incorrect(
                    "`change_email` committed: the caller's rollback could not undo it. "
                    "Flush instead, and leave the commit to `get_db`, once per request: "
                    "`await session.flush()` then `await session.refresh(user)`.",
                    code="commits",
                )


_SET_BY_HAND = (
    "`updated_at` holds a time your code set itself (`datetime.now(...)`), not the one the "
    "database set during the flush (the column's `onupdate=func.now()`): the database's clock "
    "is the one every writer shares. Do not set `updated_at` itself; load the value the "
    "database set."
)


def _check_returned_user(result: Any, user: Any) -> None:
    if result is user:
        return
    if type(result).__name__ == "User":
        raise Incorrect(
            "`change_email` returned another object: a user loaded again with the notebook's "
            "own `User` class (`session.get(User, ...)`), while the check passes in a user of "
            "its own model. There is nothing to load again: change the `user` you were given "
            "and `return user`.",
            code="notebook-user",
        )
    shown = "`None`" if result is None else f"a `{type(result).__name__}`"
    raise Incorrect(
        f"`change_email` returned {shown}: end it with `return user`, the user it was given, "
        "now updated.",
        code="returns-not-the-user",
    )
