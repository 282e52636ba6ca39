"""Notebook 00 · Start here: one warm-up exercise that shows how checks work."""

from __future__ import annotations

from answers import nb00 as answers
from answers.alternatives import nb00 as alternatives
from answers.mistakes import nb00 as mistakes
from support.catalog import Lesson
from support.catalog.nb00 import health
from support.exercises import Exercise, mistakes_for

LESSON = Lesson(
    number="00",
    title="Start here",
    filename="00_start_here.ipynb",
    teaching_minutes=10,
    exercise_minutes=3,
    objectives=(
        "Use an exercise's `check()`, `hint()` and `solution()`.",
        "See your progress with `python -m support progress`.",
        "Run the doctor and read its table.",
        "Follow one request through the layers of the finished package in `solutions/app/`.",
    ),
    package_files=("app/api/routes/health.py",),
    key_points=(
        "Run the setup cell first; running it again, then the cells below, starts you over on a "
        "fresh database.",
        "`ex.<name>.check(answer)` says *not attempted*, *incorrect* (and what to fix), or "
        "*correct*; `hint()`, `hint(2)`, `hint(3)` and `solution()` are there when you need them.",
        "`python -m support progress` shows, per notebook, what you have done, tried and not "
        "started.",
        "`make doctor` tells you whether your machine is ready, and how to fix it if not.",
        "A request flows route → dependencies → service → CRUD → model → database, and back out "
        "through a schema.",
    ),
    builds_on="nothing: start here",
)


EXERCISES = [
    Exercise(
        id="health",
        title="A health endpoint",
        check=health.check,
        answer=answers.health,
        hints=health.HINTS,
        mistakes=mistakes_for(mistakes, "health"),
        alternatives=[alternatives.health_json_response, alternatives.health_sync],
        kind="function",
        success='FastAPI will answer `GET /health` with `{"status": "ok"}`.',
    ),
]
