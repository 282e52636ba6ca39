"""What several notebooks' checks share: watching the SQL a learner's code sends."""

from __future__ import annotations

import re
from typing import Any


def record_sql(Session: Any) -> list[tuple[str, Any]]:
    """Every statement (whitespace collapsed) and its parameters the check's engine sends."""
    from sqlalchemy import event

    sent: list[tuple[str, Any]] = []
    event.listen(
        Session.kw["bind"].sync_engine,
        "before_cursor_execute",
        lambda _conn, _cursor, statement, parameters, *_: sent.append(
            (" ".join(statement.split()), parameters)
        ),
    )
    return sent


def unordered_scans_reversed(Session: Any) -> None:
    """SQLite's switch for finding code that relies on an unspecified order: scans without
    ORDER BY come back reversed, on every connection the engine hands out from now on."""
    from sqlalchemy import event

    def reverse(dbapi_connection: Any, *_: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA reverse_unordered_selects = ON")
        cursor.close()

    event.listen(Session.kw["bind"].sync_engine, "checkout", reverse)


def clause(sql: str, keyword: str) -> str | None:
    """The text after `keyword` up to the next clause, e.g. `items.created_at` for ORDER BY."""
    found = re.search(rf"\b{keyword} (.+?)(?= LIMIT\b| OFFSET\b| ORDER BY\b|$)", sql, re.IGNORECASE)
    return found.group(1) if found else None


def limit_sent(sql: str, params: Any) -> int | None:
    """The number in a statement's `LIMIT`, bound (`LIMIT ?`) or written in the SQL."""
    found = re.search(r"\bLIMIT (\?|-?\d+)", sql)
    if found is None:
        return None
    if found[1] != "?":
        return int(found[1])
    position = sql[: found.start()].count("?")
    if isinstance(params, (tuple, list)) and position < len(params):
        value = params[position]
        return value if isinstance(value, int) else None
    return None
