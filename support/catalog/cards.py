"""A notebook's header box and key points, written from its lesson card.

The card (``LESSON`` in ``nbNN/__init__.py``) is the one source: the header box under a
notebook's title and its "Key points" section are generated from it by ``tools/refresh_docs.py``,
and ``tests/test_course.py`` checks that every stored notebook says what its card says.
"""

from __future__ import annotations

import re
import textwrap

from support.catalog import Lesson

WIDTH = 99
KEY_POINTS = "## Key points"


def _as_clause(sentence: str) -> str:
    """'Say what `flush` does.' -> 'say what `flush` does' (an acronym or a name keeps its case)."""
    sentence = sentence.strip().rstrip(".;")
    if len(sentence) > 1 and sentence[0].isupper() and sentence[1].islower():
        sentence = sentence[0].lower() + sentence[1:]
    return sentence


def _fill(text: str, first: str, rest: str) -> list[str]:
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _files(lesson: Lesson) -> str:
    return ", ".join(f"`{name}`" for name in lesson.package_files)


def header(lesson: Lesson) -> str:
    """The box under the title: time, what it builds on, objectives, where it lives."""
    exercises = "exercise" if lesson.exercise_minutes <= 5 else "exercises"
    line = (
        f"**Time** {lesson.teaching_minutes} min teaching + {lesson.exercise_minutes} min "
        f"{exercises} · **Builds on** {lesson.builds_on or 'the notebooks before it'}"
    )
    lines = _fill(line, "> ", "> ")
    if lesson.objectives:
        lines += [">", "> **You will be able to**"]
        last = len(lesson.objectives) - 1
        for i, objective in enumerate(lesson.objectives):
            end = "." if i == last else ";"
            lines += _fill(_as_clause(objective) + end, "> - ", ">   ")
    if lesson.package_files:
        lines += [">", *_fill(f"**In the finished package** {_files(lesson)}", "> ", "> ")]
    return "\n".join(lines)


def key_points(lesson: Lesson) -> str:
    """The "Key points" section: a heading and one bullet per key point."""
    lines = [KEY_POINTS, ""]
    for point in lesson.key_points:
        lines += _fill(point.strip(), "- ", "  ")
    return "\n".join(lines)


_SECTION_END = re.compile(r"^(## |\*\*Next:\*\*)", re.M)


def with_key_points(source: str, lesson: Lesson) -> str:
    """A cell that starts with "## Key points", its key points rewritten, the rest kept."""
    body = source[len(KEY_POINTS) :]
    end = _SECTION_END.search(body)
    rest = body[end.start() :] if end else ""
    return key_points(lesson) + ("\n\n" + rest if rest else "")


def is_header(source: str) -> bool:
    return source.startswith("> **Time**")


def is_key_points(source: str) -> bool:
    return source.startswith(KEY_POINTS)
