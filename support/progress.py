"""The learner's own progress: every check's outcome, appended to a small local log.

``record(feedback, notebook="04")`` is called by every ``check()``. It appends one JSON line
(time, notebook, exercise, status, diagnosis code, a random event id) to
``.workbook/progress.jsonl`` and, if the learner joined a classroom, wakes the thread that
sends it there (``support/outbox.py``). It never raises and costs tens of
microseconds: a check must never fail, or wait, because of its bookkeeping.

``WORKBOOK_DIR`` moves the working folder (tests point it at a temporary one).
"""

from __future__ import annotations

import functools
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = str(ROOT / ".workbook")
LOG_NAME = "progress.jsonl"
MEMBERSHIP_NAME = "classroom.json"  # written by `python -m support join` (classroom_client.py)
URL_VARIABLE = "WORKBOOK_CLASSROOM"  # or this, to join on the first check
# Plain os calls, not pathlib and io: record() runs on every check and this halves its cost.
APPEND_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
STATUSES = ("correct", "incorrect", "not attempted")


def workbook_dir() -> Path:
    """The working folder: ``$WORKBOOK_DIR``, else ``.workbook/`` at the repository root."""
    return Path(os.environ.get("WORKBOOK_DIR") or DEFAULT_DIR)


def log_path() -> Path:
    return workbook_dir() / LOG_NAME


def record(feedback: Any, notebook: str = "") -> None:
    """Append a check's outcome to the log and hand it to the classroom, if joined. Never raises."""
    try:
        status = getattr(feedback, "status", "")
        if status not in STATUSES:
            return  # not a check's feedback: nothing to record
        exercise = str(getattr(feedback, "exercise_id", "") or "")
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="microseconds"),
            "notebook": str(notebook or _notebook_of(exercise)),
            "exercise": exercise,
            "status": status,
            "code": str(getattr(feedback, "code", "") or ""),
            "id": secrets.token_hex(16),  # lets the classroom recognise a resent outcome
        }
        data = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        folder = os.environ.get("WORKBOOK_DIR") or DEFAULT_DIR
        path = os.path.join(folder, LOG_NAME)
        try:
            descriptor = os.open(path, APPEND_FLAGS, 0o644)
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
            descriptor = os.open(path, APPEND_FLAGS, 0o644)
        try:
            os.write(descriptor, data)  # one O_APPEND write: concurrent kernels never interleave
        finally:
            os.close(descriptor)
        if os.environ.get(URL_VARIABLE) or os.path.exists(os.path.join(folder, MEMBERSHIP_NAME)):
            from support import outbox  # only for a learner in a class

            outbox.notify(folder, entry["time"])
    except Exception:  # noqa: S110 - bookkeeping must never reach the learner's check
        pass


@functools.cache
def _notebook_of(exercise: str) -> str:
    """The notebook of an exercise id, when the caller did not say (ids repeat: ask for it)."""
    try:
        from support.catalog import NUMBERS, exercises_for

        owners = [number for number in NUMBERS if exercise in exercises_for(number).ids()]
    except Exception:  # a catalogue that cannot load still lets the outcome be recorded
        return ""
    return owners[0] if len(owners) == 1 else ""


def read_log(path: Path | None = None) -> Iterator[dict[str, str]]:
    """Every well-formed entry of the log, oldest first; damaged lines are skipped."""
    path = path or log_path()
    try:
        handle = path.open(encoding="utf-8")
    except OSError:
        return
    with handle:
        for line in handle:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and entry.get("status") in STATUSES:
                yield {k: str(v) for k, v in entry.items()}


@dataclass(frozen=True)
class NotebookProgress:
    number: str
    title: str
    done: tuple[str, ...]
    tried: tuple[str, ...]  # checked and got "incorrect", never "correct"
    not_started: tuple[str, ...]  # no check yet, or only on the untouched stub

    @property
    def total(self) -> int:
        return len(self.done) + len(self.tried) + len(self.not_started)


def summary(entries: list[dict[str, str]] | None = None) -> list[NotebookProgress]:
    """Per notebook of the course, its exercises done / tried / not started."""
    from support.catalog import course, exercises_for

    entries = list(read_log()) if entries is None else entries
    statuses: dict[tuple[str, str], set[str]] = {}
    for entry in entries:
        key = (entry.get("notebook", ""), entry.get("exercise", ""))
        statuses.setdefault(key, set()).add(entry["status"])
    rows = []
    for lesson in course():
        done, tried, not_started = [], [], []
        for ident in exercises_for(lesson.number).ids():
            seen = statuses.get((lesson.number, ident), set())
            bucket = done if "correct" in seen else tried if "incorrect" in seen else not_started
            bucket.append(ident)
        rows.append(
            NotebookProgress(
                lesson.number, lesson.title, tuple(done), tuple(tried), tuple(not_started)
            )
        )
    return rows


def summary_text(rows: list[NotebookProgress] | None = None) -> str:
    """The table ``python -m support progress`` prints."""
    rows = summary() if rows is None else rows
    width = max(len(f"{row.number} {row.title}") for row in rows)
    lines = []
    for row in rows:
        parts = [f"{row.number} {row.title}".ljust(width), f"done {len(row.done)}/{row.total}"]
        if row.tried:
            parts.append("tried: " + ", ".join(row.tried))
        if row.not_started and (row.done or row.tried):
            parts.append("not started: " + ", ".join(row.not_started))
        lines.append("   ".join(parts))
    done = sum(len(row.done) for row in rows)
    tried = sum(len(row.tried) for row in rows)
    total = sum(row.total for row in rows)
    lines.append("")
    lines.append(
        f"{done} of {total} exercises done, {tried} tried, {total - done - tried} not started."
    )
    return "\n".join(lines)
