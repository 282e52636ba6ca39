"""Marks nbval's notebook items so ``pytest -m "not notebooks"`` skips them too."""

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if item.nodeid.endswith(".ipynb") or ".ipynb::" in item.nodeid:
            item.add_marker(pytest.mark.notebooks)
