"""`python -m support doctor`: passes on a good machine; under each problem it prints one command
that, run as printed from the repository root, repairs it.

The tests marked `slow` prove that for real: they break a throwaway environment (built from the
lock with uv in seconds), run the doctor in it, run the command it printed, and run the doctor
again; and they run the doctor under Pythons that are not the workbook's.
"""

from __future__ import annotations

import functools
import glob
import importlib.util
import itertools
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import support.doctor as doctor

ROOT = doctor.ROOT
CROSS = "\u2717"
# The real runs quote and lay out paths as POSIX shells and venvs do.
posix = pytest.mark.skipif(os.name == "nt", reason="POSIX paths and shell quoting")


def test_this_environment_is_ready(capsys):
    assert doctor.run_doctor() == 0
    out = capsys.readouterr().out
    assert "Ready for the workshop." in out
    assert CROSS not in out


def test_the_lock_is_read_with_its_platform_markers(tmp_path):
    lock = tmp_path / "requirements.lock"
    lock.write_text(
        "# a comment\n"
        "fastapi==1.0\n"
        "    # via something\n"
        "pywinpty==3.0 ; os_name == 'nt'\n"
        "posix-only==2.0 ; os_name != 'nt'\n",
        encoding="utf-8",
    )
    pins = doctor.locked_versions(lock)
    assert pins["fastapi"] == "1.0"
    assert ("pywinpty" in pins) == (os.name == "nt")
    assert ("posix-only" in pins) == (os.name != "nt")
    assert doctor.pinned("FastAPI", lock) == "1.0"
    assert doctor.pinned("absent", lock) is None


def test_a_package_that_differs_from_the_lock_is_named_with_its_fix(monkeypatch):
    monkeypatch.setattr(doctor, "locked_versions", lambda: {"fastapi": "0.0.1", "nope-pkg": "1"})
    result = doctor.check_packages()
    assert not result.ok
    assert "fastapi" in result.detail and "(lock: 0.0.1)" in result.detail
    assert "nope-pkg missing" in result.detail
    # This interpreter re-installs the lock: never a bare pip, never `make setup` (a stamp
    # file makes that say "Nothing to be done").
    assert result.fix == doctor.repair_command()
    assert result.fix.endswith(" -m support repair")
    assert "pip" not in result.fix and "make setup" not in result.fix


def test_any_failure_makes_the_exit_code_non_zero(monkeypatch, capsys):
    def broken():
        raise RuntimeError("something went wrong\nsecond line")

    monkeypatch.setattr(
        doctor,
        "CHECKS",
        [("Python", doctor.check_python), ("Broken", broken)],
    )
    assert doctor.run_doctor() == 1
    out = capsys.readouterr().out
    assert "Broken" in out and "RuntimeError: something went wrong" in out
    assert f"fix: {doctor.repair_command()}" in out and "1 problem(s) to fix" in out


def test_a_failing_request_is_repaired_by_the_lock_or_by_putting_solutions_changes_aside(
    monkeypatch,
):
    monkeypatch.setattr(doctor, "request_statuses", lambda: (500, 401, 401))
    monkeypatch.setattr(doctor, "check_packages", lambda: doctor.Result(False, "bcrypt 5.0.0"))
    assert doctor.check_request().fix == doctor.repair_command()
    monkeypatch.setattr(doctor, "check_packages", lambda: doctor.Result(True, "all"))
    result = doctor.check_request()
    assert not result.ok and "solutions/ was changed" in result.detail
    assert result.fix == "git stash push -- solutions"  # put aside, not lost


def test_what_a_check_logs_prints_or_warns_stays_out_of_the_table(capsys):
    import logging
    import warnings

    def noisy():
        logging.getLogger("passlib.handlers.bcrypt").warning("(trapped) error reading bcrypt")
        print("chatter")
        print("more chatter", file=sys.stderr)
        warnings.warn("a warning", UserWarning, stacklevel=1)
        raise ValueError("password cannot be longer than 72 bytes")

    result = doctor.run_check(noisy)
    assert not result.ok and result.detail.startswith("ValueError: password cannot")
    assert capsys.readouterr() == ("", "")


def test_fixes_name_the_interpreter_relative_to_the_repository_when_inside_it():
    inside = ROOT / ".venv" / "bin" / "python"
    assert doctor.shown(inside) == os.path.join(".venv", "bin", "python")
    outside = Path(os.path.abspath(os.sep)) / "opt" / "python3.12"
    assert doctor.shown(outside) == str(outside)
    assert doctor.command_line("/a b/python", "-m", "support") in (
        "'/a b/python' -m support",  # POSIX shells
        '"/a b/python" -m support',  # cmd
    )


def test_another_python_while_dot_venv_exists_is_named_first(monkeypatch, tmp_path):
    venv = tmp_path / ".venv"
    python = doctor.venv_python(venv)
    python.parent.mkdir(parents=True)
    python.write_bytes(b"")
    monkeypatch.setattr(doctor, "VENV", venv)
    monkeypatch.setattr(doctor, "workbook_installed_here", lambda: False)
    result = doctor.check_interpreter()
    assert not result.ok and "not the workbook's Python" in result.detail
    assert doctor.shown(sys.executable) in result.detail
    assert result.fix == doctor.doctor_command(python)

    (venv / "pyvenv.cfg").write_text("home = /usr/bin\nversion_info = 3.10.13\n")
    result = doctor.check_interpreter()  # a .venv left from an unsupported Python
    assert not result.ok and "made by Python 3.10.13" in result.detail
    assert result.fix == doctor.rebuild_command()

    monkeypatch.setattr(doctor, "VENV", tmp_path / "none")  # conda, Binder: their own env
    assert doctor.check_interpreter().ok


def test_the_doctor_and_the_repair_start_with_the_standard_library_alone():
    """So that they run, and say what is wrong, in a Python without the workbook's packages."""
    probe = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import support, support.__main__, support.doctor, support.repair\n"
        "loaded = {m.split('.')[0] for m in set(sys.modules) - before}\n"
        "print(sorted(loaded - set(sys.stdlib_module_names) - {'support'}))\n"
        "from support import error_line, exercises_for, expect, fresh_database_url, mask\n"
        "from support import response, rows, show, start\n"
        "assert all(callable(getattr(support, name)) for name in support.__all__)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]", f"third-party modules imported: {run.stdout}"


# --- For real: each problem, the printed command, the doctor again ------------------------------


@dataclass
class Ran:
    code: int
    out: str
    err: str


def run(command: list[str] | str, *, cwd: Path = ROOT, env: dict | None = None) -> Ran:
    """A list runs as is; a string runs exactly as printed, in the shell (as a learner would)."""
    done = subprocess.run(
        command,
        cwd=cwd,
        env=env,
        shell=isinstance(command, str),  # the doctor's own fix, run as it printed it
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return Ran(done.returncode, done.stdout, done.stderr)


def fix_of(out: str, row: str) -> str:
    lines = out.splitlines()
    for line, below in itertools.pairwise(lines):
        if line.startswith(f"{CROSS} {row} "):
            assert below.strip().startswith("fix: "), out
            return below.strip().removeprefix("fix: ")
    raise AssertionError(f"no failing {row!r} row in:\n{out}")


def assert_every_problem_has_a_fix_and_nothing_else_is_printed(ran: Ran) -> None:
    assert ran.err == "", f"the doctor wrote to stderr:\n{ran.err}"
    assert "Traceback" not in ran.out and "(trapped)" not in ran.out, ran.out
    lines = ran.out.splitlines()
    for line, below in itertools.pairwise(lines):
        if line.startswith(CROSS):
            assert below.strip().startswith("fix: "), ran.out
            assert " pip " not in below and not below.strip().startswith("fix: pip"), ran.out
            assert "make setup" not in below or "make clean setup" in below, ran.out


def quick_env(pycache: Path) -> dict[str, str]:
    """The environment, with byte-code written (under ``pycache``): later runs start faster."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",)}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


ONE_ROW = (
    "import sys, support.doctor as d\n"
    "d.CHECKS = [check for check in d.CHECKS if check[0] == sys.argv[1]]\n"
    "sys.exit(d.run_doctor())\n"
)


@dataclass
class Throwaway:
    python: Path
    env: dict[str, str]

    def uv(self, *args: str) -> None:
        uv_pip = [sys.executable, "-m", "uv", "pip", args[0], "--python", str(self.python)]
        done = run([*uv_pip, *args[1:]])
        assert done.code == 0, done.err

    def doctor(self, only: str = "") -> Ran:
        """The doctor, or (quicker) its table with the one row ``only``."""
        command = [str(self.python), "-m", "support", "doctor"]
        if only:
            command[1:] = ["-c", ONE_ROW, only]
        ran = run(command, env=self.env)
        assert_every_problem_has_a_fix_and_nothing_else_is_printed(ran)
        return ran


@pytest.fixture(scope="session")
def throwaway(tmp_path_factory) -> Throwaway:
    """A venv of this Python, with the lock and the workbook (editable), installed by uv."""
    if importlib.util.find_spec("uv") is None:
        pytest.skip("uv is not installed in this environment")
    base = tmp_path_factory.mktemp("doctor")
    venv = base / "venv"
    made = run([sys.executable, "-m", "uv", "venv", "--quiet", "-p", sys.executable, str(venv)])
    assert made.code == 0, made.err
    python = doctor.venv_python(venv)
    env = Throwaway(python, quick_env(base / "pycache"))
    env.uv("sync", "--quiet", str(doctor.LOCK))
    env.uv("install", "--quiet", "--no-deps", "-e", str(ROOT))
    return env


def repaired_by_the_printed_fix(env: Throwaway, broken: Ran, row: str) -> None:
    fix = fix_of(broken.out, row)
    assert fix == f"{shlex.quote(str(env.python))} -m support repair"
    repair = run(fix, env=env.env)
    assert repair.code == 0, repair.out + repair.err
    after = env.doctor()
    assert after.code == 0, after.out
    assert "Ready for the workshop." in after.out


@pytest.mark.slow
@posix
def test_a_missing_package_is_repaired_by_the_printed_command(throwaway):
    throwaway.uv("uninstall", "--quiet", "python-multipart")
    broken = throwaway.doctor()
    assert broken.code == 1
    assert "python-multipart missing" in broken.out
    repaired_by_the_printed_fix(throwaway, broken, "Packages")


@pytest.mark.slow
@posix
def test_bcrypt_4_3_and_5_are_named_quietly_and_repaired_by_the_printed_command(throwaway):
    lock = doctor.pinned("bcrypt")
    throwaway.uv("install", "--quiet", "bcrypt==4.3.0")
    logs = throwaway.doctor("bcrypt")  # passlib logs a trapped error and its traceback: not here
    assert logs.code == 1
    assert f"bcrypt 4.3.0 is installed, the lock pins {lock}: passlib logs" in logs.out

    throwaway.uv("install", "--quiet", "bcrypt==5.0.0")
    broken = throwaway.doctor()  # passlib raises from its self-test: about 90 lines, not here
    assert broken.code == 1
    assert f"bcrypt 5.0.0 is installed, the lock pins {lock}: passlib cannot hash" in broken.out
    assert len(broken.out.splitlines()) < 20, broken.out
    repaired_by_the_printed_fix(throwaway, broken, "bcrypt")


@functools.cache
def bare_python(version: str) -> str | None:
    """A python3.X that is no virtual environment (pyenv's, say), or None."""
    pyenv = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    found = glob.glob(os.path.join(pyenv, "versions", f"{version}.*", "bin", f"python{version}"))
    for candidate in [*sorted(found, reverse=True), shutil.which(f"python{version}")]:
        if candidate:
            probe = run([candidate, "-c", "import sys; assert sys.prefix == sys.base_prefix"])
            if probe.code == 0:
                return candidate
    return None


@pytest.mark.slow
@posix
@pytest.mark.parametrize("version", ["3.12", "3.10"])
def test_a_python_that_is_not_the_workbooks_says_so_first(version):
    """3.12 lacks every package; 3.10 is also too old. Both parse the doctor's modules."""
    python = bare_python(version)
    if python is None:
        pytest.skip(f"no bare Python {version} on this machine")
    if not os.path.exists(doctor.venv_python()) or doctor.venv_problem():
        pytest.skip("the repository has no working .venv")
    ran = run([python, "-m", "support", "doctor"])
    assert_every_problem_has_a_fix_and_nothing_else_is_printed(ran)
    assert ran.code == 1
    first = ran.out.splitlines()[0]
    assert first.startswith(f"{CROSS} Interpreter ") and "not the workbook's Python" in first
    assert os.path.abspath(python) in first
    fix = fix_of(ran.out, "Interpreter")
    assert fix == doctor.doctor_command(doctor.venv_python())
    assert fix == os.path.join(".venv", "bin", "python") + " -m support doctor"
    # Every other problem is this Python's: the same command, not a repair of this Python.
    assert {fix_of(ran.out, row) for row in ("Packages", "Request")} == {fix}
    if version == "3.10":
        assert fix_of(ran.out, "Python") == fix
        assert "Python 3.10." in ran.out and "needs 3.11, 3.12 or 3.13" in ran.out
    if version == "3.12":  # what the fix prints: the workbook's Python, checked
        again = run(fix)
        assert again.out.splitlines()[0].startswith("\u2713 Interpreter "), again.out
        assert "Traceback" not in again.out and again.err == "", again.out + again.err


@pytest.mark.slow
@posix
def test_a_dot_venv_made_by_an_unsupported_python_is_made_anew(tmp_path):
    """A `.venv` left from Python 3.10, in a copy of the repository's doctor and lock."""
    old = bare_python("3.10")
    if old is None:
        pytest.skip("no bare Python 3.10 on this machine")
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "support", repo / "support")
    for name in ("requirements.lock", "Makefile"):
        shutil.copy(ROOT / name, repo / name)
    assert run([old, "-m", "venv", "--without-pip", ".venv"], cwd=repo).code == 0
    # PATH: a supported `python3` (this interpreter's base), and make or not.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(Path(sys.executable).resolve())
    env = {**os.environ, "PATH": str(bin_dir)}

    make = shutil.which("make")
    if make:  # the Makefile's default `python3` is a supported one
        with_make = tmp_path / "with-make"
        with_make.mkdir()
        (with_make / "make").symlink_to(make)
        path = f"{bin_dir}{os.pathsep}{with_make}"
        ran = run(
            [".venv/bin/python", "-m", "support", "doctor"], cwd=repo, env={**env, "PATH": path}
        )
        assert_every_problem_has_a_fix_and_nothing_else_is_printed(ran)
        assert "Python 3.10." in ran.out and fix_of(ran.out, "Python") == "make clean setup"

    ran = run([".venv/bin/python", "-m", "support", "doctor"], cwd=repo, env=env)
    assert_every_problem_has_a_fix_and_nothing_else_is_printed(ran)
    assert ran.out.splitlines()[0].startswith("\u2713 Interpreter ")  # it is the workbook's
    fix = fix_of(ran.out, "Python")
    assert fix == "python3 -m venv --clear .venv"
    assert fix_of(ran.out, "Packages") == fix  # not a repair that cannot work on 3.10
    refused = run([".venv/bin/python", "-m", "support", "repair"], cwd=repo, env=env)
    assert refused.code == 1 and fix in refused.err and "Traceback" not in refused.err

    assert run(fix, cwd=repo, env=env).code == 0
    again = run([".venv/bin/python", "-m", "support", "doctor"], cwd=repo, env=env)
    assert_every_problem_has_a_fix_and_nothing_else_is_printed(again)
    assert again.out.splitlines()[1].startswith("\u2713 Python ")
    # The packages come next, by this Python's repair.
    assert fix_of(again.out, "Packages") == os.path.join(".venv", "bin", "python") + (
        " -m support repair"
    )
