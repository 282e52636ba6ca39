"""`python -m support capstone`: the learner's answers, run inside the finished package.

Three real runs (each builds the working copy, runs package tests in a subprocess and, for two,
serves the copy with uvicorn): every reference answer injected, every stub untouched, and one
known wrong answer. Only the first runs the whole of tests/app; the other two choose the files
that matter to them, which keeps this module near a minute. The rest are fast unit tests.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from support import capstone
from support.__main__ import main as support_main
from support.notebooks import exercise_id, inject_solutions, notebook_paths, number_of

pytestmark = pytest.mark.slow

WRONG_HEALTH = '''async def health():
    """Answer GET /health with {"status": "ok"}."""
    return {"status": "OK"}
'''
# Fails as it is defined: the annotation names something that does not exist.
UNLOADABLE_UPDATE = """async def update(db: AsyncSesion, db_obj: Item, obj_in: ItemUpdate) -> Item:
    return db_obj
"""
KEYS = [c.key for c in capstone.COUNTERPARTS]


def write_notebooks(folder: Path, replace: dict[str, str] | None = None) -> Path:
    """The workbook's notebooks with every reference answer injected, then ``replace``d."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in notebook_paths():
        nb = inject_solutions(nbformat.read(path, as_version=4), number_of(path))
        for cell in nb.cells:
            key = f"{number_of(path)}:{exercise_id(cell)}"
            if replace and key in replace:
                cell.source = replace[key]
        nbformat.write(nb, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_notebooks(tmp_path_factory.mktemp("solved"))


def assert_stable(text: str) -> None:
    """No absolute path, port or timing in the report."""
    assert str(capstone.ROOT) not in text
    assert str(capstone.working_folder()) not in text
    assert "127.0.0.1" not in text
    assert " s)" not in text and "seconds" not in text


# --------------------------------------------------------------------------------------------
# Real runs


def test_every_reference_answer_runs_in_the_package_and_everything_passes(solved: Path) -> None:
    report = capstone.run(notebooks=solved, quiet=True)
    text = report.text()

    assert [e.ident for e in report.exercises if e.yours] == [
        c.ident for c in capstone.COUNTERPARTS
    ]
    assert report.failed == [], text
    assert report.test_problem == "", text
    assert report.passed > 150, text  # the whole of tests/app but the slow module
    assert [s.status for s in report.smoke] == [200, 201, 200, 201, 200], text
    assert report.ok, text
    assert f"{len(capstone.COUNTERPARTS)} of {len(capstone.COUNTERPARTS)} are yours." in text
    assert "Result: everything passed." in text
    assert "changes you have not saved (Ctrl+S) are not seen" in text
    assert f"{capstone.SLOW_MODULE} (generated requests, the slowest module) is not run" in text
    assert_stable(text)
    # The copy really holds the answers, and solutions/ does not.
    generated = capstone.working_folder() / "solutions" / "app" / f"{capstone.GENERATED}.py"
    assert 'return {\\"status\\": \\"ok\\"}' in generated.read_text(encoding="utf-8")
    assert not (capstone.SOLUTIONS / "app" / f"{capstone.GENERATED}.py").exists()
    assert capstone.IMPORT_LINE not in (capstone.SOLUTIONS / "app/core/database.py").read_text()


def test_untouched_stubs_keep_the_package_versions_and_pass() -> None:
    report = capstone.run(
        notebooks=capstone.NOTEBOOKS,  # as shipped: every exercise cell is its stub
        select=["tests/app/test_app_main.py", "tests/app/test_app_users.py"],
        quiet=True,
    )
    text = report.text()

    assert report.yours() == []
    for exercise in report.exercises:
        assert exercise.reason.startswith("not attempted"), exercise
    assert "package's version: not attempted" in text
    assert f"0 of {len(capstone.COUNTERPARTS)} are yours." in text
    assert report.failed == [] and report.passed > 20, text
    assert report.ok, text
    # Nothing of the learner's was put in the copy.
    database = capstone.working_folder() / "solutions" / "app" / "core" / "database.py"
    assert capstone.IMPORT_LINE not in database.read_text(encoding="utf-8")


def test_a_wrong_answer_is_named_with_the_tests_it_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notebooks = write_notebooks(
        tmp_path / "notebooks", {"00:health": WRONG_HEALTH, "04:update": UNLOADABLE_UPDATE}
    )

    code = support_main(["capstone", "--notebooks", str(notebooks), "tests/app/test_app_main.py"])
    text = capsys.readouterr().out

    assert code == 1
    assert "  00 health                    yours\n" in text
    assert (
        "04 update                    package's version: could not load: "
        "NameError: name 'AsyncSesion' is not defined" in text
    )
    assert "failed in test_app_main.py:" in text
    failing = [line for line in text.splitlines() if line.startswith("    test_")]
    assert failing, text
    assert all(line.endswith("-> most likely: 00 health") for line in failing), text
    # On the real server the response model refuses "OK": a 500, or a connection closed.
    health = next(line for line in text.splitlines() if line.startswith("  GET /health"))
    assert "  200  ok" not in health, text
    assert "Result: " in text and "test" in text.split("Result: ")[1]
    assert_stable(text)


# --------------------------------------------------------------------------------------------
# The parts, quickly


@pytest.mark.parametrize(
    ("source", "state"),
    [
        ('def f(x):\n    """Doc."""\n    ...  # replace this line\n', "stub"),
        ("async def f(x):\n    raise NotImplementedError\n", "stub"),
        ('class f(BaseModel):\n    """Doc."""\n    ...\n', "stub"),
        ("def f(x):\n    return x\n", ""),
        ("def f(x):\n    ...\n\ndef f(x):\n    return x\n", ""),  # the last definition counts
        ("def g(x):\n    ...\n", ""),  # written, though not as asked: loading says so
    ],
)
def test_stub_state(source: str, state: str) -> None:
    assert capstone.stub_state(source, "f") == state


def test_a_syntax_error_is_reported_without_running_anything() -> None:
    state = capstone.stub_state("def f(x:\n    return x\n", "f")

    assert state.startswith("syntax: SyntaxError: ")
    assert "line 1 of the cell" in state


def test_cells_carry_the_imports_above_them_but_not_the_notebook_helpers(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("from support import start\nimport json\nnb = start('04')"),
        nbformat.v4.new_markdown_cell("from markdown import nothing"),
        nbformat.v4.new_code_cell("from sqlalchemy import select"),
        nbformat.v4.new_code_cell(
            "async def update(db): ...", metadata={"tags": ["exercise:update"]}
        ),
        nbformat.v4.new_code_cell("from fastapi import Query"),
    ]
    nbformat.write(nb, tmp_path / "04_crud.ipynb")

    cells = capstone.read_cells(tmp_path)

    assert list(cells) == ["04:update"]
    assert cells["04:update"].imports == ["import json", "from sqlalchemy import select"]


def test_an_adapter_that_no_longer_fits_the_package_is_reported(tmp_path: Path) -> None:
    target = tmp_path / "solutions" / "app" / "schemas"
    target.mkdir(parents=True)
    (target / "user.py").write_text("Password = str  # the package changed\n")
    password = next(c for c in capstone.COUNTERPARTS if c.ident == "password_ok")

    assert "no longer fits" in capstone.apply_edits(tmp_path, password)
    assert (target / "user.py").read_text() == "Password = str  # the package changed\n"


def test_every_adapter_fits_the_package_as_it_is(tmp_path: Path) -> None:
    capstone.build_copy(tmp_path / "copy")
    for counterpart in capstone.COUNTERPARTS:
        assert capstone.apply_edits(tmp_path / "copy", counterpart) == "", counterpart.key


def test_suspects_come_from_the_traceback_first_then_the_test_file() -> None:
    yours = ["health", "get_db", "update"]
    traceback = 'File "<notebook 04, exercise update>", line 2'

    assert capstone.suspects_for("test_app_main.py", "test_x", traceback, yours) == ("update",)
    assert capstone.suspects_for("test_app_main.py", "test_health_ok", "", yours) == ("health",)
    assert capstone.suspects_for("test_app_crud.py", "test_item_crud", "", yours) == ("update",)
    assert capstone.suspects_for("test_app_crud.py", "test_x", "", ["health"]) == ()
    # The failing line outweighs the test's name: a 500 on /health in a test named after
    # the lifespan's CREATE_TABLES points at health, not at the app factory.
    failure = '>       assert client.get("/health").json() == {"status": "ok"}\nE   assert ...'
    named_after_factory = "test_without_create_tables_startup"
    both = ["build_app", "health"]
    assert capstone.suspects_for("test_app_main.py", named_after_factory, failure, both) == (
        "health",
    )
    assert capstone.suspects_for("test_app_main.py", named_after_factory, "", both) == (
        "build_app",
    )


def test_the_report_text_is_stable_and_says_what_it_did_not_run() -> None:
    exercises = [
        capstone.ExerciseResult("00", "health", "GET /health", True, ""),
        capstone.ExerciseResult("04", "update", "item_crud.update", False, "stub (as shipped)"),
    ]
    report = capstone.CapstoneReport(
        exercises,
        others=3,
        passed=5,
        failed=[capstone.FailedTest("test_app_main.py", "test_health[sqlite]", ("health",))],
        smoke=[capstone.SmokeStep("GET /health", 200, 500)],
        copy_location=".workbook/capstone",
    )

    assert report.text() == "\n".join(
        [
            "Capstone: your answers inside the finished package",
            "Read from your saved notebooks: changes you have not saved (Ctrl+S) are not seen.",
            "",
            "Whose code ran",
            "  00 health  yours",
            "  04 update  package's version: stub (as shipped)",
            "  1 of 2 are yours.",
            "  3 other exercises have no counterpart in the package: their checks in the "
            "notebooks cover them.",
            "",
            "The package's tests (tests/app, on SQLite): 5 passed, 1 failed",
            "  PostgreSQL-only tests are not run (they need TEST_DATABASE_URL).",
            f"  {capstone.SLOW_MODULE} (generated requests, the slowest module) is not run: add "
            "--fuzz, or run(fuzz=True), to include it.",
            "  failed in test_app_main.py:",
            "    test_health[sqlite]  -> most likely: 00 health",
            "",
            "A round trip on the real server (uvicorn)",
            "  GET /health  500  expected 200",
            "",
            "Result: 1 test failed; the round trip did not complete as expected.",
            "The working copy: .workbook/capstone (rebuilt at each run; solutions/ is never "
            "changed).",
        ]
    )
    assert repr(report) == report.text()
    assert not report.ok


def test_a_pass_with_none_of_the_learners_code_says_so() -> None:
    stub = capstone.ExerciseResult("00", "health", "GET /health", False, "stub (as shipped)")
    mine = capstone.ExerciseResult("00", "health", "GET /health", True, "")
    smoke = [capstone.SmokeStep("GET /health", 200, 200)]
    other = capstone.ExerciseResult("01", "get_db", "get_db", False, "stub (as shipped)")
    cases = (
        ([stub], "none of your answers is in yet"),
        ([mine], "Result: everything passed."),
        ([mine, other], "everything passed, with 1 of 2 answers yours"),
    )
    for exercises, verdict in cases:
        report = capstone.CapstoneReport(exercises, others=0, passed=5, smoke=smoke)
        result = next(line for line in report.text().splitlines() if line.startswith("Result:"))
        assert report.ok and verdict in result
