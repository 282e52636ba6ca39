"""Notebook 07 · Errors: its lesson card and exercises."""

from __future__ import annotations

from support.catalog import Lesson

# Minutes are a plan until measured by working through the notebook.
LESSON = Lesson(
    number="07",
    title="Errors",
    filename="07_errors.ipynb",
    teaching_minutes=0,
    exercise_minutes=0,
    package_files=('app/core/exceptions.py', 'app/schemas/error.py'),
)

EXERCISES = []
