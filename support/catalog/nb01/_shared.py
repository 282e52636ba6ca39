"""What notebook 01's checks share: their own `accounts` table, and a learner call's outcome."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import CheckConstraint, Column, Integer, MetaData, String, Table, select
from sqlalchemy.orm import DeclarativeBase

from support.exercises import CheckContext, Incorrect, NotAttempted

# The checks' own copy of the notebook's `accounts` table: the learner's `Account` model maps
# onto it, so the checks can seed and read rows without the learner's classes.
_metadata = MetaData()

_accounts = Table(
    "accounts",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("owner", String, unique=True, nullable=False),
    Column("balance", Integer, nullable=False),
    CheckConstraint("balance >= 0", name="balance_not_negative"),
)


class _CheckBase(DeclarativeBase):
    metadata = _metadata


class _Account(_CheckBase):
    __table__ = _accounts


async def _balances(Session: Any) -> dict[str, int]:
    async with Session() as session:
        result = await session.execute(
            select(_accounts.c.owner, _accounts.c.balance).order_by(_accounts.c.id)
        )
        return {owner: balance for owner, balance in result.all()}


async def _outcome(ctx: CheckContext, name: str, fn: Any, *args: Any) -> tuple[str, Any]:
    """Call and await learner code with a time limit: ("ok", value) or ("raised", exception)."""

    async def run() -> Any:
        return await fn(*args)

    try:
        return "ok", await asyncio.wait_for(run(), ctx.call_timeout)
    except TimeoutError:
        raise Incorrect(
            f"`{name}` did not finish within {ctx.call_timeout:g} seconds. Look for an `await` "
            "that waits forever, or a session left open that still holds the database's lock.",
            code="timeout",
        ) from None
    except NotImplementedError:
        raise NotAttempted() from None
    except Exception as exc:
        return "raised", exc
