"""Close the database calls that a failed statement created but never started.

When SQLAlchemy's async layer refuses to run a statement (``MissingGreenlet``: an attribute read
that needs the database), it has already asked the driver for a cursor. aiosqlite hands that
call back wrapped in its own awaitable, which SQLAlchemy's clean-up does not recognise, so the
driver's ``Connection.cursor`` coroutine is left unstarted. Python warns about it only when the
garbage collector finds it: at some later moment, in whatever cell happens to be running.

The workbook closes those coroutines at the moment the error is caught (``expect``, a check, a
learner's own failing cell), so nothing a demonstration abandons can surface anywhere else.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Coroutine
from typing import Any


def close_abandoned_calls(exc: BaseException | None) -> int:
    """Close every never-started coroutine held by the frames ``exc`` (and its causes) unwound.

    Returns how many were closed. Only frames that are gone are searched: not the ones still
    running (the caller's, and whoever caught the error), and not a notebook cell's globals, since
    what a learner keeps in a variable is theirs.
    """
    live: set[int] = set()
    frame = sys._getframe(1)
    while frame is not None:
        live.add(id(frame))
        frame = frame.f_back
    closed = 0
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        error = pending.pop()
        if error is None or id(error) in seen:
            continue
        seen.add(id(error))
        tb = error.__traceback__
        while tb is not None:
            frame = tb.tb_frame
            if id(frame) not in live and frame.f_locals is not frame.f_globals:
                closed += sum(_close_if_unstarted(v) for v in list(frame.f_locals.values()))
            tb = tb.tb_next
        pending += [error.__cause__, error.__context__, *getattr(error, "exceptions", ())]
    return closed


def _close_if_unstarted(value: Any) -> int:
    if not isinstance(value, Coroutine):
        return 0
    # A driver's wrapper (aiosqlite's Result) keeps the real coroutine in `_coro`.
    inner = value if inspect.iscoroutine(value) else getattr(value, "_coro", None)
    if inspect.iscoroutine(inner) and inspect.getcoroutinestate(inner) == inspect.CORO_CREATED:
        inner.close()
        return 1
    return 0
