"""Starting a notebook over: the stored version back, the learner's kept, or a clear refusal."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from support import progress_cli
from support.restore import RestoreError, find_notebook, restore

STORED = json.dumps({"cells": [{"cell_type": "code", "source": "..."}], "nbformat": 4}) + "\n"
MINE = json.dumps({"cells": [{"cell_type": "code", "source": "my answer"}], "nbformat": 4})


@pytest.fixture
def clone(tmp_path: Path, workbook: Path) -> Path:
    """A workbook clone with one committed notebook."""
    root = tmp_path / "clone"
    (root / "notebooks").mkdir(parents=True)
    (root / "notebooks" / "04_crud.ipynb").write_text(STORED)

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)

    git("init", "-q")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "notebook")
    return root


def test_restore_puts_the_stored_version_back_and_keeps_the_learners(clone, workbook):
    notebook = clone / "notebooks" / "04_crud.ipynb"
    notebook.write_text(MINE)
    done = restore("04", root=clone)
    assert notebook.read_text() == STORED
    assert done.source == "git" and done.backup is not None
    assert done.backup.parent == workbook / "backups"
    assert done.backup.name.startswith("04_crud.") and done.backup.read_text() == MINE


def test_restoring_twice_in_a_second_keeps_both_copies(clone):
    notebook = clone / "notebooks" / "04_crud.ipynb"
    notebook.write_text(MINE)
    first = restore("04_crud.ipynb", root=clone).backup
    notebook.write_text(MINE + " ")
    second = restore("04_crud", root=clone).backup
    assert first != second and first.exists() and second.exists()


def test_an_untouched_notebook_is_left_alone(clone, workbook):
    assert restore("4", root=clone).backup is None
    assert not (workbook / "backups").exists()


def test_a_deleted_notebook_comes_back(clone):
    notebook = clone / "notebooks" / "04_crud.ipynb"
    notebook.unlink()
    with pytest.raises(RestoreError):  # found by number only when it exists
        restore("04", root=clone)
    assert restore("04_crud.ipynb", root=clone).backup is None
    assert notebook.read_text() == STORED


@pytest.mark.parametrize("name", ["07", "../README.md", "/etc/passwd", "notes.ipynb", "crud"])
def test_anything_but_a_course_notebook_is_refused(clone, name):
    with pytest.raises(RestoreError):
        find_notebook(name, root=clone)


def test_without_git_history_it_refuses_and_changes_nothing(tmp_path, workbook):
    root = tmp_path / "download"
    (root / "notebooks").mkdir(parents=True)
    notebook = root / "notebooks" / "04_crud.ipynb"
    notebook.write_text(MINE)
    with pytest.raises(RestoreError, match="No stored version"):
        restore("04", root=root)
    assert notebook.read_text() == MINE
    # A pristine copy in the working folder is the fallback.
    (workbook / "pristine").mkdir(parents=True)
    (workbook / "pristine" / "04_crud.ipynb").write_text(STORED)
    done = restore("04", root=root)
    assert done.source == "pristine copy" and notebook.read_text() == STORED
    assert done.backup.read_text() == MINE


def test_if_the_copy_cannot_be_kept_nothing_is_replaced(clone, workbook):
    notebook = clone / "notebooks" / "04_crud.ipynb"
    notebook.write_text(MINE)
    workbook.mkdir(parents=True)
    (workbook / "backups").write_text("a file where the folder should be")
    with pytest.raises(RestoreError, match="nothing was changed"):
        restore("04", root=clone)
    assert notebook.read_text() == MINE


def test_the_command_says_where_the_copy_is(capsys):
    # The real workbook: notebook 00 as stored in this clone is left alone.
    assert progress_cli.main(["restore", "nope"]) == 1
    assert "not one of the course's notebooks" in capsys.readouterr().err
