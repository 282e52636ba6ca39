"""The README's course map is the one the lesson cards make."""

import re
from pathlib import Path

from support.course import course_map

ROOT = Path(__file__).resolve().parent.parent


def test_readme_course_map_is_current():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- course-map:start[^>]*-->\n(.*?)\n<!-- course-map:end -->", readme, re.S)
    assert found, "README.md lost its course-map markers"
    assert found.group(1) == course_map(), (
        "README.md's course map is stale: paste `python -m support course-map` between the markers"
    )
