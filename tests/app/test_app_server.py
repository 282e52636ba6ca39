"""Smoke test: the real server, started the way `make serve` starts it."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

SOLUTIONS_DIR = Path(__file__).resolve().parents[2] / "solutions"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = _free_port()
    env = {
        **os.environ,
        "ENVIRONMENT": "test",
        "SECRET_KEY": "test-only-secret-key-that-is-long-enough-0123456789",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'server.db'}",
        "CREATE_TABLES": "true",
        "BCRYPT_ROUNDS": "4",
    }
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=SOLUTIONS_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            if process.poll() is not None:
                pytest.fail(f"uvicorn exited early:\n{process.stderr.read().decode()}")
            try:
                if httpx.get(f"{base_url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("uvicorn did not answer /health within 20 seconds")
        yield base_url, process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        process.stderr.close()


def test_register_login_and_read_me_on_a_real_server(
    server: tuple[str, subprocess.Popen[bytes]], password: str
) -> None:
    base_url, process = server
    with httpx.Client(base_url=base_url, timeout=10) as client:
        assert client.get("/health").json() == {"status": "ok"}
        created = client.post("/users/", json={"email": "ann@example.com", "password": password})
        assert created.status_code == 201, created.text
        token = client.post(
            "/auth/token", data={"username": "ann@example.com", "password": password}
        )
        assert token.status_code == 200, token.text
        bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
        me = client.get("/users/me", headers=bearer)

    assert me.status_code == 200
    assert me.json()["email"] == "ann@example.com"

    process.terminate()
    # uvicorn shuts down gracefully, then re-raises SIGTERM so its exit status reports the signal.
    assert process.wait(timeout=10) in (0, -signal.SIGTERM)
    assert b"Application shutdown complete" in process.stderr.read()
