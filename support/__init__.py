"""The learners' helper package: exercises, notebook set-up and display helpers, the doctor.

Every notebook starts with ``from support import start`` and ``nb = start("NN")``.

The public names load on first use (PEP 562), so ``python -m support doctor`` and
``python -m support repair`` start with the standard library alone: they must run, and say what
is wrong, in a Python where FastAPI or SQLAlchemy is missing or broken.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from support.catalog import exercises_for
    from support.display import error_line, expect, mask, response, rows, show
    from support.notebook import fresh_database_url, start

# Each public name, and the module it comes from.
_SOURCES = {
    "exercises_for": "support.catalog",
    "error_line": "support.display",
    "expect": "support.display",
    "mask": "support.display",
    "response": "support.display",
    "rows": "support.display",
    "show": "support.display",
    "fresh_database_url": "support.notebook",
    "start": "support.notebook",
}

__all__ = [
    "error_line",
    "exercises_for",
    "expect",
    "fresh_database_url",
    "mask",
    "response",
    "rows",
    "show",
    "start",
]


def __getattr__(name: str) -> Any:
    if name not in _SOURCES:
        # Not a public name: `from support import display` then imports the submodule.
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_SOURCES[name]), name)
    globals()[name] = value  # the next look-up is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
