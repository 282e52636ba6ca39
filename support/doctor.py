"""``python -m support doctor``: is this machine ready for the workshop?

Prints a table, one line a check. Under each failure it prints one command that, run as printed
from the repository root, repairs it: for packages, the workbook's own interpreter running
``-m support repair``; never a bare ``pip``. Exits 1 on any failure.

Standard library only at import time: the doctor must run, and say what is wrong, under a Python
that lacks the workbook's packages. Third-party modules are imported inside the checks, and what
their libraries print, log or warn while a check runs stays out of the table.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import logging
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
VENV = ROOT / ".venv"
SUPPORTED = ((3, 11), (3, 13))
DISTRIBUTION = "backend-patterns-workbook"


@dataclass
class Result:
    ok: bool
    detail: str
    fix: str = ""


# --- Commands, as a fix prints them -------------------------------------------------------------


def command_line(*parts: str | Path) -> str:
    """One command, quoted so that it runs as printed (in a POSIX shell, or cmd on Windows)."""
    words = [str(part) for part in parts]
    return subprocess.list2cmdline(words) if os.name == "nt" else shlex.join(words)


def shown(program: str | Path) -> str:
    """A program's path as a fix prints it: relative to the repository root when inside it."""
    absolute = Path(os.path.abspath(program))  # not resolve(): a venv's python is a symlink
    try:
        text = str(absolute.relative_to(ROOT))
    except ValueError:
        text = str(absolute)
    if os.name == "nt" and text.lower().endswith(".exe"):
        text = text[:-4]
    return text if os.sep in text else os.curdir + os.sep + text


def venv_python(venv: Path | None = None) -> Path:
    venv = VENV if venv is None else venv
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def repair_command() -> str:
    """The fix for anything the lock decides: this interpreter re-installs it."""
    return command_line(shown(sys.executable), "-m", "support", "repair")


def doctor_command(python: str | Path) -> str:
    return command_line(shown(python), "-m", "support", "doctor")


def kernel_command() -> str:
    return command_line(shown(sys.executable), "-m", "ipykernel", "install", "--sys-prefix")


def supported(version: tuple[int, ...]) -> bool:
    low, high = SUPPORTED
    return low <= tuple(version[:2]) <= high


@functools.cache
def supported_python() -> list[str] | None:
    """A command on PATH that starts a supported Python (not one inside ``.venv``), or None."""
    if os.name == "nt":
        candidates = [["py", f"-3.{minor}"] for minor in (13, 12, 11)] + [["python"]]
    else:
        candidates = [["python3"]] + [[f"python3.{minor}"] for minor in (13, 12, 11)]
    probe = "import sys; print(sys.version_info[:2] >= (3, 11) and sys.version_info[:2] <= (3, 13))"
    for candidate in candidates:
        found = shutil.which(candidate[0])
        if not found or Path(os.path.abspath(found)).is_relative_to(VENV):  # an activated .venv
            continue
        try:
            answer = subprocess.run(  # noqa: S603 - a fixed probe of a Python on PATH
                [found, *candidate[1:], "-c", probe],
                capture_output=True,
                text=True,
                timeout=15,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if answer.returncode == 0 and answer.stdout.strip() == "True":
            return candidate
    return None


def rebuild_command() -> str:
    """One command that makes ``.venv`` anew with a supported Python.

    With make (not on Windows): ``make clean setup``, naming a Python when the Makefile's default
    ``python3`` is not a supported one. Without: that Python makes an empty ``.venv``, which the
    doctor, run with it, then fills with ``-m support repair``.
    """
    python = supported_python()
    if os.name != "nt" and shutil.which("make") and (ROOT / "Makefile").is_file():
        if python == ["python3"]:
            return "make clean setup"
        if python:
            return f"make clean setup PYTHON={python[0]}"
        return "install Python 3.11, 3.12 or 3.13, then: make clean setup PYTHON=python3.12"
    if python:
        return command_line(*python, "-m", "venv", "--clear", ".venv")
    return "install Python 3.11, 3.12 or 3.13, then: python3.12 -m venv --clear .venv"


# --- Which Python is this? ----------------------------------------------------------------------


def same_path(a: str | Path, b: str | Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def in_workbook_venv() -> bool:
    return same_path(sys.prefix, VENV)


def workbook_installed_here() -> bool:
    """Whether this environment has the workbook installed from this checkout (``-e .``)."""
    from urllib.parse import urlparse
    from urllib.request import url2pathname

    paths = sorted({sysconfig.get_paths()[key] for key in ("purelib", "platlib")})
    for dist in metadata.distributions(path=paths):
        if canonical(dist.metadata["Name"] or "") != DISTRIBUTION:
            continue
        try:
            url = json.loads(dist.read_text("direct_url.json") or "{}").get("url", "")
        except ValueError:
            continue
        if url.startswith("file:") and same_path(url2pathname(urlparse(url).path), ROOT):
            return True
    return False


def venv_version(venv: Path | None = None) -> str | None:
    """The Python version ``.venv`` was made with, from its ``pyvenv.cfg``."""
    venv = VENV if venv is None else venv
    try:
        lines = (venv / "pyvenv.cfg").read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    values = dict(line.partition("=")[::2] for line in lines)
    values = {key.strip(): value.strip() for key, value in values.items()}
    return values.get("version") or values.get("version_info")


def venv_problem(venv: Path | None = None) -> str:
    """Why ``.venv`` cannot be the workbook's Python, or "" when it can."""
    venv = VENV if venv is None else venv
    if not os.path.exists(venv_python(venv)):  # a broken symlink: its Python is gone
        return ".venv has no working Python (the Python that made it is gone)"
    version = venv_version(venv)
    if version and not supported(tuple(int(n) for n in version.split(".")[:2] if n.isdigit())):
        return f".venv was made by Python {version}, which the workbook does not support"
    return ""


def check_interpreter() -> Result:
    here = shown(sys.executable)
    if in_workbook_venv():
        return Result(True, f"{here}, the workbook's")
    if not VENV.exists():
        return Result(True, f"{here} (there is no .venv: this environment is the one checked)")
    if workbook_installed_here():
        return Result(True, f"{here}, an environment the workbook is installed in")
    problem = venv_problem()
    if problem:
        return Result(
            False, f"not the workbook's Python: this is {here}, and {problem}", rebuild_command()
        )
    return Result(
        False,
        f"not the workbook's Python: this is {here}; the workbook's is {shown(venv_python())}",
        doctor_command(venv_python()),
    )


def check_python() -> Result:
    version = ".".join(map(str, sys.version_info[:3]))
    if supported(sys.version_info):
        return Result(True, f"Python {version}")
    return Result(
        False, f"Python {version}: the workbook needs 3.11, 3.12 or 3.13", rebuild_command()
    )


# --- The environment ----------------------------------------------------------------------------


def locked_versions(lock: Path = LOCK) -> dict[str, str]:
    """Name -> version for every line of the lock whose marker applies to this machine."""
    from packaging.markers import Marker

    pins: dict[str, str] = {}
    for raw in lock.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        requirement, _, marker = line.partition(";")
        if marker.strip() and not Marker(marker.strip()).evaluate():
            continue
        name, _, version = requirement.strip().partition("==")
        pins[canonical(name)] = version.strip()
    return pins


def pinned(name: str, lock: Path = LOCK) -> str | None:
    """The lock's version of ``name`` (its first line), read without ``packaging``."""
    for raw in lock.read_text(encoding="utf-8").splitlines():
        requirement = raw.partition(";")[0].strip()
        if requirement.startswith("#") or "==" not in requirement:
            continue
        found, _, version = requirement.partition("==")
        if canonical(found.strip()) == canonical(name):
            return version.strip()
    return None


def canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-").split("[")[0]


def installed_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def check_packages() -> Result:
    wrong = []
    for name, version in locked_versions().items():
        installed = installed_version(name)
        if installed is None:
            wrong.append(f"{name} missing")
        elif installed != version:
            wrong.append(f"{name} {installed} (lock: {version})")
    if not wrong:
        return Result(True, "every package matches requirements.lock")
    shown_wrong = ", ".join(wrong[:4]) + (f" and {len(wrong) - 4} more" if len(wrong) > 4 else "")
    return Result(False, shown_wrong, repair_command())


def check_kernel() -> Result:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        return Result(False, "no `python3` kernel", kernel_command())
    program = spec.argv[0]
    # jupyter_client runs a spec whose program is plain `python` with its own interpreter.
    if (
        program in ("python", "python3")
        or Path(program).resolve() == Path(sys.executable).resolve()
    ):
        return Result(True, "the `python3` kernel runs this environment's Python")
    return Result(False, f"the `python3` kernel runs another Python ({program})", kernel_command())


def check_bcrypt_is_silent() -> Result:
    installed = installed_version("bcrypt")
    lock = pinned("bcrypt")
    which = f"bcrypt {installed} is installed" if installed else "bcrypt is not installed"
    if lock and installed != lock:
        which += f", the lock pins {lock}"
    from passlib.context import CryptContext

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logging.getLogger("passlib").addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            context = CryptContext(schemes=["bcrypt"], bcrypt__rounds=4)
            ok = context.verify("correct horse", context.hash("correct horse"))
    except Exception as exc:  # passlib 1.7.4 with bcrypt 5 fails on the first hash
        return Result(
            False, f"{which}: passlib cannot hash with it ({type(exc).__name__})", repair_command()
        )
    finally:
        logging.getLogger("passlib").removeHandler(handler)
    if not ok:
        return Result(False, f"{which}: a password did not verify", repair_command())
    if stream.getvalue() or caught:
        # bcrypt 4.1-4.3: passlib logs a trapped AttributeError reading bcrypt's version.
        return Result(False, f"{which}: passlib logs an error about it", repair_command())
    return Result(True, f"passlib + bcrypt {installed} hash silently")


def request_statuses() -> tuple[int, int, int]:
    """Register, log in and read /users/me, in-process, on the finished app."""
    from fastapi.testclient import TestClient

    from support.notebook import Notebook, fresh_database_url

    stage = Notebook("doctor", "doctor", fresh_database_url("doctor"), exercises=None)  # type: ignore[arg-type]
    with TestClient(stage.app()) as client:
        created = client.post(
            "/users/", json={"email": "doctor@example.com", "password": "a long passphrase"}
        )
        token = client.post(
            "/auth/token",
            data={"username": "doctor@example.com", "password": "a long passphrase"},
        )
        me = client.get(
            "/users/me",
            headers={"Authorization": f"Bearer {token.json().get('access_token', '')}"},
        )
    return created.status_code, token.status_code, me.status_code


def check_request() -> Result:
    try:
        codes = request_statuses()
    except ImportError:
        raise  # a package, or the workbook itself, is not installed: the repair's
    except Exception as exc:
        detail = first_line(exc)
    else:
        if codes == (201, 200, 200):
            return Result(True, "register, log in and read /users/me in-process")
        detail = f"statuses {codes}, expected (201, 200, 200)"
    if not check_packages().ok:
        return Result(False, detail, repair_command())
    # The packages are the lock's, so the finished app in solutions/ was changed. Stashed, the
    # changes are put aside, not lost: `git stash pop` brings them back.
    changed = f"{detail}, with the lock's packages: solutions/ was changed"
    return Result(False, changed, "git stash push -- solutions")


def first_line(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".splitlines()[0].rstrip()


CHECKS: list[tuple[str, Callable[[], Result]]] = [
    ("Interpreter", check_interpreter),
    ("Python", check_python),
    ("Packages", check_packages),
    ("Jupyter kernel", check_kernel),
    ("bcrypt", check_bcrypt_is_silent),
    ("Request", check_request),
]


@contextlib.contextmanager
def kept_out_of_the_table() -> Iterator[io.StringIO]:
    """What a check's libraries print, log or warn goes here, not between the doctor's rows."""
    sink = io.StringIO()
    handler = logging.StreamHandler(sink)
    root = logging.getLogger()
    root.addHandler(handler)  # so no record reaches logging's last resort, which is stderr
    try:
        with (
            contextlib.redirect_stdout(sink),
            contextlib.redirect_stderr(sink),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore")
            yield sink
    finally:
        root.removeHandler(handler)


def run_check(check: Callable[[], Result]) -> Result:
    with kept_out_of_the_table():
        try:
            return check()
        except Exception as exc:  # a package missing or broken: the lock puts it back
            return Result(False, first_line(exc), repair_command())


def make_has(target: str) -> bool:
    if os.name == "nt" or not shutil.which("make"):
        return False
    try:
        makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    except OSError:
        return False
    return any(line.startswith(f"{target}:") for line in makefile.splitlines())


def run_doctor() -> int:
    marks = ("\u2713", "\u2717")
    try:
        "".join(marks).encode(sys.stdout.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):  # an old Windows console
        marks = ("OK", "X")
    failed = 0
    elsewhere = ""  # the command to run instead, when this is not the workbook's Python
    fixes = []
    width = max(len(name) for name, _ in CHECKS)
    for name, check in CHECKS:
        result = run_check(check)
        if not result.ok and elsewhere:
            result = Result(False, result.detail, elsewhere)
        if name in ("Interpreter", "Python") and not result.ok and not elsewhere:
            elsewhere = result.fix  # the packages follow the interpreter: fix that first
        failed += not result.ok
        print(f"{marks[not result.ok]} {name:<{width}}  {result.detail}", flush=True)
        if not result.ok:
            fixes.append(result.fix)
            print(f"  {'':<{width}}  fix: {result.fix}", flush=True)
    if not failed:
        print("Ready for the workshop.")
        return 0
    where = "the repository root" if same_path(Path.cwd(), ROOT) else str(ROOT)
    again = doctor_command(venv_python() if elsewhere else sys.executable)
    then = "" if again in fixes else f", then check again with: {again}"
    print(f"{failed} problem(s) to fix before the workshop: run each fix from {where}{then}")
    if repair_command() in fixes and in_workbook_venv() and make_has("repair"):
        print("(`make repair` runs the same repair and marks the set-up done.)")
    elif again in fixes and make_has("doctor"):
        print("(`make doctor` runs the workbook's doctor too.)")
    return 1
