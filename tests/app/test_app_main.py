"""create_app: state, lifespan and the module-level app."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from app.core import security
from app.core.config import Settings
from app.main import create_app


def _settings(tmp_path: Path, **overrides: object) -> Settings:
    values = {
        "ENVIRONMENT": "test",
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
