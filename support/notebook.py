"""Setting the stage for a notebook: a fresh private database and the notebook's exercises.

Helpers set the stage; the pattern being taught stays visible in the notebook's own cells.
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from support.abandoned import close_abandoned_calls
from support.catalog import exercises_for, notebook_title
from support.exercises import ExerciseSet

# Fast hashing inside notebooks; notebook 06 shows what the cost factor buys.
NOTEBOOK_BCRYPT_ROUNDS = "4"

_scratch: Path | None = None
_counter = itertools.count(1)


def scratch_dir() -> Path:
    """One private temporary folder per kernel, removed when the kernel exits."""
    global _scratch
    if _scratch is None:
        _scratch = Path(tempfile.mkdtemp(prefix="workbook-"))
        atexit.register(shutil.rmtree, _scratch, ignore_errors=True)
    return _scratch


def fresh_database_url(name: str = "workbook") -> str:
    """A URL for a new, empty SQLite file that no other notebook or run shares.

    Each call gives a new file, so re-running a setup cell starts over even while an engine
    from the previous run still holds the old file open (Windows cannot delete it then).
    """
    path = scratch_dir() / f"{name}-{next(_counter)}.sqlite3"
    return f"sqlite+aiosqlite:///{path.as_posix()}"


@dataclass
class Notebook:
    number: str
    title: str
    database_url: str
    exercises: ExerciseSet

    def settings(self, **overrides: Any):
        """Settings for the finished app, pointed at this notebook's private database."""
        from app.core.config import Settings

        values: dict[str, Any] = {
            "ENVIRONMENT": "development",
            "DATABASE_URL": self.database_url,
            "CREATE_TABLES": True,
            "BCRYPT_ROUNDS": int(NOTEBOOK_BCRYPT_ROUNDS),
        }
        values.update(overrides)
        return Settings(**values)

    def app(self, **overrides: Any):
        """The finished service, on this notebook's private database."""
        from app.main import create_app

        return create_app(self.settings(**overrides))

    def __repr__(self) -> str:
        return f"Notebook {self.number} · {self.title}"


def start(number: str) -> Notebook:
    """Give notebook ``number`` a fresh private database and its exercises; print one line."""
    os.environ.setdefault("BCRYPT_ROUNDS", NOTEBOOK_BCRYPT_ROUNDS)
    from app.core.security import set_password_cost

    set_password_cost(int(NOTEBOOK_BCRYPT_ROUNDS))  # the package's hashes, before any app exists
    _close_abandoned_calls_after_failed_cells()
    number = f"{int(number):02d}"
    notebook = Notebook(
        number=number,
        title=notebook_title(number),
        database_url=fresh_database_url(f"nb{number}"),
        exercises=exercises_for(number),
    )
    names = ", ".join(f"ex.{i}" for i in notebook.exercises.ids()) or "none"
    print(
        f"Notebook {number} · {notebook.title}: fresh private database ready; exercises: {names}."
    )
    if number in _started:
        # Engines and apps made by the cells below still point at the previous database.
        print(
            "This is a new, empty database: run the cells below this one again "
            "(Run > Run Selected Cell and All Below)."
        )
    _started.add(number)
    return notebook


_started: set[str] = set()


def _close_abandoned_calls_after_failed_cells() -> None:
    """When a learner's cell fails on a lazy load, close the driver call it left unstarted.

    Otherwise Python warns "coroutine ... was never awaited" whenever the garbage collector runs,
    under some later, innocent cell.
    """
    global _hooked
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is always there with JupyterLab
        return
    shell = get_ipython()
    if shell is None or _hooked:
        return
    shell.events.register("post_run_cell", _after_cell)
    _hooked = True


def _after_cell(result: Any) -> None:
    close_abandoned_calls(getattr(result, "error_in_exec", None))


_hooked = False
