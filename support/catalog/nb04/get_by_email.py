"""Notebook 04 · CRUD, exercise `get_by_email`: its check and hints."""

from __future__ import annotations

from typing import Any

from support.catalog.fixtures import clause, record_sql
from support.catalog.nb04._shared import _add_owner
from support.exercises import CheckContext, Incorrect, describe

STRASSE = "straße@example.com"  # what UserCreate stores for `Straße@Example.com`

HINTS = [
    "`UserCreate` stores emails lowercased. Which side of the comparison with `User.email` "
    "still needs lowercasing, and which side must stay as it is so the database can use "
    "its index?",
    "Lowercase the argument with `email.lower()` and compare with `==` (not `ilike`, "
    "whose `_` and `%` are wildcards); `(await db.execute(query)).scalar_one_or_none()` "
    "gives the user or `None`, where `scalar_one()` would raise for nobody.",
    "The shape: `query = select(User).where(User.email == ...)`, then "
    "`return (await db.execute(query)).scalar_one_or_none()`.",
]


def _not_compared(email: str, what: str) -> Incorrect:
    return Incorrect(
        f"`get_by_email(db, {email!r})` {what}: your query does not compare the address, so "
        "it hands back users whatever address it is given (no `where`, a `!=`, or a condition "
        "that is always true). Keep only the user whose address equals the one asked for: "
        "`select(User).where(User.email == ...)`.",
        code="address-not-compared",
    )


async def _lookup(ctx: CheckContext, get_by_email: Any, db: Any, email: str) -> Any:
    from app.models import User

    try:
        found = await ctx.call(get_by_email, db, email)
    except Incorrect as exc:
        raised = type(exc.__cause__).__name__
        if raised == "NoResultFound":
            raise Incorrect(
                f"`get_by_email(db, {email!r})` raised NoResultFound for an address nobody "
                "registered. Return `None` instead: `result.scalar_one_or_none()`.",
                code="scalar-one",
            ) from None
        if raised == "MultipleResultsFound":
            raise _not_compared(
                email, "raised MultipleResultsFound, as it matched several users"
            ) from None
        raise
    if found is not None and not isinstance(found, User):
        raise Incorrect(
            f"`get_by_email` returned {describe(found)}. Return the `User` itself or `None`: "
            "`(await db.execute(query)).scalar_one_or_none()`.",
            code="returns-not-a-user",
        )
    return found


async def _finds(
    ctx: CheckContext, get_by_email: Any, db: Any, email: str, stored: str | None
) -> bool:
    """Look `email` up; False if it found nobody where `stored` was expected."""
    found = await _lookup(ctx, get_by_email, db, email)
    if found is not None and found.email != stored:
        raise _not_compared(email, f"found {found.email}")
    return found is not None or stored is None


async def _query_plan(Session: Any, sql: str, params: Any) -> list[str]:
    """SQLite's plan for a statement: `SEARCH users USING INDEX ...` or `SCAN users`."""
    async with Session() as db:
        conn = await db.connection()
        plan = await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)
        return [str(row[-1]) for row in plan.all()]


async def check(ctx: CheckContext, get_by_email: Any) -> None:
    from app.schemas.user import UserCreate

    ctx.require_function(get_by_email, is_async=True, name="get_by_email")
    async with ctx.database() as Session:
        async with Session() as db:
            await _add_owner(db, "ada@example.com")
            await _add_owner(db, "grace@example.com")
            # Stored the way the package stores every address: through UserCreate.
            await _add_owner(db, UserCreate(email="Straße@Example.com", password="x" * 8).email)
            await db.commit()
        sent = record_sql(Session)

        async with Session() as db:
            for spelling in ("Ada@Example.com", "ADA@EXAMPLE.COM"):
                if not await _finds(ctx, get_by_email, db, spelling, "ada@example.com"):
                    raise Incorrect(
                        f"`get_by_email(db, {spelling!r})` did not find ada@example.com. Emails "
                        "are stored lowercase, so lowercase the address you were given before "
                        "comparing: `User.email == email.lower()`.",
                        code="case-sensitive",
                    )
            if not await _finds(ctx, get_by_email, db, "Straße@Example.com", STRASSE):
                raise Incorrect(
                    f"`get_by_email(db, 'Straße@Example.com')` did not find {STRASSE}, "
                    "stored as `UserCreate` stores every address: lowercased with `str.lower`. "
                    "The lookup must normalise the way the storing did; `casefold()` and "
                    "`upper()` turn `ß` into `ss`, `lower()` keeps it: `email.lower()`.",
                    code="normalised-differently",
                )
            await _finds(ctx, get_by_email, db, "nobody@example.com", None)
            # It compares the address; does it compare it exactly?
            if await _lookup(ctx, get_by_email, db, "a_a@example.com") is not None:
                raise Incorrect(
                    "`get_by_email(db, 'a_a@example.com')` found ada@example.com: `like` and "
                    "`ilike` treat `_` and `%` as wildcards, so one address matches others. "
                    "Compare with `==` after lowercasing: `User.email == email.lower()`.",
                    code="wildcards",
                )

            # It answers correctly; now, does it let the index on users.email do the work?
            sent.clear()
            await _lookup(ctx, get_by_email, db, "Ada@Example.com")
            lookups = [(sql, params) for sql, params in sent if " FROM users" in sql]
            searches = [(sql, params) for sql, params in lookups if " WHERE " in sql]
            if lookups and not searches:
                raise Incorrect(
                    "`get_by_email` read every user (`SELECT ... FROM users` without WHERE) and "
                    "searched them in Python: every login would load the whole table. Let the "
                    "database find the one row: `select(User).where(User.email == ...)`.",
                    code="filters-in-python",
                )
            for sql, params in searches:
                scans = [
                    step
                    for step in await _query_plan(Session, sql, params)
                    if step.upper().startswith("SCAN")
                ]
                if scans:
                    raise Incorrect(
                        f"`get_by_email` sent `WHERE {clause(sql, 'WHERE')}`, and the database "
                        "cannot use the index on `email` for that: it computes the expression "
                        f"for every row, scanning the whole table on each login (its query "
                        f"plan: `{scans[0]}`). Stored addresses are already lowercase, so leave "
                        "the column alone and lowercase only the address you were given: "
                        "`User.email == email.lower()`.",
                        code="index-unused",
                    )
