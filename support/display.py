"""Compact, stable views of what a notebook shows: rows, responses, errors, feedback.

Stored outputs are part of the text and CI compares them, so everything that would change
from run to run (timestamps, hashes, tokens, addresses, paths) is shown by its shape.
Every view has a plain-text form (what nbval compares and what a terminal shows) and an HTML
form for JupyterLab.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from support.abandoned import close_abandoned_calls

_JWT = re.compile(r"^eyJ[\w-]+\.[\w-]+\.[\w-]*$")
_BCRYPT = re.compile(r"^\$2[aby]?\$(\d\d)\$[./A-Za-z0-9]{53}$")
_ISO = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?$")
_TIME_CLAIMS = {"exp", "iat", "nbf"}


def show(obj: Any) -> None:
    """Display ``obj`` in the notebook (rich), or print its plain form elsewhere."""
    try:
        from IPython import get_ipython
        from IPython.display import display

        if get_ipython() is not None:
            display(obj)
            return
    except ImportError:  # pragma: no cover - IPython is always there with JupyterLab
        pass
    print(repr(obj))


# --------------------------------------------------------------------------------------------
# Masking what would change between runs


def mask(value: Any, key: str = "") -> Any:
    """Replace values that change between runs by a description of their shape."""
    if isinstance(value, Mapping):
        return {k: mask(v, str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask(v, key) for v in value]
    if isinstance(value, datetime):
        return _describe_datetime(value)
    if isinstance(value, date):
        return "<date>"
    if key in _TIME_CLAIMS and isinstance(value, (int, float)):
        return "<unix time>"
    if isinstance(value, str):
        if _JWT.match(value):
            return "<JWT: header.payload.signature>"
        found = _BCRYPT.match(value)
        if found:
            return f"<bcrypt hash, cost {int(found.group(1))}>"
        if _ISO.match(value):
            return _describe_timestamp(value)
    return value


def _describe_datetime(value: datetime) -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        return "<datetime, naive: no time zone>"
    if value.utcoffset().total_seconds() == 0:
        return "<datetime, UTC>"
    return f"<datetime, UTC{value.strftime('%z')}>"


def _describe_timestamp(text: str) -> str:
    if text.endswith("Z") or text.endswith("+00:00") or text.endswith("+0000"):
        return "<timestamp, UTC>"
    if re.search(r"[+-]\d\d:?\d\d$", text):
        return "<timestamp, with offset>"
    return "<timestamp, naive: no time zone>"


def as_record(obj: Any, columns: Sequence[str] | None = None) -> dict[str, Any]:
    """A mapping of column to value for an ORM object, a pydantic model, a row or a dict."""
    if isinstance(obj, Mapping):
        record = dict(obj)
    elif hasattr(obj, "model_dump"):
        record = obj.model_dump()
    elif hasattr(obj, "_mapping"):
        record = dict(obj._mapping)
    elif hasattr(obj, "__table__"):
        # Only columns already loaded: reading an expired one would hit the database.
        loaded = obj.__dict__
        record = {c.key: loaded.get(c.key, "<not loaded>") for c in obj.__table__.columns}
    else:
        record = {"value": obj}
    if columns is not None:
        record = {c: record.get(c, "") for c in columns}
    return record


# --------------------------------------------------------------------------------------------
# Tables and responses


@dataclass
class Table:
    records: list[dict[str, Any]]
    title: str = ""

    def _columns(self) -> list[str]:
        seen: dict[str, None] = {}
        for record in self.records:
            seen.update(dict.fromkeys(record))
        return list(seen)

    def __repr__(self) -> str:
        if not self.records:
            return f"{self.title + ': ' if self.title else ''}(no rows)"
        cols = self._columns()
        cells = [[_cell(r.get(c, "")) for c in cols] for r in self.records]
        widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
        lines = [self.title] if self.title else []
        lines.append("  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip())
        lines.append("  ".join("-" * w for w in widths))
        lines += [
            "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
            for row in cells
        ]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        caption = (
            f"<caption style='text-align:left'>{_e(self.title)}</caption>" if self.title else ""
        )
        if not self.records:
            return f"<table>{caption}<tr><td><i>(no rows)</i></td></tr></table>"
        cols = self._columns()
        head = "".join(f"<th>{_e(c)}</th>" for c in cols)
        body = "".join(
            "<tr>" + "".join(f"<td>{_e(_cell(r.get(c, '')))}</td>" for c in cols) + "</tr>"
            for r in self.records
        )
        return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


def rows(objs: Iterable[Any] | Any, columns: Sequence[str] | None = None, title: str = "") -> Table:
    """A table of ORM objects, rows, models or dicts, with changing values masked."""
    # A pydantic model iterates as (field, value) pairs, a row as its values: each is one record.
    single = isinstance(objs, (str, bytes, Mapping)) or hasattr(objs, "model_dump")
    if (
        single
        or hasattr(objs, "_mapping")
        or hasattr(objs, "__table__")
        or not isinstance(objs, Iterable)
    ):
        objs = [objs]
    records = [mask(as_record(o, columns)) for o in objs]
    return Table(records, title)


@dataclass
class Response:
    status: str
    headers: dict[str, str]
    body: Any

    def _text(self) -> str:
        lines = [self.status]
        lines += [f"{k}: {v}" for k, v in self.headers.items()]
        if self.body is not None:
            lines.append(
                self.body
                if isinstance(self.body, str)
                else json.dumps(self.body, indent=2, ensure_ascii=False)
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self._text()

    def _repr_html_(self) -> str:
        return f"<pre style='margin:0'>{_e(self._text())}</pre>"


SHOWN_HEADERS = ("www-authenticate", "location", "retry-after")
# The current names (RFC 9110), which Python says only from 3.13: the same output on 3.11 to 3.13.
_RFC_9110_PHRASES = {
    413: "Content Too Large",
    416: "Range Not Satisfiable",
    422: "Unprocessable Content",
}


def response(resp: Any, headers: Sequence[str] = SHOWN_HEADERS) -> Response:
    """An HTTP response as status line, the headers that matter, and a masked JSON body."""
    from http import HTTPStatus

    try:
        phrase = _RFC_9110_PHRASES.get(resp.status_code) or HTTPStatus(resp.status_code).phrase
    except ValueError:
        phrase = ""
    shown = {h: resp.headers[h] for h in headers if h in resp.headers}
    body: Any
    if not resp.content:
        body = None
    else:
        try:
            body = mask(resp.json())
        except ValueError:
            body = resp.text
    return Response(f"{resp.status_code} {phrase}".rstrip(), shown, body)


# --------------------------------------------------------------------------------------------
# Errors shown on purpose


def error_line(exc: BaseException) -> str:
    """The exception's type and first line: the part a learner needs, with nothing that
    changes between machines (SQLAlchemy's SQL, parameters and background links dropped)."""
    text = str(exc).strip().splitlines()
    first = text[0] if text else ""
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


class Expected:
    def __init__(self) -> None:
        self.exception: BaseException | None = None


@contextmanager
def expect(*types: type[BaseException]) -> Iterator[Expected]:
    """Run a block that should fail, and show the real error instead of a traceback.

    ``with expect(IntegrityError): await session.commit()`` prints
    ``IntegrityError (as expected): (sqlite3.IntegrityError) UNIQUE constraint failed ...``.
    An error of another type is not caught: it is a real failure.
    """
    seen = Expected()
    wanted = types or (Exception,)
    try:
        yield seen
    except wanted as exc:
        close_abandoned_calls(exc)  # or the driver's unstarted call warns in some later cell
        seen.exception = exc
        # One write, so the kernel can never store the line and its newline as two outputs.
        sys.stdout.write(f"{error_line(exc)}  <- raised, as expected\n")
    else:
        names = " or ".join(t.__name__ for t in wanted)
        sys.stdout.write(f"No {names} was raised.\n")


# --------------------------------------------------------------------------------------------
# Feedback, hints and code


_STYLES = {
    "correct": ("#1b5e20", "#e8f5e9", "\u2713 Correct"),
    "incorrect": ("#b71c1c", "#ffebee", "\u2717 Incorrect"),
    "not attempted": ("#0d47a1", "#e3f2fd", "\u25cb Not attempted yet"),
    "hint": ("#4a148c", "#f3e5f5", "Hint"),
}


def plain_feedback(status: str, message: str) -> str:
    return f"{_STYLES[status][2]}: {message}"


def html_feedback(status: str, message: str) -> str:
    return _box(status, _STYLES[status][2], message)


def _box(kind: str, title: str, message: str) -> str:
    fg, bg, _ = _STYLES[kind]
    return (
        f"<div style='border-left:4px solid {fg};background:{bg};color:#212121;"
        f"padding:6px 10px;margin:2px 0'><b style='color:{fg}'>{_e(title)}</b>: "
        f"{_inline_code(message)}</div>"
    )


@dataclass
class Block:
    kind: str
    text: str
    title: str = ""

    def __repr__(self) -> str:
        return f"{self.title or _STYLES[self.kind][2]}: {self.text}"

    def _repr_html_(self) -> str:
        return _box(self.kind, self.title or _STYLES[self.kind][2], self.text)


@dataclass
class Code:
    source: str
    title: str = ""

    def __repr__(self) -> str:
        return f"{self.title}\n\n{self.source}" if self.title else self.source

    def _repr_html_(self) -> str:
        from pygments import highlight
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import PythonLexer

        code = highlight(self.source, PythonLexer(), HtmlFormatter(noclasses=True, nowrap=True))
        title = f"<b>{_e(self.title)}</b>" if self.title else ""
        return (
            f"<div style='border-left:4px solid #1b5e20;padding:4px 10px'>{title}"
            f"<pre style='margin:4px 0'>{code}</pre></div>"
        )


def _e(text: str) -> str:
    return html.escape(str(text), quote=False)


def _inline_code(message: str) -> str:
    """Escape, then render `backticks` as code and blank lines as breaks."""
    escaped = _e(message)
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)
    return escaped.replace("\n\n", "<br>").replace("\n", "<br>")
