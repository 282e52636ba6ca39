"""What notebook 06's checks share: a learner call's outcome, and an error's HTTP status."""

from __future__ import annotations

from typing import Any

from support.exercises import CheckContext, Incorrect

NOT_A_HASH = "never verified in these checks"


async def _outcome(ctx: CheckContext, fn: Any, *args: Any) -> tuple[bool, Any]:
    """(True, value) if the learner's function returned, (False, exception) if it raised."""
    try:
        return True, await ctx.call(fn, *args)
    except Incorrect as exc:
        cause = exc.__cause__
        if cause is None or isinstance(cause, TimeoutError):
            raise  # a time-out or the engine's own message: already says what to fix
        return False, cause


def _http_status(exc: BaseException) -> int | None:
    from starlette.exceptions import HTTPException

    from app.core.exceptions import AppError

    if isinstance(exc, AppError):
        return exc.status_code
    if isinstance(exc, HTTPException):
        return exc.status_code
    return None
