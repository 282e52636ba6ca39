"""The course: its notebooks in order, and each notebook's exercises.

Each notebook has a package here, ``nbNN/``, whose ``__init__.py`` declares its ``LESSON``
(title, file, estimated minutes, objectives, where the pattern lives in the finished package) and
its ``EXERCISES``; each exercise's check and hints are in ``nbNN/<exercise id>.py``, what several
of them share in ``nbNN/_shared.py`` (and, across notebooks, ``fixtures.py``). The README,
notebook 00 and the instructor's guide agree with these (tests check).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass, field

from support.exercises import ExerciseSet

# Derived, not kept: a notebook is in the course when its card package `nbNN/` is here
# (iter_modules lists packages too).
NUMBERS = tuple(
    sorted(
        found.name[2:]
        for found in pkgutil.iter_modules(__path__)
        if re.fullmatch(r"nb\d\d", found.name)
    )
)


@dataclass(frozen=True)
class Lesson:
    number: str
    title: str
    filename: str
    teaching_minutes: int
    exercise_minutes: int
    objectives: tuple[str, ...] = ()
    package_files: tuple[str, ...] = ()
    key_points: tuple[str, ...] = field(default=())
    # What the notebook's header box says it builds on: "nothing: start here", "04 CRUD", ...
    builds_on: str = ""

    @property
    def minutes(self) -> int:
        return self.teaching_minutes + self.exercise_minutes


def _module(number: str):
    number = f"{int(number):02d}"
    if number not in NUMBERS:
        raise KeyError(f"No notebook {number} in the course; notebooks: {', '.join(NUMBERS)}.")
    return importlib.import_module(f"support.catalog.nb{number}")


def lesson(number: str) -> Lesson:
    return _module(number).LESSON


def course() -> list[Lesson]:
    return [lesson(n) for n in NUMBERS]


def notebook_title(number: str) -> str:
    return lesson(number).title


def exercises_for(number: str) -> ExerciseSet:
    """The exercises of notebook ``number`` (``"04"`` or ``4``)."""
    module = _module(number)
    return ExerciseSet(module.LESSON.number, module.EXERCISES)
