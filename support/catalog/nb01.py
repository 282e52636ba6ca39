"""Notebook 01 · The database session: its lesson card and exercises."""

from __future__ import annotations

from support.catalog import Lesson

# Minutes are a plan until measured by working through the notebook.
LESSON = Lesson(
    number="01",
    title="The database session",
    filename="01_database_session.ipynb",
    teaching_minutes=0,
    exercise_minutes=0,
    package_files=('app/core/database.py',),
)

EXERCISES = []
