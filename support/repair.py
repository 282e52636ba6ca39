"""``python -m support repair``: put this Python's environment back as ``requirements.lock`` says.

What ``make setup`` does once ``.venv`` exists, for the interpreter running it
(``sys.executable``); the doctor prints it as the fix for packages that differ from the lock.

1. The lock, with uv (it is in the lock; when missing, pip installs the lock's uv first, as
   ``make setup`` does): ``uv pip sync``, which also removes what the lock does not list; in a
   conda environment or a system Python, whose other packages are not ours to remove,
   ``uv pip install -r``. Where uv cannot be had, ``pip install -r``.
2. The workbook itself, editable, without dependencies.
3. The Jupyter configuration, ``jupyter-config/``, into this environment (what ``make setup``
   does with ``python -m support install-config``).

Every command is printed before it runs. Standard library only: it runs where the workbook's
packages are missing or broken.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys

from support.doctor import (
    LOCK,
    ROOT,
    check_interpreter,
    command_line,
    doctor_command,
    in_workbook_venv,
    pinned,
    rebuild_command,
    shown,
    supported,
    venv_problem,
    venv_python,
)


class Failed(Exception):
    """A step failed; the message is the sentence to print."""


def has_uv() -> bool:
    """Whether ``python -m uv`` works here: the package and its binary are installed."""
    if importlib.util.find_spec("uv") is None:
        return False
    try:
        from uv import find_uv_bin

        find_uv_bin()
    except (ImportError, FileNotFoundError):
        return False
    return True


def has_pip() -> bool:
    return importlib.util.find_spec("pip") is not None


def is_virtualenv() -> bool:
    return sys.prefix != sys.base_prefix


def run(step: list[str], *, may_fail: bool = False) -> bool:
    """Print ``step`` as it could be typed at the repository root, run it there."""
    printed = command_line(*(shown(word) if word == sys.executable else word for word in step))
    print(f"$ {printed}", flush=True)
    try:
        code = subprocess.call(step, cwd=ROOT)  # noqa: S603 - our interpreter, fixed arguments
    except OSError as exc:
        raise Failed(f"could not start {step[0]}: {exc}") from exc
    if code != 0 and not may_fail:
        raise Failed(f"`{printed}` failed (exit {code}); the lines above say why.")
    return code == 0


def install(python: str = sys.executable) -> None:
    """Steps 1 and 2: the lock, then the workbook."""
    lock = LOCK.relative_to(ROOT).as_posix()
    pip = [python, "-m", "pip", "install", "--disable-pip-version-check"]
    uv_version = pinned("uv")
    if not has_uv():
        if not has_pip():
            run([python, "-m", "ensurepip", "--default-pip"])
        # What `make setup` does first; pip alone takes minutes where uv takes seconds.
        if not uv_version or not run([*pip, "--quiet", f"uv=={uv_version}"], may_fail=True):
            print("uv could not be installed: pip installs the lock instead (slower).", flush=True)
            run([*pip, "-r", lock])
            run([*pip, "--quiet", "--no-deps", "-e", "."])
            return
    uv = [python, "-m", "uv", "pip"]
    target = ["--python", python]
    if is_virtualenv():
        run([*uv, "sync", *target, lock])
    else:
        run([*uv, "install", *target, "-r", lock])
    run([*uv, "install", *target, "--quiet", "--no-deps", "-e", "."])


def refuse(sentence: str) -> int:
    print(f"Nothing repaired: {sentence}", file=sys.stderr)
    return 1


def run_repair() -> int:
    here = shown(sys.executable)
    if not check_interpreter().ok:
        # Installing the lock into some other Python (a system one, say) would repair nothing.
        fix = rebuild_command() if venv_problem() else None
        fix = fix or command_line(shown(venv_python()), "-m", "support", "repair")
        return refuse(f"{here} is not the workbook's Python. Run instead: {fix}")
    if not supported(sys.version_info):
        version = ".".join(map(str, sys.version_info[:3]))
        return refuse(
            f"{here} is Python {version}; the workbook needs 3.11, 3.12 or 3.13. "
            f"Make .venv anew with: {rebuild_command()}"
        )
    if not LOCK.is_file():
        return refuse(f"{LOCK} is missing.")

    where = "the workbook's .venv" if in_workbook_venv() else sys.prefix
    print(f"Repairing {where} from {LOCK.name}, with {here}:", flush=True)
    try:
        install()
    except Failed as exc:
        print(f"Repair stopped: {exc}", file=sys.stderr)
        return 1

    from support.labsetup import install_config

    written = [path.relative_to(sys.prefix).as_posix() for path in install_config()]
    print(f"Copied jupyter-config/ into {sys.prefix}: {', '.join(written)}")
    print(f"Repaired. Check with: {doctor_command(sys.executable)}")
    return 0
