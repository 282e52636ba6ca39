"""Sending check outcomes to the classroom, in the background, never in the check's way.

``progress.record`` calls ``notify`` after each check; if the working folder is in a class it
wakes one daemon thread per folder, which posts what is new with a one-second timeout.

There is no separate outbox file: the progress log is append-only, so "what has not been sent"
is the log past a mark (``classroom.sent``, a byte offset) that only moves once the classroom
has stored the outcomes before it. A classroom that is down, slow or gone costs nothing but a
retry later; a kernel killed mid-send loses nothing; an outcome sent twice (two kernels, a lost
answer) is recognised by its event id and stored once. Only the notebook, exercise, status,
diagnosis code and that random id are sent (the display name went once, at join).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from support.classroom_client import (
    NAME_VARIABLE,
    SENT_MARK_NAME,
    JoinError,
    Membership,
    join,
    membership,
    post,
)
from support.progress import LOG_NAME, MEMBERSHIP_NAME, STATUSES, URL_VARIABLE, workbook_dir

BATCH = 50  # outcomes per request, as the classroom accepts
MAX_BACKOFF = 60.0


def notify(folder: str | Path, recorded_at: str = "") -> None:
    """Called by ``record`` after each check: wake the sender if this folder is in a class."""
    folder = str(folder)
    if not os.environ.get(URL_VARIABLE) and not os.path.exists(
        os.path.join(folder, MEMBERSHIP_NAME)
    ):
        return
    sender = _senders.get(folder)
    if sender is None:
        with _senders_lock:
            sender = _senders.get(folder) or _senders.setdefault(folder, _Sender(Path(folder)))
    sender.wake(recorded_at)


@dataclass
class FlushResult:
    sent: int = 0
    pending: int = 0
    problem: str = ""  # why something is still pending
    retry_after: float = 0.0


def flush(folder: Path | None = None) -> FlushResult:
    """Send every pending outcome now (the thread calls this; so can a test or a command)."""
    folder = folder or workbook_dir()
    with _flush_lock(folder):
        return _flush(folder, since=None)


def pending(folder: Path | None = None) -> list[dict[str, str]]:
    """The outcomes not yet stored by the classroom: the outbox."""
    folder = folder or workbook_dir()
    member = membership(folder)
    if member is None:
        return []
    return [item for _, item in _unsent(folder, member) if item is not None]


def _flush(folder: Path, since: str | None) -> FlushResult:
    member = membership(folder)
    link = os.environ.get(URL_VARIABLE, "").strip()
    if link and (member is None or member.link != link):
        try:
            member = _join_from_environment(link, folder, since)
        except JoinError as exc:  # the checks wait in the log: try again later
            return FlushResult(pending=1, problem=str(exc))
    if member is None:
        return FlushResult()
    result = FlushResult()
    outcomes_url = f"{member.base_url}/c/{member.class_code}/outcomes"
    for end, batch in _batches(_unsent(folder, member)):
        if not batch:
            _write_mark(folder, end)
            continue
        try:
            status, _, headers = post(outcomes_url, {"outcomes": batch}, member.token)
            if status == 422 and len(batch) > 1:
                # One outcome this classroom does not know (an older course?): find it alone.
                for item in batch:
                    status, _, headers = post(outcomes_url, {"outcomes": [item]}, member.token)
                    if status not in (200, 422):
                        break
        except OSError as exc:
            result.problem = f"classroom unreachable ({exc})"
            break
        if status == 429:
            result.problem = "classroom busy"
            wait = str(headers.get("Retry-After", ""))
            result.retry_after = float(wait) if wait.isdigit() else 5.0
            break
        if status not in (200, 422):  # 422 alone: an outcome it will never take, skip it
            result.problem = f"classroom answered {status}" + (
                ": join again" if status in (401, 404) else ""
            )
            break
        result.sent += len(batch)
        _write_mark(folder, end)
    result.pending = len(pending(folder))
    return result


def _join_from_environment(link: str, folder: Path, since: str | None) -> Membership:
    name = os.environ.get(NAME_VARIABLE, "").strip() or f"learner-{secrets.token_hex(2)}"
    try:
        return join(link, name, folder, since=since)
    except JoinError as exc:
        if exc.status != 409:
            raise
        # The name is taken (a second machine, a wiped folder): the same name, told apart.
        return join(link, f"{name[:34]}-{secrets.token_hex(2)}", folder, since=since)


def _unsent(folder: Path, member: Membership) -> list[tuple[int, dict[str, str] | None]]:
    """Each complete log line past the mark: (offset after it, outcome to send or None)."""
    path = folder / LOG_NAME
    mark = _read_mark(folder)
    try:
        with path.open("rb") as handle:
            if mark > os.fstat(handle.fileno()).st_size:
                mark = 0  # the log was deleted and begun again
            handle.seek(mark)
            data = handle.read()
    except OSError:
        return []
    lines = []
    offset = mark
    for raw in data.splitlines(keepends=True):
        if not raw.endswith(b"\n"):
            break  # a line still being written: next time
        offset += len(raw)
        lines.append((offset, _outbound(raw, member.joined_at)))
    return lines


NOTEBOOK = re.compile(r"[0-9]{2}")
EXERCISE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
EVENT_ID = re.compile(r"[0-9a-f]{32}")


def _outbound(raw: bytes, joined_at: str) -> dict[str, str] | None:
    """Exactly what is sent for one log line, or None for a line that is not sent."""
    try:
        entry = json.loads(raw)
        if _instant(entry["time"]) < _instant(joined_at):
            return None
        item = {key: str(entry[key]) for key in ("id", "notebook", "exercise", "status")}
    except (ValueError, KeyError, TypeError):
        return None
    if not (
        EVENT_ID.fullmatch(item["id"])
        and NOTEBOOK.fullmatch(item["notebook"])
        and EXERCISE.fullmatch(item["exercise"])
        and item["status"] in STATUSES
    ):
        return None
    # A diagnosis is a short identifier; anything else in it is not the learner's to share.
    item["code"] = re.sub(r"[^A-Za-z0-9_.:-]", "_", str(entry.get("code", "")))[:64]
    return item


def _instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _batches(
    lines: list[tuple[int, dict[str, str] | None]],
) -> list[tuple[int, list[dict[str, str]]]]:
    """Groups of at most BATCH outcomes, each with the offset the mark may move to once sent."""
    batches: list[tuple[int, list[dict[str, str]]]] = []
    current: list[dict[str, str]] = []
    end = 0
    for offset, item in lines:
        if item is not None and len(current) == BATCH:
            batches.append((end, current))
            current = []
        if item is not None:
            current.append(item)
        end = offset
    if lines:
        batches.append((end, current))
    return batches


def _read_mark(folder: Path) -> int:
    try:
        return max(0, int(json.loads((folder / SENT_MARK_NAME).read_text("utf-8"))["offset"]))
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def _write_mark(folder: Path, offset: int) -> None:
    # Replaced whole, never rewritten in place: a reader sees the old mark or the new one.
    temporary = folder / f"{SENT_MARK_NAME}.{os.getpid()}.{threading.get_ident()}.tmp"
    temporary.write_text(json.dumps({"offset": offset}), "utf-8")
    os.replace(temporary, folder / SENT_MARK_NAME)


_senders: dict[str, _Sender] = {}
_senders_lock = threading.Lock()
_flush_locks: dict[Path, threading.Lock] = {}


def _flush_lock(folder: Path) -> threading.Lock:
    with _senders_lock:
        return _flush_locks.setdefault(folder, threading.Lock())


class _Sender:
    """One daemon thread per working folder: woken by each check, it sends what is pending.

    After a failure it waits (2 s, doubling up to a minute) unless a new check wakes it, and
    never sooner than a 429's Retry-After.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.first_recorded = ""  # for WORKBOOK_CLASSROOM: send from the first check it saw
        self.last_result = FlushResult()  # what the latest attempt found, for diagnostics
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="workbook-classroom", daemon=True)
        self._thread.start()

    def wake(self, recorded_at: str = "") -> None:
        if recorded_at and not self.first_recorded:
            self.first_recorded = recorded_at
        self._wake.set()

    def _run(self) -> None:
        delay: float | None = None
        not_before = 0.0
        while True:
            self._wake.wait(delay)
            pause = not_before - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            self._wake.clear()
            try:
                with _flush_lock(self.folder):
                    result = _flush(self.folder, since=self.first_recorded or None)
            except Exception as exc:  # a bug here must not end the thread, nor reach a check
                result = FlushResult(pending=1, problem=f"{type(exc).__name__}: {exc}")
            self.last_result = result
            delay = None if result.pending == 0 else min(MAX_BACKOFF, (delay or 1.0) * 2)
            not_before = time.monotonic() + result.retry_after
