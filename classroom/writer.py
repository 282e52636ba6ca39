"""Group commit: the outcomes of every post that arrives while a write is under way are
written together, in the next transaction.

SQLite has one writer at a time, and each transaction costs several hops to the driver's
thread plus a commit. Written one post at a time, 60 learners a second queued behind each
other (p99 in the hundreds of milliseconds on a busy 2-core machine, benchmarks/classroom.py);
grouped, a burst costs about what one post does. Each post still waits for its own commit
before it is answered, so "stored" still means stored.
"""

import asyncio
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from classroom.crud import Posted, store_outcomes
from classroom.schemas import OutcomeIn


class OutcomeWriter:
    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], lock: asyncio.Lock | None
    ) -> None:
        self._sessionmaker = sessionmaker
        self._lock = lock  # shared with the other writes on SQLite (joins)
        self._waiting: list[tuple[Posted, asyncio.Future[int]]] = []
        self._task: asyncio.Task[None] | None = None

    async def store(self, learner_id: int, outcomes: Sequence[OutcomeIn], now: datetime) -> int:
        """How many of `outcomes` were new, once they are committed."""
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._waiting.append((Posted(learner_id, outcomes, now), future))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain())
        # shield: a client that hangs up does not cancel the write its outcomes are part of.
        return await asyncio.shield(future)

    async def _drain(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                counts = await self._write([posted for posted, _ in batch])
            except Exception as exc:  # every post of the group gets the error (a 500)
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, future), count in zip(batch, counts, strict=True):
                if not future.done():
                    future.set_result(count)

    async def _write(self, posts: list[Posted]) -> list[int]:
        async with self._sessionmaker() as db:
            if self._lock is None:
                counts = await store_outcomes(db, posts)
                await db.commit()
                return counts
            async with self._lock:
                counts = await store_outcomes(db, posts)
                await db.commit()
                return counts
