"""Refresh the generated parts of README.md and INSTRUCTORS.md from the lesson cards."""

from __future__ import annotations

import re
from pathlib import Path

from support.course import course_map
from support.guide import generated

ROOT = Path(__file__).resolve().parent.parent


def replace_between(path: Path, marker: str, text: str) -> None:
    content = path.read_text(encoding="utf-8")
    pattern = re.compile(rf"(<!-- {marker}:start[^>]*-->\n).*?(\n<!-- {marker}:end -->)", re.S)
    if not pattern.search(content):
        raise SystemExit(f"{path.name}: no {marker} markers")
    path.write_text(
        pattern.sub(lambda m: m.group(1) + text + m.group(2), content), encoding="utf-8"
    )


if __name__ == "__main__":
    replace_between(ROOT / "README.md", "course-map", course_map())
    replace_between(ROOT / "INSTRUCTORS.md", "guide", generated())
    print("README.md and INSTRUCTORS.md refreshed from support/catalog")
