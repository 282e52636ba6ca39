"""The course map as Markdown, from the lesson cards in ``support/catalog``.

``python -m support course-map`` prints it; the README and notebook 00 carry it verbatim
(tests/test_course.py checks), so the map cannot drift from the notebooks.
"""

from __future__ import annotations

from support.catalog import course


def course_map(link_base: str = "notebooks/") -> str:
    """The course as a Markdown table; links are relative to the README (or, with
    ``link_base=""``, to a notebook beside the others)."""
    lines = [
        "| # | notebook | minutes (teaching + exercises) | exercises "
        "| where it lives in `solutions/` |",
        "|---|---|---|---|---|",
    ]
    from support.catalog import exercises_for

    total = 0
    for lesson in course():
        total += lesson.minutes
        files = ", ".join(f"`{f}`" for f in lesson.package_files) or "-"
        count = len(exercises_for(lesson.number))
        lines.append(
            f"| {lesson.number} | [{lesson.title}]({link_base}{lesson.filename}) | "
            f"{lesson.teaching_minutes} + {lesson.exercise_minutes} | {count} | {files} |"
        )
    lines.append(f"| | **total** | **{total // 60} h {total % 60:02d} min** | | |")
    return "\n".join(lines)
