"""Notebook 04 · CRUD: its lesson card and exercises."""

from __future__ import annotations

from support.catalog import Lesson

# Minutes are a plan until measured by working through the notebook.
LESSON = Lesson(
    number="04",
    title="CRUD",
    filename="04_crud.ipynb",
    teaching_minutes=0,
    exercise_minutes=0,
    package_files=('app/crud/base.py', 'app/crud/user.py', 'app/crud/item.py'),
)

EXERCISES = []
