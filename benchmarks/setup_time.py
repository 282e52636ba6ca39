"""``make bench-setup``: a fresh set-up with pip and with uv, side by side, in one run.

Each round creates two new virtual environments and installs ``requirements.lock`` and the
workbook into them, once with pip (the README's path without make) and once with uv (what
``make setup`` does), with no cache on either side, so both download and unpack everything.
The order alternates between rounds, so neither always runs on the warmer minute. Figures are
printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"


def run(command: list[str], env: dict[str, str] | None = None) -> None:
    subprocess.run(command, check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


def with_pip(venv: Path) -> None:
    python = venv / "bin" / "python"
    quiet = ["--quiet", "--disable-pip-version-check", "--no-cache-dir"]
    run([sys.executable, "-m", "venv", str(venv)])
    run([str(python), "-m", "pip", "install", *quiet, "-r", str(LOCK)])
    run([str(python), "-m", "pip", "install", *quiet, "--no-deps", "-e", str(ROOT)])


def with_uv(venv: Path) -> None:
    python = venv / "bin" / "python"
    env = {**os.environ, "UV_NO_CACHE": "1"}
    uv_pin = next(line for line in LOCK.read_text().splitlines() if line.startswith("uv=="))
    run([sys.executable, "-m", "venv", str(venv)])
    quiet = ["--quiet", "--disable-pip-version-check", "--no-cache-dir"]
    run([str(python), "-m", "pip", "install", *quiet, uv_pin.split(";")[0].strip()])
    uv = [str(python), "-m", "uv", "pip", "install", "--quiet", "--python", str(python)]
    run([*uv, "-r", str(LOCK)], env=env)
    run([*uv, "--no-deps", "-e", str(ROOT)], env=env)


def timed(install, folder: Path) -> float:
    venv = folder / install.__name__
    start = time.perf_counter()
    install(venv)
    seconds = time.perf_counter() - start
    check = [str(venv / "bin" / "python"), "-c", "import fastapi, sqlalchemy, jupyterlab, support"]
    run(check)
    shutil.rmtree(venv)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    rounds = parser.parse_args().rounds
    times: dict[str, list[float]] = {"pip": [], "uv": []}
    for index in range(rounds):
        order = [with_pip, with_uv] if index % 2 == 0 else [with_uv, with_pip]
        with tempfile.TemporaryDirectory(prefix="bench-setup-") as folder:
            for install in order:
                seconds = timed(install, Path(folder))
                name = install.__name__.removeprefix("with_")
                times[name].append(seconds)
                print(f"round {index + 1}: {name:<3} {seconds:6.1f} s", flush=True)
    pip, uv = statistics.median(times["pip"]), statistics.median(times["uv"])
    print(
        f"median of {rounds}: pip {pip:.1f} s, uv {uv:.1f} s: uv takes {uv / pip:.0%} of pip's time"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
