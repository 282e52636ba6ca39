"""The README's course map is the one the lesson cards make."""

import re
from pathlib import Path

from support.course import course_map

ROOT = Path(__file__).resolve().parent.parent


def test_readme_course_map_is_current():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(
        r"<!-- course-map:start[^>]*-->\n(.*?)\n<!-- course-map:end -->", readme, re.S
    )
    assert found, "README.md lost its course-map markers"
    assert found.group(1) == course_map(), (
        "README.md's course map is stale: paste `python -m support course-map` between the markers"
    )


def test_instructors_guide_is_current():
    from support.guide import generated

    guide = (ROOT / "INSTRUCTORS.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- guide:start[^>]*-->\n(.*?)\n<!-- guide:end -->", guide, re.S)
    assert found, "INSTRUCTORS.md lost its guide markers"
    assert found.group(1) == generated(), (
        "INSTRUCTORS.md is stale: paste `python -m support instructor-guide` between the markers"
    )


def test_the_workshop_day_ends_on_time_and_places_every_notebook_once():
    from support.catalog import course
    from support.guide import DAY_END, schedule

    text = schedule()
    times = re.findall(r"^\| \d\d:\d\d–(\d\d):(\d\d) \|", text, re.M)
    assert int(times[-1][0]) * 60 + int(times[-1][1]) <= DAY_END
    for lesson in course():
        assert text.count(f"{lesson.number} · {lesson.title} (") == 1, lesson.number


def test_each_notebooks_header_box_and_key_points_are_its_cards():
    import nbformat

    from support.catalog import lesson
    from support.catalog.cards import header, is_header, is_key_points, with_key_points
    from support.notebooks import notebook_paths, number_of

    for path in notebook_paths():
        card = lesson(number_of(path))
        cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]
        headers = [c.source for c in cells if is_header(c.source)]
        points = [c.source for c in cells if is_key_points(c.source)]
        assert headers == [header(card)], f"{path.name}: header box differs from its card"
        assert len(points) == 1, f"{path.name}: one 'Key points' section expected"
        assert points[0] == with_key_points(points[0], card), (
            f"{path.name}: key points differ from its card; run tools/refresh_docs.py"
        )
