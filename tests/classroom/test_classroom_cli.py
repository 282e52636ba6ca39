"""`python -m classroom`: what it prints, and how it refuses and wipes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from classroom.__main__ import room_address

ROOT = Path(__file__).resolve().parents[2]


def run_classroom(*args: str, database_url: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "classroom", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_prints_both_links_and_keeps_the_class_across_restarts(serve_classroom, tmp_path):
    first = serve_classroom()
    first.stop()
    second = serve_classroom()
    assert second.code == first.code and second.key != first.key  # a new key at every start
    text = "".join(second.output)
    assert f"python -m support join {second.base_url}/c/{second.code}" in text
    assert "--host 0.0.0.0" in text  # on loopback it says how to let the room in
    third = serve_classroom(None, "--new-class")
    assert third.code != second.code


def test_a_taken_port_is_refused_before_any_link_is_printed(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        url = f"sqlite+aiosqlite:///{(tmp_path / 'c.sqlite3').as_posix()}"
        done = run_classroom("--port", str(port), database_url=url)
    assert done.returncode == 2
    assert "is a classroom already running?" in done.stderr
    assert "join" not in done.stdout


def test_wipe_removes_the_database(serve_classroom, tmp_path):
    database = tmp_path / "served.sqlite3"
    serve_classroom().stop()
    assert database.exists()
    url = f"sqlite+aiosqlite:///{database.as_posix()}"
    refused = subprocess.run(
        [sys.executable, "-m", "classroom", "--wipe"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        input="n\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 1 and database.exists()
    done = run_classroom("--wipe", "--yes", database_url=url)
    assert done.returncode == 0, done.stderr
    assert not database.exists()
    assert not list(tmp_path.glob("served.sqlite3-*"))


def test_the_room_address_is_an_address():
    address = room_address()
    socket.inet_aton(address)  # raises if it is not an IPv4 address
