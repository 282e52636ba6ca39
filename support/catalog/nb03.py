"""Notebook 03 · Schemas: its lesson card and exercises."""

from __future__ import annotations

from support.catalog import Lesson

# Minutes are a plan until measured by working through the notebook.
LESSON = Lesson(
    number="03",
    title="Schemas",
    filename="03_schemas.ipynb",
    teaching_minutes=0,
    exercise_minutes=0,
    package_files=('app/schemas/user.py', 'app/schemas/item.py'),
)

EXERCISES = []
