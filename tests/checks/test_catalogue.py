"""Every exercise's check is proven able to fail, and never raises.

For each exercise in ``support/catalog``: the reference answer reads "correct", and so does
every valid alternative; the untouched stub, taken from the notebook's own exercise cell, reads
"not attempted"; every catalogued mistake reads "incorrect" with the diagnosis code it declares;
garbage gets a message and no exception. Last, every diagnosis a check can make (each
``Incorrect(...)`` in the catalogue, and each code in its tables) is proven reached by some
catalogued mistake or garbage input.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import sys
from collections import defaultdict
from pathlib import Path

import nbformat
import pytest

import support.exercises as engine
from support.catalog import NUMBERS, exercises_for, lesson
from support.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED
from support.notebooks import NOTEBOOKS, exercise_id

CATALOG = Path(engine.__file__).parent / "catalog"
EXERCISES = [(n, e) for n in NUMBERS for e in exercises_for(n)]
IDS = [f"{n}-{e.id}" for n, e in EXERCISES]
MISTAKES = [(n, e, m) for n, e in EXERCISES for m in e.mistakes]
MISTAKE_IDS = [
    f"{n}-{e.id}-{getattr(m.example, '__name__', i)}" for i, (n, e, m) in enumerate(MISTAKES)
]
ALTERNATIVES = [(n, e, a) for n, e in EXERCISES for a in e.alternatives]
ALTERNATIVE_IDS = [f"{n}-{e.id}-{a.__name__}" for n, e, a in ALTERNATIVES]


@pytest.fixture(autouse=True)
def short_time_limits(monkeypatch):
    # A never-finishing answer must still be reported; a short limit keeps the suite quick.
    monkeypatch.setattr(engine, "CALL_TIMEOUT", 0.5)


# What each wrong input got, kept so the proof of reach at the end of this module needs no
# second run of the checks when the whole module runs.
FEEDBACK: dict[tuple[str, str, str], engine.Feedback] = {}


def evaluate(number, exercise, key, answer):
    feedback = exercise.evaluate(answer)
    FEEDBACK[(number, exercise.id, key)] = feedback
    return feedback


def answer_module(exercise):
    first = exercise.answer[0] if isinstance(exercise.answer, (list, tuple)) else exercise.answer
    return sys.modules[first.__module__]


def answer_name(exercise):
    first = exercise.answer[-1] if isinstance(exercise.answer, (list, tuple)) else exercise.answer
    return first.__name__


def reference(exercise):
    return exercise.answer[-1] if isinstance(exercise.answer, (list, tuple)) else exercise.answer


def stub_from_notebook(number, exercise):
    """Execute the notebook's untouched exercise cell, with the answer module's imports."""
    path = NOTEBOOKS / lesson(number).filename
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if exercise_id(c) == exercise.id]
    assert len(cells) == 1, f"{path.name}: one stub cell tagged exercise:{exercise.id}"
    namespace = dict(vars(answer_module(exercise)))
    exec(compile(cells[0].source, f"<stub {exercise.id}>", "exec"), namespace)
    return namespace[answer_name(exercise)]


@pytest.mark.parametrize(("number", "exercise"), EXERCISES, ids=IDS)
def test_reference_answer_is_correct(number, exercise):
    feedback = exercise.evaluate(reference(exercise))
    assert feedback.status == CORRECT, feedback.message
    assert feedback.code == "correct"


@pytest.mark.parametrize(("number", "exercise", "alternative"), ALTERNATIVES, ids=ALTERNATIVE_IDS)
def test_valid_alternative_is_accepted(number, exercise, alternative):
    """Another correct style (solutions/answers/alternatives/) is never told it is wrong."""
    feedback = exercise.evaluate(alternative)
    assert feedback.status == CORRECT, feedback.message


@pytest.mark.parametrize(("number", "exercise"), EXERCISES, ids=IDS)
def test_untouched_stub_is_not_attempted(number, exercise):
    stub = stub_from_notebook(number, exercise)
    feedback = exercise.evaluate(stub)
    assert feedback.status == NOT_ATTEMPTED, feedback.message
    # evaluate() answers a recognised stub without running the check: the check must agree.
    ran_anyway = asyncio.run(exercise._evaluate(stub))
    assert ran_anyway.status == NOT_ATTEMPTED, ran_anyway.message


@pytest.mark.parametrize(("number", "exercise", "mistake"), MISTAKES, ids=MISTAKE_IDS)
def test_catalogued_mistake_gets_its_diagnosis(number, exercise, mistake):
    assert mistake.code, "a mistake declares the diagnosis code it must get"
    feedback = evaluate(number, exercise, f"mistake:{mistake.example.__name__}", mistake.example)
    assert feedback.status == INCORRECT, feedback.message
    assert feedback.code == mistake.code, feedback.message
    assert mistake.says.lower() in feedback.message.lower(), feedback.message


@pytest.mark.parametrize(("number", "exercise"), EXERCISES, ids=IDS)
def test_every_exercise_has_hints_and_at_least_two_mistakes(number, exercise):
    assert len(exercise.hints) >= 2
    assert len(exercise.mistakes) >= 2 or number == "00"
    assert exercise.solution_source.strip()


async def _never_finishes(*args, **kwargs):
    await asyncio.sleep(3600)


def _raises(*args, **kwargs):
    raise RuntimeError("learner bug")


async def _raises_async(*args, **kwargs):
    raise RuntimeError("learner bug")


def _returns_none(*args, **kwargs):
    return None


class _SomeClass:
    pass


class _Hostile:
    """An object every attribute read of which raises: the check must still answer."""

    def __getattribute__(self, name):
        raise RuntimeError("hostile object")


# Factories: a coroutine object can be handed to one check only.
GARBAGE = {
    "none": lambda: None,
    "int": lambda: 42,
    "string": lambda: "update_user",
    "class": lambda: _SomeClass,
    "coroutine": lambda: _never_finishes(),
    "raises": lambda: _raises,
    "raises-async": lambda: _raises_async,
    "returns-none": lambda: _returns_none,
    "never-finishes": lambda: _never_finishes,
    "hostile": lambda: _Hostile(),
    "lambda": lambda: lambda *args, **kwargs: 0,
}


@pytest.mark.parametrize("garbage", list(GARBAGE), ids=list(GARBAGE))
@pytest.mark.parametrize(("number", "exercise"), EXERCISES, ids=IDS)
def test_garbage_gets_a_message_not_an_exception(number, exercise, garbage):
    feedback = evaluate(number, exercise, f"garbage:{garbage}", GARBAGE[garbage]())
    assert feedback.status in (INCORRECT, NOT_ATTEMPTED)
    assert feedback.message.strip()
    assert "Traceback" not in feedback.message


def sync_version_of(exercise):
    def sync_version(*args, **kwargs):
        return None

    sync_version.__name__ = reference(exercise).__name__
    return sync_version


@pytest.mark.parametrize(("number", "exercise"), EXERCISES, ids=IDS)
def test_sync_where_async_is_expected(number, exercise):
    if exercise.kind != "async function":
        pytest.skip(f"a {exercise.kind} may be sync")
    assert inspect.iscoroutinefunction(reference(exercise))
    feedback = evaluate(number, exercise, "garbage:sync", sync_version_of(exercise))
    assert feedback.status == INCORRECT
    assert "async def" in feedback.message


# --------------------------------------------------------------------------------------------
# Every diagnosis is reachable


def diagnoses(path: Path) -> tuple[dict[int, str | None], set[str]]:
    """The `Incorrect(...)` calls of a module, by line, with their literal code (None when the
    code comes from a table); and the codes of its tables (`code="..."` in any other call)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    sites: dict[int, str | None] = {}
    tables: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = getattr(node.func, "id", getattr(node.func, "attr", ""))
        code = next((k.value for k in node.keywords if k.arg == "code"), None)
        if called == "Incorrect":
            assert code is not None, f"{path.name}:{node.lineno}: Incorrect(...) without code="
            literal = isinstance(code, ast.Constant) and isinstance(code.value, str)
            sites[node.lineno] = code.value if literal else None
        elif called != "Mistake" and isinstance(code, ast.Constant):
            tables.add(code.value)
    return sites, tables


# Scanned together: a notebook's package is every module of `nbNN/` (a check may raise with a
# code from a table its helper module holds).
SOURCES = {
    "engine": (Path(engine.__file__),),
    **{number: tuple(sorted((CATALOG / f"nb{number}").glob("*.py"))) for number in NUMBERS},
    "fixtures": (CATALOG / "fixtures.py",),
}


def test_every_incorrect_names_its_diagnosis():
    for paths in SOURCES.values():
        for path in paths:
            diagnoses(path)  # asserts that each `Incorrect(...)` passes `code=`
    for _, exercise, mistake in MISTAKES:
        assert mistake.code, f"{exercise.id}: {mistake.example.__name__} declares no code"


def all_wrong_inputs():
    for number, exercise in EXERCISES:
        for mistake in exercise.mistakes:
            yield (
                number,
                exercise,
                f"mistake:{mistake.example.__name__}",
                lambda m=mistake: m.example,
            )
        for name, make in GARBAGE.items():
            yield number, exercise, f"garbage:{name}", make
        if exercise.kind == "async function":
            yield number, exercise, "garbage:sync", lambda e=exercise: sync_version_of(e)


def test_every_diagnosis_is_reached_by_a_mistake_or_garbage():
    """Each `Incorrect(...)` of a check, and each code of its tables, is the answer to at least
    one catalogued mistake or garbage input: no branch that nothing shows can fire."""
    reached: dict[str, set[str]] = defaultdict(set)  # "path:line" -> codes it said
    for number, exercise, key, make in all_wrong_inputs():
        feedback = FEEDBACK.get((number, exercise.id, key))
        if feedback is None:  # this test run alone: run what the tests above did not
            feedback = evaluate(number, exercise, key, make())
        if feedback.site:
            reached[feedback.site].add(feedback.code)
    missing = []
    for group, paths in SOURCES.items():
        said_by_tables: set[str] = set()
        all_tables: set[str] = set()
        for path in paths:
            sites, tables = diagnoses(path)
            all_tables |= tables
            for line, code in sites.items():
                codes = reached.get(f"{path}:{line}", set())
                if code is None:
                    said_by_tables |= codes
                if not codes or (code is not None and code not in codes):
                    missing.append(f"{path.name}:{line} {code or '(from a table)'}")
        missing += [f"{group}: table code {code}" for code in all_tables - said_by_tables]
    assert not missing, "diagnoses no mistake or garbage reaches:\n" + "\n".join(missing)


def test_a_code_names_one_diagnosis_within_an_exercise():
    """Two places in one exercise's check never share a code: the code says which one spoke."""
    sites_of: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for (number, exercise, _), feedback in FEEDBACK.items():
        if feedback.site and feedback.status == INCORRECT:
            sites_of[(number, exercise, feedback.code)].add(feedback.site)
    shared = {key: sites for key, sites in sites_of.items() if len(sites) > 1}
    assert not shared, shared
