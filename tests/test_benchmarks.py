"""`make bench` drives two services with one script: both must answer its requests the same way.

Nothing here is timed (speed is measured by `make bench`, never asserted). These tests keep the
benchmark honest: if either service stopped answering the script's register, login and
authenticated read, the comparison would break or, worse, compare different work.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a long and lovely passphrase"


@pytest.fixture
def reference_client(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{(tmp_path / 'ref.db').as_posix()}")
    monkeypatch.setenv("SECRET_KEY", "a secret for this test only, 32+ characters")
    monkeypatch.setenv("BCRYPT_ROUNDS", "4")
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    sys.modules.pop("reference_app", None)  # it reads the environment when imported
    module = importlib.import_module("reference_app")
    with TestClient(module.app) as client:
        yield client
    sys.modules.pop("reference_app", None)


def test_the_reference_answers_the_benchmarks_requests(reference_client):
    client = reference_client
    account = {"email": "a@example.com", "password": PASSWORD}
    assert client.post("/users/", json=account).status_code == 201
    login = client.post("/auth/token", data={"username": "a@example.com", "password": PASSWORD})
    assert login.status_code == 200 and login.json()["token_type"] == "bearer"
    token = login.json()["access_token"]
    me = client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["email"] == "a@example.com"
    assert client.get("/health").json() == {"status": "ok"}


def test_the_reference_looks_the_user_up_on_every_read(reference_client):
    """The yardstick does the same work as the package: a valid token for no user is refused."""
    module = sys.modules["reference_app"]
    token = module.create_access_token("999")
    response = reference_client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_the_settings_the_benchmark_serves_with_are_the_packages(monkeypatch):
    """A renamed setting would be ignored silently: the storm would then measure the throttle."""
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    bench = importlib.import_module("bench")
    from app.core.config import Settings

    assert set(bench.SERVER_SETTINGS) <= set(Settings.model_fields)
    values = {**bench.SERVER_SETTINGS, "SECRET_KEY": "SY1R-738aaAmAMUUP8DBWr1TSMXUN0zG6NKT8WG1rxY"}
    settings = Settings(_env_file=None, **values)
    assert settings.LOGIN_FAILURES_PER_CLIENT >= bench.WRONG_LOGINS
