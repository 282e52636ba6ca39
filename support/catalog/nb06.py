"""Notebook 06 · Security: its lesson card and exercises."""

from __future__ import annotations

from support.catalog import Lesson

# Minutes are a plan until measured by working through the notebook.
LESSON = Lesson(
    number="06",
    title="Security",
    filename="06_security.ipynb",
    teaching_minutes=0,
    exercise_minutes=0,
    package_files=('app/core/security.py', 'app/api/deps.py', 'app/api/routes/auth.py', 'app/services/users.py'),
)

EXERCISES = []
