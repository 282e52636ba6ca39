"""Fixtures for the classroom's tests: the app in-process, a real `python -m classroom`, and a
private working folder for the learner's side (``WORKBOOK_DIR``).

The API tests run on a fresh SQLite file, and also on PostgreSQL when TEST_DATABASE_URL is a
postgresql+asyncpg:// URL (the classroom's tables are dropped and made again for each test).
"""

from __future__ import annotations

import asyncio
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.pool import NullPool

from classroom.config import Settings
from classroom.database import Base, make_engine
from classroom.main import create_app, open_class

ROOT = Path(__file__).resolve().parents[2]
BOARD_LINE = re.compile(r"(http://\S+)/c/([A-Z0-9]{4}-[A-Z0-9]{4})/board#key=(\S+)")
JOIN_LINE = re.compile(r"python -m support join (http://\S+/c/[A-Z0-9]{4}-[A-Z0-9]{4})")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _backends() -> list[Any]:
    backends = [pytest.param("sqlite", id="sqlite")]
    if os.environ.get("TEST_DATABASE_URL"):
        backends.append(pytest.param("postgres", id="postgres", marks=pytest.mark.postgres))
    return backends


async def _reset_tables(url: str) -> None:
    engine = make_engine(url, poolclass=NullPool)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.drop_all)
    await engine.dispose()


@pytest.fixture(params=_backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{(tmp_path / 'classroom.sqlite3').as_posix()}"
    url = os.environ["TEST_DATABASE_URL"]
    asyncio.run(_reset_tables(url))
    return url


@dataclass
class Class:
    client: TestClient
    code: str
    key: str
    settings: Settings

    def join(self, name: str, code: str | None = None) -> str:
        reply = self.client.post(f"/c/{code or self.code}/learners", json={"name": name})
        assert reply.status_code == 201, reply.text
        return reply.json()["token"]

    def post(
        self, token: str, *outcomes: dict[str, Any], code: str | None = None
    ) -> httpx.Response:
        return self.client.post(
            f"/c/{code or self.code}/outcomes",
            json={"outcomes": list(outcomes)},
            headers={"Authorization": f"Bearer {token}"},
        )

    def board(self, key: str | None = None, code: str | None = None) -> httpx.Response:
        return self.client.get(
            f"/c/{code or self.code}/board/data",
            headers={"Authorization": f"Bearer {key or self.key}"},
        )


@pytest.fixture
def make_class(database_url: str) -> Iterator[Callable[..., Class]]:
    """A classroom app in-process, with its settings overridden as asked."""
    clients: list[TestClient] = []

    def make(**overrides: Any) -> Class:
        settings = Settings(DATABASE_URL=database_url, **overrides)
        code, key = asyncio.run(open_class(settings, new=True))
        client = TestClient(create_app(settings))
        client.__enter__()
        clients.append(client)
        return Class(client, code, key, settings)

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def room(make_class: Callable[..., Class]) -> Class:
    return make_class()


@pytest.fixture
def workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The learner's working folder, private to the test."""
    folder = tmp_path / "workbook"
    monkeypatch.setenv("WORKBOOK_DIR", str(folder))
    monkeypatch.delenv("WORKBOOK_CLASSROOM", raising=False)
    monkeypatch.delenv("WORKBOOK_NAME", raising=False)
    return folder


@dataclass
class Served:
    """A real `python -m classroom`, and the links it printed."""

    process: subprocess.Popen[str]
    base_url: str
    code: str
    key: str
    join_link: str
    output: list[str]

    @property
    def board_url(self) -> str:
        return f"{self.base_url}/c/{self.code}/board#key={self.key}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def serve(database_url: str, port: int, *args: str) -> Served:
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "classroom", "--port", str(port), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    output: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    join_link = board = None
    deadline = time.monotonic() + 30
    while board is None and time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            if process.poll() is not None:
                break
            continue
        join_link = join_link or (JOIN_LINE.search(line) and JOIN_LINE.search(line).group(1))
        board = BOARD_LINE.search(line)
    if board is None or join_link is None:
        process.kill()
        pytest.fail("python -m classroom printed no links:\n" + "".join(output))
    served = Served(process, board.group(1), board.group(2), board.group(3), join_link, output)
    for _ in range(200):
        try:
            if httpx.get(f"{served.base_url}/health", timeout=1).status_code == 200:
                return served
        except httpx.TransportError:
            time.sleep(0.1)
    served.stop()
    pytest.fail("python -m classroom did not answer /health:\n" + "".join(output))


@pytest.fixture
def serve_classroom(tmp_path: Path) -> Iterator[Callable[..., Served]]:
    """Start (and restart) real classrooms; all are stopped at the end of the test."""
    started: list[Served] = []

    def start(port: int | None = None, *args: str, database_url: str | None = None) -> Served:
        url = database_url or f"sqlite+aiosqlite:///{(tmp_path / 'served.sqlite3').as_posix()}"
        served = serve(url, port or free_port(), *args)
        started.append(served)
        return served

    yield start
    for served in started:
        served.stop()
