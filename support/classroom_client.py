"""Joining a classroom, and the one HTTP call the workbook makes to it.

``python -m support join URL`` (or ``join(url, name)``) asks the classroom for a token and keeps
it, with the display name, in ``.workbook/classroom.json``; ``WORKBOOK_CLASSROOM=URL`` (and
``WORKBOOK_NAME``) joins on the first check instead (``support/outbox.py``). Only the display
name is sent here; outcomes are sent by the outbox.
"""

from __future__ import annotations

import functools
import json
import os
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from support.progress import MEMBERSHIP_NAME, workbook_dir

SENT_MARK_NAME = "classroom.sent"  # the outbox's mark: how much of the log the classroom has
NAME_VARIABLE = "WORKBOOK_NAME"
TIMEOUT = 1.0  # seconds per request: a slow classroom must not keep the thread for long
JOIN_LINK = re.compile(r"^/c/([A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4})/?$")


class JoinError(Exception):
    """Joining failed; the message says why and what to do."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Membership:
    link: str  # the join link as given, so a changed WORKBOOK_CLASSROOM means a new class
    base_url: str
    class_code: str
    name: str
    token: str = field(repr=False)
    joined_at: str  # only outcomes recorded from then on are sent


def parse_link(link: str) -> tuple[str, str]:
    """``http://host:8100/c/ABCD-EFGH`` -> (``http://host:8100``, ``ABCD-EFGH``)."""
    parts = urlsplit(link.strip())
    found = JOIN_LINK.match(parts.path)
    if parts.scheme not in ("http", "https") or not parts.netloc or found is None:
        raise JoinError(
            f"{link!r} is not a join link: it looks like http://192.168.1.20:8100/c/ABCD-EFGH. "
            "Copy it exactly as your instructor shows it."
        )
    return f"{parts.scheme}://{parts.netloc}", found.group(1)


def join(
    link: str, name: str, folder: Path | None = None, *, since: str | None = None
) -> Membership:
    """Join the class behind ``link`` as ``name``; raises ``JoinError`` with the fix."""
    folder = folder or workbook_dir()
    base_url, code = parse_link(link)
    try:
        status, body, _ = post(f"{base_url}/c/{code}/learners", {"name": name})
    except OSError as exc:
        raise JoinError(
            f"Could not reach the classroom at {base_url} ({exc}). Check the link, and that "
            "this machine is on the same network as the instructor's."
        ) from exc
    if status != 201:
        raise JoinError(_refusal(status, body), status)
    joined_at = since or datetime.now(UTC).isoformat(timespec="microseconds")
    member = Membership(link.strip(), base_url, code, body["name"], body["token"], joined_at)
    folder.mkdir(parents=True, exist_ok=True)
    _write_private(folder / MEMBERSHIP_NAME, json.dumps(asdict(member), indent=2))
    (folder / SENT_MARK_NAME).unlink(missing_ok=True)  # a new class: the log is read afresh
    return member


def leave(folder: Path | None = None) -> bool:
    """Stop sending; the classroom keeps what it has (the instructor wipes it)."""
    folder = folder or workbook_dir()
    found = (folder / MEMBERSHIP_NAME).exists()
    for name in (MEMBERSHIP_NAME, SENT_MARK_NAME):
        (folder / name).unlink(missing_ok=True)
    return found


def membership(folder: Path | None = None) -> Membership | None:
    try:
        data = json.loads(((folder or workbook_dir()) / MEMBERSHIP_NAME).read_text("utf-8"))
        return Membership(**data)
    except (OSError, ValueError, TypeError):
        return None


def _refusal(status: int, body: dict[str, Any]) -> str:
    detail = str(body.get("detail", "")) if isinstance(body, dict) else ""
    if status == 404:
        return "The classroom has no such class: check the link (the class code is after /c/)."
    if status == 409:
        return detail or "That name is taken in this class: choose another."
    if status == 422:
        return "The classroom refused that name: use 1 to 40 printable characters."
    if status == 429:
        return "The classroom is busy: wait a minute and join again."
    return f"The classroom answered {status}: {detail or 'no details'}."


def _write_private(path: Path, text: str) -> None:
    # The token is the learner's identity in the class: readable by its owner only.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


@functools.cache
def _opener() -> Any:
    """No proxies: the classroom is on the room's network, and a proxy from the environment
    would either not reach it or see the token. No redirects: one would carry the token to
    another address. Built on first use, in the sending thread: urllib takes tens of
    milliseconds to import, which a check must not wait for."""
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    return urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect())


def post(
    url: str, body: dict[str, Any], token: str | None = None
) -> tuple[int, dict[str, Any], Any]:
    """POST JSON with a one-second timeout: (status, JSON body, headers); OSError if unreachable."""
    import urllib.error
    import urllib.request

    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked by parse_link
        url, data=json.dumps(body).encode(), headers=headers, method="POST"
    )
    try:
        with _opener().open(request, timeout=TIMEOUT) as response:
            return response.status, _json(response.read()), response.headers
    except urllib.error.HTTPError as error:
        with error:
            return error.code, _json(error.read()), error.headers


def _json(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(data or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
