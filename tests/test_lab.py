"""JupyterLab as `make lab` and `python -m support lab` start it: at the repository root, on
notebook 00, with the workbook's configuration, as root too."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from support import labsetup

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "workbook-test-token"


def test_the_configuration_goes_where_jupyter_reads_it(tmp_path):
    written = labsetup.install_config(tmp_path)

    relative = sorted(p.relative_to(tmp_path).as_posix() for p in written)
    assert relative == [
        "etc/jupyter/jupyter_server_config.json",
        "etc/jupyter/labconfig/default_setting_overrides.json",
    ]
    server = json.loads((tmp_path / relative[0]).read_text(encoding="utf-8"))
    assert server["KernelManager"]["transport_encryption"] == "auto"


def test_lab_starts_at_the_root_on_notebook_00():
    command = labsetup.lab_command()
    assert f"--ServerApp.root_dir={ROOT}" in command
    assert "--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb" in command
    # Given a notebook's path instead, Lab would make notebooks/ its root: README unreachable.
    assert all(part.startswith("--") for part in command[3:])
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    assert ("--allow-root" in command) == as_root


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
        return response.status, response.read().decode("utf-8")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A real JupyterLab, started the way `python -m support lab` starts it."""
    port = free_port()
    prefix = tmp_path_factory.mktemp("jupyter-env")
    labsetup.install_config(prefix)
    env = {
        **os.environ,
        # The workbook's configuration, as an environment's prefix would hold it.
        "JUPYTER_CONFIG_PATH": str(prefix / "etc" / "jupyter"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path_factory.mktemp("user-settings")),
    }
    extra = [
        "--no-browser",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={TOKEN}",
    ]
    server = subprocess.Popen(
        labsetup.lab_command(extra),
        cwd=tmp_path_factory.mktemp("elsewhere"),  # the root must not depend on where it starts
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            get(f"{base}/api/status?token={TOKEN}")
            break
        except OSError:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab exited: {server.stderr.read()[-2000:]}")
            time.sleep(0.3)
    else:
        server.terminate()
        pytest.fail("JupyterLab did not answer within 60 s")
    yield base
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def test_lab_shows_the_readme_and_solutions_beside_the_notebooks(lab):
    status, body = get(f"{lab}/api/contents/?token={TOKEN}")
    names = {item["name"] for item in json.loads(body)["content"]}
    assert status == 200
    assert {"README.md", "notebooks", "solutions"} <= names
    status, _ = get(f"{lab}/api/contents/solutions/app/main.py?token={TOKEN}")
    assert status == 200


def test_lab_opens_on_notebook_00(lab):
    with urllib.request.urlopen(f"{lab}/?token={TOKEN}", timeout=5) as response:  # noqa: S310
        assert response.url.split("?")[0].endswith("/lab/tree/notebooks/00_start_here.ipynb")


def test_lab_does_not_ask_about_jupyter_news(lab):
    """The override becomes the setting's default (JupyterLab's own default asks, once)."""
    plugin = "@jupyterlab/apputils-extension:notification"
    status, body = get(f"{lab}/lab/api/settings/{plugin}?token={TOKEN}")
    defaults = json.loads(body)["schema"]["properties"]
    assert status == 200
    assert defaults["fetchNews"]["default"] == "false"
    assert defaults["checkForUpdates"]["default"] is False


def test_running_python_is_the_one_lab_uses():
    assert labsetup.lab_command()[0] == sys.executable
