"""Executing the workbook's notebooks: in place (with a backup), with solutions injected, twice.

Exercise stub cells carry the tag ``exercise:<id>``; injecting solutions replaces each such
cell's source with the exercise's reference answer.
"""

from __future__ import annotations

import contextlib
import copy
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
import zmq
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from traitlets.config import Config

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
BACKUPS = ROOT / ".workbook" / "backups"
EXERCISE_TAG = "exercise:"
FEEDBACK_PREFIXES = {
    "correct": "\u2713 Correct",
    "incorrect": "\u2717 Incorrect",
    "not attempted": "\u25cb Not attempted",
}


def kernel_config() -> Config:
    """Configuration for the kernels the workbook starts: channels encrypted with CurveZMQ.

    On plain TCP any local process that learns the ports can listen in, and ipykernel 7 says so
    on stderr at every start; JupyterLab gets the same setting from jupyter-config/.
    """
    config = Config()
    if zmq.has("curve") and "transport_encryption" in KernelManager.class_trait_names():
        config.KernelManager.transport_encryption = "auto"  # jupyter_client 8.10+
    return config


def notebook_paths() -> list[Path]:
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def exercise_id(cell) -> str | None:
    for tag in cell.get("metadata", {}).get("tags", []):
        if tag.startswith(EXERCISE_TAG):
            return tag[len(EXERCISE_TAG) :]
    return None


def number_of(path: Path) -> str:
    return path.name[:2]


def inject_solutions(nb, number: str):
    """A copy of notebook ``number`` with every exercise stub replaced by its reference answer."""
    from support.catalog import exercises_for

    exercises = exercises_for(number)
    solved = copy.deepcopy(nb)
    for cell in solved.cells:
        ident = exercise_id(cell)
        if ident is not None:
            cell.source = getattr(exercises, ident)._exercise.solution_source
    return solved


def execute(nb, *, timeout: int = 300):
    """Run every cell of ``nb`` from a fresh kernel, in the notebooks folder, as nbval does."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    client = NotebookClient(
        nb,
        config=kernel_config(),  # the client still owns, and shuts down, the kernel
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        coalesce_streams=True,  # one stream output per cell and name, however the kernel flushed
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()
    return nb


def feedback_of(cell) -> list[str]:
    """The statuses of the exercise feedback a cell displayed."""
    found = []
    for out in cell.get("outputs", []):
        text = out.get("data", {}).get("text/plain", "")
        for status, prefix in FEEDBACK_PREFIXES.items():
            if text.startswith(prefix):
                found.append(status)
    return found


@dataclass
class Timed:
    path: Path
    seconds: float


def backup(path: Path) -> Path:
    BACKUPS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = BACKUPS / f"{path.stem}.{stamp}.ipynb"
    shutil.copy2(path, target)
    return target


@contextlib.contextmanager
def _workbook_dir(folder: str) -> Iterator[None]:
    before = os.environ.get("WORKBOOK_DIR")
    os.environ["WORKBOOK_DIR"] = folder  # the kernel inherits it
    try:
        yield
    finally:
        if before is None:
            del os.environ["WORKBOOK_DIR"]
        else:
            os.environ["WORKBOOK_DIR"] = before


def run_in_place(paths: list[Path]) -> int:
    """Re-execute notebooks so their stored outputs are exactly what a run shows.

    The previous file is copied to ``.workbook/backups/`` first, so nothing a learner edited is
    lost; a notebook that fails to run is left untouched.
    """
    failures = 0
    for path in paths:
        original = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        try:
            # A fresh working folder, as a new learner has: the stored outputs never show the
            # progress of whoever ran this.
            with tempfile.TemporaryDirectory() as folder, _workbook_dir(folder):
                executed = execute(copy.deepcopy(original))
        except Exception as exc:  # report and go on with the others
            failures += 1
            first = str(exc).strip().splitlines()[-1:] or [type(exc).__name__]
            print(f"{path.name:<32} FAILED: {first[0]} (file left as it was)")
            continue
        seconds = time.perf_counter() - start
        if executed != original:
            saved = backup(path)
            nbformat.write(executed, path)
            note = f"updated (previous copy: {saved.relative_to(ROOT).as_posix()})"
        else:
            note = "unchanged"
        print(f"{path.name:<32} {seconds:5.1f} s  {note}", flush=True)
    return 1 if failures else 0
