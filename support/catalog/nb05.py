"""Notebook 05 · Routes: its lesson card and exercises."""

from __future__ import annotations

from support.catalog import Lesson

# Minutes are a plan until measured by working through the notebook.
LESSON = Lesson(
    number="05",
    title="Routes",
    filename="05_routes.ipynb",
    teaching_minutes=0,
    exercise_minutes=0,
    package_files=('app/api/deps.py', 'app/api/routes/users.py', 'app/api/routes/items.py'),
)

EXERCISES = []
