"""Write environment.yml (conda, Binder) from requirements.lock, so the two cannot disagree.

Run by `make lock` after the lock is re-resolved. tests/test_packaging.py checks the result.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def direct_dependencies() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        specs += extra
    return sorted({re.split(r"[\[<>=!~;\s]", s, maxsplit=1)[0].lower() for s in specs})


def locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", "#")) and "==" in line:
            name, version = line.split(";")[0].strip().split("==")
            pins.setdefault(name.lower(), version)
    return pins


def render() -> str:
    pins = locked()
    lines = [
        "# Conda (and Binder) environment. Written by tools/write_environment_yml.py from",
        "# requirements.lock: the direct dependencies, pinned as in the lock, then the whole lock.",
        "name: backend-workbook",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        "  - python=3.11",
        "  - pip",
        "  - pip:",
    ]
    lines += [f"      - {name}=={pins[name]}" for name in direct_dependencies()]
    lines += ["      - -r requirements.lock", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    (ROOT / "environment.yml").write_text(render(), encoding="utf-8")
    print("environment.yml written from requirements.lock")
