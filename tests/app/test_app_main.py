"""create_app: state, lifespan and the module-level app."""

import asyncio
import json
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from app.core import security
from app.core.config import Settings
from app.main import create_app


def _settings(tmp_path: Path, **overrides: object) -> Settings:
    values = {
        "ENVIRONMENT": "test",
        "SECRET_KEY": "test-only-secret-key-that-is-long-enough-0123456789",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'app.db'}",
        "BCRYPT_ROUNDS": 4,
        "CREATE_TABLES": False,
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_create_app_keeps_its_plumbing_on_state(tmp_path: Path) -> None:
    settings = _settings(tmp_path)

    application = create_app(settings)

    assert application.state.settings is settings
    assert isinstance(application.state.engine, AsyncEngine)
    assert isinstance(application.state.sessionmaker, async_sessionmaker)
    assert security.pwd_context.handler().default_rounds == 4


def test_creating_the_app_does_not_touch_the_database(tmp_path: Path) -> None:
    create_app(_settings(tmp_path))

    assert not (tmp_path / "app.db").exists()


def test_module_level_app_uses_the_default_settings() -> None:
    from app import main

    assert isinstance(main.app.state.settings, Settings)
    assert set(main.app.openapi()["paths"]) >= {"/health", "/auth/token", "/users/me"}


def test_create_tables_at_startup_and_dispose_at_shutdown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, password: str
) -> None:
    application = create_app(_settings(tmp_path, CREATE_TABLES=True))
    disposed: list[bool] = []
    real_dispose = AsyncEngine.dispose

    async def spy(self: AsyncEngine, close: bool = True) -> None:
        disposed.append(self is application.state.engine)
        await real_dispose(self, close)

    monkeypatch.setattr(AsyncEngine, "dispose", spy)

    with TestClient(application) as client:
        body = {"email": "ann@example.com", "password": password}
        assert client.post("/users/", json=body).status_code == 201
        assert disposed == []

    assert disposed == [True]


def test_without_create_tables_startup_leaves_the_database_alone(tmp_path: Path) -> None:
    with TestClient(create_app(_settings(tmp_path))) as client:
        assert client.get("/health").json() == {"status": "ok"}

    assert not (tmp_path / "app.db").exists()


async def _call(
    application: FastAPI, path: str, headers: dict[str, str], chunks: list[bytes]
) -> tuple[int, dict[str, object], int]:
    """One POST straight through ASGI: the status, the JSON body, and how often it read."""
    reads = 0
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        nonlocal reads
        reads += 1
        if reads > len(chunks):
            return {"type": "http.disconnect"}
        return {"type": "http.request", "body": chunks[reads - 1], "more_body": reads < len(chunks)}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    await application(scope, receive, send)
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return int(sent[0]["status"]), json.loads(body), reads


def test_a_declared_body_over_the_limit_is_refused_before_a_byte_is_read(tmp_path: Path) -> None:
    application = create_app(_settings(tmp_path, MAX_BODY_BYTES=1000))
    headers = {"content-type": "application/json", "content-length": str(300 * 1024 * 1024)}

    status, body, reads = asyncio.run(_call(application, "/users/", headers, [b"{"]))

    assert status == 413
    assert body["code"] == "content_too_large"
    assert "1000 bytes" in body["detail"]
    assert reads == 0


def test_a_chunked_body_is_refused_as_soon_as_it_passes_the_limit(tmp_path: Path) -> None:
    application = create_app(_settings(tmp_path, MAX_BODY_BYTES=1000))
    headers = {"content-type": "application/json", "transfer-encoding": "chunked"}
    chunks = [b"x" * 600] * 500  # 300 KB that never fit

    status, body, reads = asyncio.run(_call(application, "/users/", headers, chunks))

    assert status == 413
    assert body["code"] == "content_too_large"
    assert reads == 2  # 600 bytes, then 1,200: refused there


@pytest.mark.parametrize(
    ("method", "path"), [("POST", "/users/"), ("POST", "/auth/token"), ("GET", "/health")]
)
def test_every_route_refuses_a_body_over_the_limit(tmp_path: Path, method: str, path: str) -> None:
    with TestClient(create_app(_settings(tmp_path, MAX_BODY_BYTES=1000))) as client:
        response = client.request(method, path, content=b"x" * 1001)

    assert response.status_code == 413
    assert response.json()["code"] == "content_too_large"


def test_a_body_at_the_limit_is_read_as_usual(tmp_path: Path, password: str) -> None:
    settings = _settings(tmp_path, MAX_BODY_BYTES=1000, CREATE_TABLES=True)
    body = json.dumps({"email": "ann@example.com", "password": password}).encode()
    body += b" " * (1000 - len(body))

    with TestClient(create_app(settings)) as client:
        response = client.post(
            "/users/", content=body, headers={"content-type": "application/json"}
        )

    assert response.status_code == 201, response.text


def test_the_default_limit_is_one_mebibyte(tmp_path: Path) -> None:
    with TestClient(create_app(_settings(tmp_path))) as client:
        response = client.post("/users/", content=b"x" * (1024 * 1024 + 1))

    assert response.status_code == 413
