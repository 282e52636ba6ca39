"""Behaviours 1, 2 and 8: nothing is reported saved unless it was, races end in 409, and
server-set timestamps can be read after a write."""

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, OperationalError, StatementError
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.deps import SessionDep
from app.core.database import make_engine
from app.core.exceptions import NotFoundError
from app.models import Item, User


def test_failed_commit_is_an_error_response_and_saves_nothing(
    application: FastAPI, sql, password: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def failing_commit(self: AsyncSession) -> None:
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(AsyncSession, "commit", failing_commit)
    with TestClient(application, raise_server_exceptions=False) as client:
        response = client.post("/users/", json={"email": "ann@example.com", "password": password})

    assert response.status_code == 500
    assert response.json() == {
        "code": "internal_error",
        "detail": "Internal server error.",
        "errors": [],
    }
    assert sql("SELECT count(*) FROM users") == [(0,)]


def test_integrity_error_at_commit_is_a_409(
    application: FastAPI, sql, password: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def conflicting_commit(self: AsyncSession) -> None:
        raise IntegrityError("COMMIT", {}, Exception("deferred constraint violated"))

    monkeypatch.setattr(AsyncSession, "commit", conflicting_commit)
    with TestClient(application) as client:
        response = client.post("/users/", json={"email": "ann@example.com", "password": password})

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert "deferred constraint" not in response.text
    assert sql("SELECT count(*) FROM users") == [(0,)]


@pytest.mark.anyio
async def test_concurrent_registrations_of_one_email(
    application: FastAPI, sql, password: str
) -> None:
    body = {"email": "race@example.com", "password": password}
    transport = httpx.ASGITransport(app=application)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            responses = await asyncio.gather(
                *(client.post("/users/", json=body) for _ in range(20))
            )
    finally:
        await application.state.engine.dispose()

    statuses = Counter(response.status_code for response in responses)
    assert statuses == {201: 1, 409: 19}, statuses
    conflicts = [response.json() for response in responses if response.status_code == 409]
    assert all(body["detail"] == "Email already registered." for body in conflicts)
    assert sql("SELECT count(*) FROM users") == [(1,)]


@pytest.mark.anyio
async def test_updated_at_is_readable_right_after_an_update(application: FastAPI) -> None:
    sessionmaker = application.state.sessionmaker
    try:
        async with sessionmaker() as session:
            user = User(email="ann@example.com", hashed_password="not-a-real-hash")
            session.add(user)
            await session.flush()
            item = Item(title="first", owner=user)
            session.add(item)
            await session.commit()
            assert user.updated_at is None

            user.email = "ann2@example.com"
            item.title = "renamed"
            await session.flush()
            # No refresh: eager_defaults fetched the values in the UPDATE itself.
            for row in (user, item):
                assert row.updated_at is not None
                assert row.updated_at.tzinfo is not None
                assert row.updated_at.utcoffset() == UTC.utcoffset(None)
            await session.commit()
    finally:
        await application.state.engine.dispose()


def test_an_error_after_a_write_rolls_the_write_back(application: FastAPI, sql) -> None:
    async def write_then_fail(db: SessionDep) -> None:
        db.add(User(email="ghost@example.com", hashed_password="not-a-real-hash"))
        await db.flush()
        raise NotFoundError("Something needed later was missing.")

    application.add_api_route("/_test/write-then-fail", write_then_fail, methods=["POST"])
    with TestClient(application) as client:
        response = client.post("/_test/write-then-fail")

    assert response.status_code == 404
    assert sql("SELECT count(*) FROM users") == [(0,)]


@pytest.mark.anyio
async def test_utc_datetime_stores_any_aware_time_and_returns_utc(application: FastAPI) -> None:
    sessionmaker = application.state.sessionmaker
    noon_in_paris = datetime(2026, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    try:
        async with sessionmaker() as session:
            session.add(
                User(email="ann@example.com", hashed_password="x", created_at=noon_in_paris)
            )
            await session.commit()
        async with sessionmaker() as session:
            stored = await session.scalar(select(User.created_at))
            naive = User(
                email="bob@example.com", hashed_password="x", created_at=datetime(2026, 1, 1)
            )
            session.add(naive)
            with pytest.raises(StatementError, match="timezone-aware"):
                await session.flush()
    finally:
        await application.state.engine.dispose()

    assert stored == noon_in_paris
    assert stored.tzinfo is UTC
    assert stored.hour == 10


CONCURRENT_WRITES = 300


@pytest.mark.anyio
async def test_many_concurrent_writes_all_succeed(application: FastAPI, sql, password: str) -> None:
    """SQLite has one writer at a time; the others must wait their turn, not fail with a 500
    "database is locked" (its default wait, 5 s, runs out under a few hundred at once)."""
    transport = httpx.ASGITransport(app=application, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            await client.post("/users/", json={"email": "ann@example.com", "password": password})
            form = {"username": "ann@example.com", "password": password}
            token = (await client.post("/auth/token", data=form)).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            responses = await asyncio.gather(
                *(
                    client.post("/items/", json={"title": f"item {i}"}, headers=headers)
                    for i in range(CONCURRENT_WRITES)
                )
            )
    finally:
        await application.state.engine.dispose()

    assert Counter(response.status_code for response in responses) == {201: CONCURRENT_WRITES}
    assert sql("SELECT count(*) FROM items") == [(CONCURRENT_WRITES,)]


@pytest.mark.anyio
async def test_sqlite_files_wait_for_the_lock_and_let_readers_read_during_writes(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'locks.db'}")
    try:
        async with engine.connect() as connection:
            journal = await connection.scalar(text("PRAGMA journal_mode"))
            busy_ms = await connection.scalar(text("PRAGMA busy_timeout"))
    finally:
        await engine.dispose()

    assert journal == "wal"  # readers no longer wait for a writer's commit
    assert busy_ms >= 30_000
