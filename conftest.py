"""Marks nbval's notebook items so ``pytest -m "not notebooks"`` skips them too."""

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if item.nodeid.endswith(".ipynb") or ".ipynb::" in item.nodeid:
            item.add_marker(pytest.mark.notebooks)


def pytest_configure(config):
    """Tests never write to the learner's own progress log nor send to a class they joined."""
    import os
    import tempfile

    os.environ["WORKBOOK_DIR"] = tempfile.mkdtemp(prefix="workbook-tests-")  # kernels inherit it
    os.environ.pop("WORKBOOK_CLASSROOM", None)
