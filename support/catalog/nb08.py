"""Notebook 08 · The assembled service: its lesson card and exercises."""

from __future__ import annotations

from support.catalog import Lesson

# Minutes are a plan until measured by working through the notebook.
LESSON = Lesson(
    number="08",
    title="The assembled service",
    filename="08_assembled_service.ipynb",
    teaching_minutes=0,
    exercise_minutes=0,
    package_files=('app/main.py', 'app/core/config.py', 'alembic/'),
)

EXERCISES = []
