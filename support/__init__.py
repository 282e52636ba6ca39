"""The learners' helper package: exercises, notebook set-up and display helpers, the doctor.

Every notebook starts with ``from support import start`` and ``nb = start("NN")``.
"""

from support.catalog import exercises_for
from support.display import error_line, expect, mask, response, rows, show
from support.notebook import fresh_database_url, start

__all__ = [
    "error_line",
    "exercises_for",
    "expect",
    "fresh_database_url",
    "mask",
    "response",
    "rows",
    "show",
    "start",
]
