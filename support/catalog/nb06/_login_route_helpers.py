"""The login_route check's instruments: bcrypt calls watched, the route served, bodies shown."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple


def _shown(body: Any) -> str:
    text = json.dumps(body) if isinstance(body, (dict, list)) or body is None else str(body)
    return f"`{text[:160]}`"


@contextlib.contextmanager
def _bcrypt_calls() -> Iterator[list[int]]:
    """The thread of every bcrypt hash or check made meanwhile, however the answer made it
    (passlib, `security`, or the `bcrypt` module itself)."""
    import bcrypt

    calls: list[int] = []
    originals = {name: getattr(bcrypt, name) for name in ("hashpw", "checkpw")}

    def recording(original: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls.append(threading.get_ident())
            return original(*args, **kwargs)

        return call

    for name, original in originals.items():
        setattr(bcrypt, name, recording(original))
    try:
        yield calls
    finally:
        for name, original in originals.items():
            setattr(bcrypt, name, original)


class _Served(NamedTuple):
    status: int
    headers: dict[str, str]
    body: Any
