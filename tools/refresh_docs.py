"""Refresh what the lesson cards generate: the course map in README.md, the generated half of
INSTRUCTORS.md, classroom/course.py's copy of the exercises, and each notebook's header box and
"Key points" (a notebook that changes is backed up to .workbook/backups/ first)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat

from support.catalog import course, exercises_for, lesson
from support.catalog.cards import header, is_header, is_key_points, with_key_points
from support.course import course_map
from support.guide import generated
from support.notebooks import backup, notebook_paths, number_of

ROOT = Path(__file__).resolve().parent.parent


def replace_between(path: Path, marker: str, text: str) -> None:
    content = path.read_text(encoding="utf-8")
    pattern = re.compile(rf"(<!-- {marker}:start[^>]*-->\n).*?(\n<!-- {marker}:end -->)", re.S)
    if not pattern.search(content):
        raise SystemExit(f"{path.name}: no {marker} markers")
    path.write_text(
        pattern.sub(lambda m: m.group(1) + text + m.group(2), content), encoding="utf-8"
    )


def refresh_notebook(path: Path) -> bool:
    """Rewrite the header box and key points from the card; True when the file changed."""
    nb = nbformat.read(path, as_version=4)
    card = lesson(number_of(path))
    changed = False
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        if is_header(cell.source):
            new = header(card)
        elif is_key_points(cell.source):
            new = with_key_points(cell.source, card)
        else:
            continue
        if new != cell.source:
            cell.source, changed = new, True
    if changed:
        backup(path)
        nbformat.write(nb, path)
    return changed


def refresh_classroom_course(path: Path) -> None:
    """classroom/course.py keeps a copy of the notebooks and exercises (it runs without the
    catalogue): rewrite its two constants, keeping the rest of the module."""
    content = path.read_text(encoding="utf-8")
    head = content[: content.index("NOTEBOOKS:")]
    tail = content[content.index("\nKNOWN = ") :]

    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    lines = ["NOTEBOOKS: dict[str, str] = {"]
    lines += [f"    {q(card.number)}: {q(card.title)}," for card in course()]
    lines += ["}", "", "EXERCISES: tuple[tuple[str, str, str], ...] = ("]
    lines += [
        f"    ({q(card.number)}, {q(exercise.id)}, {q(exercise.title)}),"
        for card in course()
        for exercise in exercises_for(card.number)
    ]
    lines += [")", ""]
    path.write_text(head + "\n".join(lines) + tail, encoding="utf-8")
    ruff = [sys.executable, "-m", "ruff", "format", "--quiet", str(path)]
    subprocess.run(ruff, check=True)  # noqa: S603 (our own interpreter, our own file)


if __name__ == "__main__":
    for path in notebook_paths():
        if refresh_notebook(path):
            print(f"{path.name}: header box and key points rewritten from its card")
    replace_between(ROOT / "README.md", "course-map", course_map())
    replace_between(ROOT / "INSTRUCTORS.md", "guide", generated())
    refresh_classroom_course(ROOT / "classroom" / "course.py")
    print("README.md, INSTRUCTORS.md and classroom/course.py refreshed from support/catalog")
