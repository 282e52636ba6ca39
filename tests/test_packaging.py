"""The set-up a learner runs: the lock, environment.yml, the README's commands and CI agree."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def lock_pins() -> dict[str, list[str]]:
    pins: dict[str, list[str]] = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", "#")):
            name, version = line.split(";")[0].strip().split("==")
            pins.setdefault(name.lower(), []).append(version)
    return pins


def environment_pins() -> dict[str, str]:
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    return {m[1].lower(): m[2] for m in re.finditer(r"^\s+- ([A-Za-z0-9_.-]+)==(\S+)$", text, re.M)}


def direct_dependencies() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        specs += extra
    return {re.split(r"[\[<>=!~;\s]", s, maxsplit=1)[0].lower() for s in specs}


def test_environment_yml_pins_what_the_lock_pins():
    lock, env = lock_pins(), environment_pins()
    disagree = {n: (v, lock.get(n)) for n, v in env.items() if v not in lock.get(n, [])}
    assert not disagree, f"environment.yml and requirements.lock disagree: {disagree}"
    assert direct_dependencies() <= set(env), direct_dependencies() - set(env)
    assert "-r requirements.lock" in (ROOT / "environment.yml").read_text(encoding="utf-8")


def test_every_dependency_is_locked():
    assert direct_dependencies() <= set(lock_pins())


def test_the_lock_serves_windows_and_macos_learners():
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    assert "pywinpty" in text and "os_name == 'nt'" in text
    assert "appnope" in text and "sys_platform == 'darwin'" in text


@pytest.mark.parametrize(
    ("package", "version"),
    [("bcrypt", "4.0.1")],  # the one bcrypt that passlib 1.7.4 uses silently (FACTS.md)
)
def test_known_good_pins(package, version):
    assert lock_pins()[package] == [version]


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme
    assert re.search(r"^\s*make test\b", ci, re.M), ".ci/run must call `make test`"


def test_binder_builds_the_workbooks_environment():
    """repo2docker's own detection, without Docker: which Python, which files, which steps.

    A `binder/` folder would hide the root environment.yml from it (Python 3.10, then a failing
    postBuild), so the proof is what repo2docker itself says it would build from this tree.
    """
    import shutil
    import subprocess
    import sys

    repo2docker = shutil.which("repo2docker", path=str(Path(sys.executable).parent))
    assert repo2docker, "jupyter-repo2docker (the dev extra) is not installed"
    run = subprocess.run(
        [repo2docker, "--no-build", "--debug", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    plan = run.stdout + run.stderr
    assert run.returncode == 0, plan[-2000:]
    assert "Building conda environment for python=3.11" in plan
    assert '--file "environment.yml"' in plan
    assert "RUN ./postBuild" in plan
    post_build = (ROOT / "postBuild").read_text(encoding="utf-8")
    assert "-m support install-config" in post_build
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()
