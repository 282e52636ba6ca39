"""The generated parts of INSTRUCTORS.md: the day's schedule and a card per notebook.

Built from the lesson cards and the mistakes each check recognises, so the guide says what the
notebooks do. ``python -m support instructor-guide`` prints it; tests/test_course.py checks that
INSTRUCTORS.md carries the current text.
"""

from __future__ import annotations

import inspect

from support.catalog import course, exercises_for
from support.exercises import Exercise, Mistake

DAY_START = 9 * 60  # 09:00
DAY_END = 17 * 60  # notebooks that would end later go to a follow-up session
SETUP_MINUTES = 15
# After these notebooks the room takes a break of this many minutes.
BREAKS = {"02": ("Break", 15), "03": ("Lunch", 60), "05": ("Break", 15)}
WRAP_UP_MINUTES = 15


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _lesson_line(lesson) -> str:
    return (
        f"{lesson.number} · {lesson.title} "
        f"({lesson.teaching_minutes} teaching + {lesson.exercise_minutes} exercises)"
    )


def schedule() -> str:
    now = DAY_START
    rows = ["| time | what |", "|---|---|"]
    later = []

    def add(length: int, what: str) -> None:
        nonlocal now
        rows.append(f"| {_clock(now)}–{_clock(now + length)} | {what} |")
        now += length

    add(SETUP_MINUTES, "Welcome; every learner runs `make doctor` and opens notebook 00")
    for lesson in course():
        if later or now + lesson.minutes + WRAP_UP_MINUTES > DAY_END:
            later.append(lesson)
            continue
        add(lesson.minutes, _lesson_line(lesson))
        if lesson.number in BREAKS:
            add(BREAKS[lesson.number][1], BREAKS[lesson.number][0])
    add(WRAP_UP_MINUTES, "Wrap-up: questions, what the follow-up covers")
    if later:
        minutes = sum(lesson.minutes for lesson in later)
        rows += [
            "",
            f"A follow-up session of {minutes} minutes (a second morning, or self-study with "
            "the solutions at hand):",
            "",
        ]
        rows += [f"- {_lesson_line(lesson)}" for lesson in later]
    return "\n".join(rows)


def describe_mistake(exercise: Exercise, mistake: Mistake) -> str:
    if mistake.why:
        return mistake.why
    # Its own docstring only: a Pydantic model would inherit BaseModel's.
    own = vars(mistake.example) if inspect.isclass(mistake.example) else {}
    doc = own.get("__doc__") if inspect.isclass(mistake.example) else None
    if inspect.isfunction(mistake.example):
        doc = mistake.example.__doc__
    doc = inspect.cleandoc(doc) if doc else None
    if doc:
        return doc.splitlines()[0].rstrip(".")
    edits = [
        (" ".join(old.split()), " ".join(new.split()))
        for old, new in getattr(mistake.example, "edits", ())
    ]
    # A small edit of the answer says it best; a long one reads worse than the mistake's name.
    if edits and len(edits) <= 2 and all(len(old) + len(new) <= 70 for old, new in edits):
        return "; ".join(f"`{old}` → `{new or '(removed)'}`" for old, new in edits)
    name = getattr(mistake.example, "__name__", "")
    return name.removeprefix(exercise.id).strip("_").replace("_", " ")


def lesson_cards() -> str:
    parts = []
    for lesson in course():
        lines = [f"### {lesson.number} · {lesson.title}", ""]
        lines.append(
            f"{lesson.teaching_minutes} min teaching + {lesson.exercise_minutes} min "
            f"exercises · `notebooks/{lesson.filename}`"
            + (
                " · package: " + ", ".join(f"`solutions/{f}`" for f in lesson.package_files)
                if lesson.package_files
                else ""
            )
        )
        if lesson.objectives:
            lines += ["", "Learners will be able to:"] + [f"- {o}" for o in lesson.objectives]
        if lesson.key_points:
            lines += ["", "Key points:"] + [f"- {k}" for k in lesson.key_points]
        exercises = list(exercises_for(lesson.number))
        if exercises:
            lines += ["", "Exercises, and the mistakes the checks recognise:"]
            for exercise in exercises:
                mistakes = "; ".join(describe_mistake(exercise, m) for m in exercise.mistakes)
                lines.append(
                    f"- `{exercise.id}`: {exercise.title}."
                    + (f" Common mistakes: {mistakes}." if mistakes else "")
                    + f" Solution: `ex.{exercise.id}.solution()`."
                )
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def generated() -> str:
    return "## The day\n\n" + schedule() + "\n\n## Notebook by notebook\n\n" + lesson_cards()
