"""``python -m support doctor``: is this machine ready for the workshop?

Prints a table, one line a check, with the fix for each failure; exits 1 on any failure.
"""

from __future__ import annotations

import io
import logging
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
SUPPORTED = ((3, 11), (3, 13))


@dataclass
class Result:
    ok: bool
    detail: str
    fix: str = ""


def check_python() -> Result:
    version = ".".join(map(str, sys.version_info[:3]))
    low, high = SUPPORTED
    if low <= sys.version_info[:2] <= high:
        return Result(True, f"Python {version}")
    return Result(
        False, f"Python {version}", "install Python 3.11, 3.12 or 3.13, then `make setup`"
    )


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


def canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-").split("[")[0]


def check_packages() -> Result:
    wrong = []
    for name, version in locked_versions().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            wrong.append(f"{name} missing")
            continue
        if installed != version:
            wrong.append(f"{name} {installed} (lock: {version})")
    if not wrong:
        return Result(True, "every package matches requirements.lock")
    shown = ", ".join(wrong[:4]) + (f" and {len(wrong) - 4} more" if len(wrong) > 4 else "")
    return Result(False, shown, "run `make setup` (or `pip install -r requirements.lock`)")


def check_kernel() -> Result:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        return Result(
            False, "no `python3` kernel", "run `python -m ipykernel install --sys-prefix`"
        )
    program = spec.argv[0]
    # jupyter_client runs a spec whose program is plain `python` with its own interpreter.
    if (
        program in ("python", "python3")
        or Path(program).resolve() == Path(sys.executable).resolve()
    ):
        return Result(True, "the `python3` kernel runs this environment's Python")
    return Result(
        False,
        "the `python3` kernel runs another Python",
        "start JupyterLab from this environment: `make lab` (or `.venv/bin/jupyter lab`)",
    )


def check_bcrypt_is_silent() -> Result:
    from passlib.context import CryptContext

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logging.getLogger("passlib").addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            context = CryptContext(schemes=["bcrypt"], bcrypt__rounds=4)
            ok = context.verify("correct horse", context.hash("correct horse"))
    except Exception as exc:  # passlib with bcrypt 5 fails on the first hash
        return Result(
            False, f"hashing failed: {type(exc).__name__}", "pin bcrypt==4.0.1 (`make setup`)"
        )
    finally:
        logging.getLogger("passlib").removeHandler(handler)
    if not ok:
        return Result(False, "a password did not verify", "pin bcrypt==4.0.1 (`make setup`)")
    if stream.getvalue() or caught:
        return Result(
            False, "passlib logs or warns about bcrypt", "pin bcrypt==4.0.1 (`make setup`)"
        )
    return Result(True, f"passlib + bcrypt {metadata.version('bcrypt')} hash silently")


def check_request() -> Result:
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
    codes = (created.status_code, token.status_code, me.status_code)
    if codes == (201, 200, 200):
        return Result(True, "register, log in and read /users/me in-process")
    return Result(
        False,
        f"statuses {codes}, expected (201, 200, 200)",
        "run `make test` to see which part fails",
    )


CHECKS: list[tuple[str, Callable[[], Result]]] = [
    ("Python", check_python),
    ("Packages", check_packages),
    ("Jupyter kernel", check_kernel),
    ("bcrypt", check_bcrypt_is_silent),
    ("Request", check_request),
]


def run_doctor() -> int:
    marks = ("\u2713", "\u2717")
    try:
        "".join(marks).encode(sys.stdout.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):  # an old Windows console
        marks = ("OK", "X")
    failed = 0
    width = max(len(name) for name, _ in CHECKS)
    for name, check in CHECKS:
        try:
            result = check()
        except Exception as exc:
            result = Result(
                False, f"{type(exc).__name__}: {exc}".splitlines()[0], "run `make setup`"
            )
        failed += not result.ok
        mark = marks[0] if result.ok else marks[1]
        print(f"{mark} {name:<{width}}  {result.detail}")
        if not result.ok:
            print(f"  {'':<{width}}  fix: {result.fix}")
    print(
        "Ready for the workshop."
        if not failed
        else f"{failed} problem(s) to fix before the workshop."
    )
    return 1 if failed else 0
