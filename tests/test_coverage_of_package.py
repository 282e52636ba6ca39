"""Every module of the finished package is taught somewhere: some lesson card names it."""

from pathlib import Path

from support.catalog import course

SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"


def test_every_package_module_is_named_by_a_lesson():
    named = {f for lesson in course() for f in lesson.package_files}
    modules = {
        p.relative_to(SOLUTIONS).as_posix()
        for p in (SOLUTIONS / "app").rglob("*.py")
        if p.name != "__init__.py"
    }
    covered = {
        m for m in modules if m in named or any(m.startswith(d) for d in named if d.endswith("/"))
    }
    assert modules - covered == set(), f"no lesson names {sorted(modules - covered)}"
    missing = {f for f in named if not (SOLUTIONS / f).exists()}
    assert not missing, f"lesson cards name files that do not exist: {sorted(missing)}"
