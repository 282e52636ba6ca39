"""Start a notebook over: its stored version back in place, the learner's kept as a dated copy.

The stored version is the one in git (``git show HEAD:notebooks/NN_name.ipynb``), else a copy
in ``.workbook/pristine/`` (for a workbook that came without its git history). The learner's
file is copied to ``.workbook/backups/`` and the copy read back before anything is replaced:
whatever goes wrong, their work is never lost, and each refusal says why.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from support.progress import ROOT, workbook_dir


class RestoreError(Exception):
    """Restoring was refused; nothing was changed. The message says why."""


@dataclass(frozen=True)
class Restored:
    path: Path
    backup: Path | None  # None: the notebook was missing, or already as stored
    source: str  # "git" or "pristine copy"


def find_notebook(name: str, root: Path = ROOT) -> Path:
    """``04``, ``4``, ``04_crud``, ``04_crud.ipynb`` or a path to it, inside ``notebooks/``."""
    folder = (root / "notebooks").resolve()
    text = name.strip()
    if text.isdigit() and len(text) <= 2:
        found = sorted(folder.glob(f"{int(text):02d}_*.ipynb"))
        if len(found) != 1:
            raise RestoreError(f"No notebook {int(text):02d} in {folder}.")
        return found[0]
    candidate = Path(text if text.endswith(".ipynb") else f"{text}.ipynb")
    if not candidate.is_absolute() and len(candidate.parts) == 1:
        candidate = folder / candidate
    path = candidate.resolve() if candidate.is_absolute() else (Path.cwd() / candidate).resolve()
    if path.parent != folder or not (path.name[:2].isdigit() and path.name[2:3] == "_"):
        raise RestoreError(
            f"{name!r} is not one of the course's notebooks: restore takes a notebook of "
            "notebooks/ by number (04) or name (04_crud.ipynb)."
        )
    return path


def stored_version(path: Path, root: Path = ROOT) -> tuple[bytes, str]:
    relative = f"notebooks/{path.name}"
    try:
        shown = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            ["git", "-C", str(root), "show", f"HEAD:{relative}"],  # noqa: S607 - git from PATH
            capture_output=True,
            timeout=30,
            check=False,
        )
        if shown.returncode == 0 and _is_notebook(shown.stdout):
            return shown.stdout, "git"
    except (OSError, subprocess.SubprocessError):
        pass  # no git here: try the pristine copy
    pristine = workbook_dir() / "pristine" / path.name
    if pristine.is_file() and _is_notebook(data := pristine.read_bytes()):
        return data, "pristine copy"
    raise RestoreError(
        f"No stored version of {path.name}: git has none (is this a clone of the workbook?) "
        f"and there is no {pristine}. Download the notebook again from the course's repository."
    )


def restore(name: str, root: Path = ROOT) -> Restored:
    path = find_notebook(name, root)
    if path.exists() and not path.is_file():
        raise RestoreError(f"{path} is not a file: nothing was changed.")
    stored, source = stored_version(path, root)
    backup = None
    if path.exists():
        current = path.read_bytes()
        if current == stored:
            return Restored(path, None, source)
        backup = _keep_copy(path, current)
    temporary = path.with_name(f".{path.name}.restoring")
    temporary.write_bytes(stored)
    os.replace(temporary, path)  # whole or not at all: never a half-written notebook
    return Restored(path, backup, source)


def _keep_copy(path: Path, current: bytes) -> Path:
    backups = workbook_dir() / "backups"
    try:
        backups.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = backups / f"{path.stem}.{stamp}.ipynb"
        counter = 2
        while target.exists():
            target = backups / f"{path.stem}.{stamp}-{counter}.ipynb"
            counter += 1
        shutil.copy2(path, target)
        kept = target.read_bytes() == current
    except OSError as exc:
        raise RestoreError(
            f"Could not keep a copy of {path.name} in {backups} ({exc}): nothing was changed."
        ) from exc
    if not kept:
        target.unlink(missing_ok=True)
        raise RestoreError(
            f"Could not keep a copy of {path.name} in {backups} (the copy differs): "
            "nothing was changed. Is the disk full?"
        )
    return target


def _is_notebook(data: bytes) -> bool:
    try:
        notebook = json.loads(data)
    except ValueError:
        return False
    return isinstance(notebook, dict) and isinstance(notebook.get("cells"), list)
