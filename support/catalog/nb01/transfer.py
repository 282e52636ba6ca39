"""Notebook 01 · The database session, exercise `transfer`: its check and hints."""

from __future__ import annotations

import inspect
from typing import Any

from sqlalchemy import insert

from support.catalog.nb01._shared import _accounts, _balances, _metadata, _outcome
from support.exercises import CheckContext, Incorrect, error_summary, where_in_answer

HINTS = [
    "Both balance changes must be one transaction: one session, one commit at the end, "
    "and a rollback if anything in between raises. Section 6 showed a block that does "
    "exactly that.",
    "`async with Session.begin() as session:` commits when the block ends and rolls back "
    "if it raises; inside it, `await session.get(Account, some_id)` loads an account, or "
    "gives `None` when there is none.",
    "In the block: load the sender and the receiver with `session.get`; if either is "
    "`None`, `raise LookupError(...)`; then subtract `amount` from one `balance` and add "
    "it to the other. No `commit()`: the block does it.",
]


async def check(ctx: CheckContext, transfer: Any) -> None:
    if inspect.isfunction(transfer) and not inspect.iscoroutinefunction(transfer):
        # Before require_function: a sync body of only `return None` would read as a stub.
        raise Incorrect(
            "`transfer` must be defined with `async def`: it awaits the database.", code="not-async"
        )
    ctx.require_function(transfer, is_async=True, name="transfer")
    async with ctx.database(_metadata) as Session:
        async with Session.begin() as session:
            await session.execute(
                insert(_accounts),
                [
                    {"id": 1, "owner": "alice", "balance": 100},
                    {"id": 2, "owner": "bob", "balance": 50},
                ],
            )
        before = await _balances(Session)

        status, exc = await _outcome(ctx, "transfer", transfer, Session, 1, 2, 30)
        if status == "raised" and isinstance(exc, TypeError) and "context manager" in str(exc):
            raise Incorrect(
                f"Moving 30 from account 1 to account 2 raised {error_summary(exc)}. Async "
                "sessions open with `async with`, not `with`: "
                "`async with Session.begin() as session:`.",
                code="sync-with",
            )
        if status == "raised":
            raise Incorrect(
                f"Moving 30 from account 1 to account 2 raised {error_summary(exc)}"
                f"{where_in_answer(transfer, exc)}. Fix it, run your cell again, then this check.",
                code="raised",
            )
        after = await _balances(Session)
        if after == before:
            raise Incorrect(
                "Nothing was saved: `async with Session() as session:` alone never commits. "
                "Open the transaction with `async with Session.begin() as session:` (using the "
                "`Session` you are given), which commits when the block ends.",
                code="never-commits",
            )
        if after != {"alice": 70, "bob": 80}:
            raise Incorrect(
                f"After moving 30 from alice (100) to bob (50) the balances are {after}; "
                "expected alice 70 and bob 80. Subtract `amount` from the sender and add it "
                "to the receiver.",
                code="wrong-balances",
            )

        failing = [
            ((1, 999, 10), "to account 999, which does not exist,"),
            ((999, 2, 10), "from account 999, which does not exist,"),
            ((2, 1, 1000), "of 1000 from bob, which his balance cannot cover,"),
        ]
        for args, what in failing:
            status, exc = await _outcome(ctx, "transfer", transfer, Session, *args)
            now = await _balances(Session)
            if now != after:
                raise Incorrect(
                    f"A transfer {what} failed half-way: the balances went from {after} to "
                    f"{now}. Do both writes in one transaction: one `async with "
                    "Session.begin() as session:` around both, with no `commit()` in between, "
                    "so an error undoes the first write too.",
                    code="half-done",
                )
            if status == "ok":
                raise Incorrect(
                    f"A transfer {what} returned normally, so its caller believes the money "
                    "moved. Let the error propagate (`raise`; a `LookupError` for a missing "
                    "account), and do not catch it inside `transfer`.",
                    code="swallows-error",
                )
            if args[2] == 10 and not isinstance(exc, LookupError):
                raise Incorrect(
                    f"A transfer {what} raised {error_summary(exc)} instead of a `LookupError`. "
                    "`await session.get(Account, id)` returns `None` for an id that does not "
                    "exist: check both accounts for `None` and `raise LookupError(...)` before "
                    "changing any balance.",
                    code="not-lookup-error",
                )
