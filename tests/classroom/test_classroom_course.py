"""The classroom's copy of the course (its columns, the ids it accepts) agrees with the catalog."""

from classroom import course
from support.catalog import course as lessons
from support.catalog import exercises_for


def catalogue_text() -> str:
    """What classroom/course.py's two constants should hold, to paste in if this test fails."""
    notebooks = {lesson.number: lesson.title for lesson in lessons()}
    exercises = tuple(
        (lesson.number, exercise.id, exercise.title)
        for lesson in lessons()
        for exercise in exercises_for(lesson.number)
    )
    return f"NOTEBOOKS = {notebooks!r}\nEXERCISES = {exercises!r}"


def test_the_classrooms_copy_of_the_course_is_current():
    copy = f"NOTEBOOKS = {course.NOTEBOOKS!r}\nEXERCISES = {course.EXERCISES!r}"
    assert copy == catalogue_text(), (
        "classroom/course.py is out of date; replace its NOTEBOOKS and EXERCISES with:\n"
        + catalogue_text()
    )
