"""Notebook 02 · Models: its lesson card and exercises."""

from __future__ import annotations

from support.catalog import Lesson

# Minutes are a plan until measured by working through the notebook.
LESSON = Lesson(
    number="02",
    title="Models",
    filename="02_models.ipynb",
    teaching_minutes=0,
    exercise_minutes=0,
    package_files=('app/models/user.py', 'app/models/item.py', 'app/core/database.py'),
)

EXERCISES = []
