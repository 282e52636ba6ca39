"""Putting the workbook's Jupyter configuration into an environment, and opening JupyterLab on it.

``python -m support install-config`` and ``python -m support lab`` work the same on Linux, macOS
and Windows, with or without make, in a venv, a conda environment or a Binder image.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "jupyter-config"
FIRST_NOTEBOOK = "notebooks/00_start_here.ipynb"


def config_files() -> list[Path]:
    """Every file of ``jupyter-config/``, relative to it, as it goes under an environment."""
    found = (p for p in CONFIG.rglob("*") if p.is_file() and p.parent != CONFIG)  # not README
    return sorted(p.relative_to(CONFIG) for p in found)


def install_config(prefix: Path | None = None) -> list[Path]:
    """Copy ``jupyter-config/`` into ``prefix`` (this environment's); return what was written."""
    prefix = Path(sys.prefix if prefix is None else prefix)
    written = []
    for relative in config_files():
        target = prefix / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CONFIG / relative, target)
        written.append(target)
    return written


def lab_command(extra: list[str] | None = None) -> list[str]:
    """JupyterLab at the repository root, opening notebook 00.

    Started from the root (not given the notebook's path, which would make ``notebooks/`` the
    root), Lab shows the README and ``solutions/`` beside the course, and notebook 00's links
    resolve. JupyterLab refuses to run as root unless told; containers and some hubs do.
    """
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={ROOT}",
        f"--LabApp.default_url=/lab/tree/{FIRST_NOTEBOOK}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command + list(extra or [])


def run_lab(extra: list[str] | None = None) -> int:
    try:
        return subprocess.call(lab_command(extra), cwd=ROOT)  # noqa: S603 - our own interpreter
    except KeyboardInterrupt:
        return 0
