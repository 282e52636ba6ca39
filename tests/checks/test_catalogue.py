"""Every exercise's check is proven able to fail, and never raises.

For each exercise in ``support/catalog``: the reference answer reads "correct"; the untouched
stub, taken from the notebook's own exercise cell, reads "not attempted"; every catalogued
mistake reads "incorrect" with its own message; garbage gets a message and no exception.
"""

from __future__ import annotations

import asyncio
import inspect
import sys

import nbformat
import pytest

import support.exercises as engine
from support.catalog import NUMBERS, exercises_for, lesson
from support.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED
from support.notebooks import NOTEBOOKS, exercise_id

EXERCISES = [(n, e) for n in NUMBERS for e in exercises_for(n)]
IDS = [f"{n}-{e.id}" for n, e in EXERCISES]
MISTAKES = [(n, e, m) for n, e in EXERCISES for m in e.mistakes]
MISTAKE_IDS = [
    f"{n}-{e.id}-{getattr(m.example, '__name__', i)}" for i, (n, e, m) in enumerate(MISTAKES)
]


@pytest.fixture(autouse=True)
def short_time_limits(monkeypatch):
    # A never-finishing answer must still be reported; a short limit keeps the suite quick.
    monkeypatch.setattr(engine, "CALL_TIMEOUT", 0.5)


def answer_module(exercise):
    first = exercise.answer[0] if isinstance(exercise.answer, (list, tuple)) else exercise.answer
    return sys.modules[first.__module__]


def answer_name(exercise):
    first = exercise.answer[-1] if isinstance(exercise.answer, (list, tuple)) else exercise.answer
    return first.__name__


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
    answer = exercise.answer[-1] if isinstance(exercise.answer, (list, tuple)) else exercise.answer
    feedback = exercise.evaluate(answer)
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
def test_catalogued_mistake_is_named(number, exercise, mistake):
    feedback = exercise.evaluate(mistake.example)
    assert feedback.status == INCORRECT, feedback.message
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


GARBAGE = {
    "none": None,
    "int": 42,
    "string": "update_user",
    "class": _SomeClass,
    "raises": _raises,
    "raises-async": _raises_async,
    "returns-none": _returns_none,
    "never-finishes": _never_finishes,
}


@pytest.mark.parametrize("garbage", list(GARBAGE), ids=list(GARBAGE))
@pytest.mark.parametrize(("number", "exercise"), EXERCISES, ids=IDS)
def test_garbage_gets_a_message_not_an_exception(number, exercise, garbage):
    feedback = exercise.evaluate(GARBAGE[garbage])
    assert feedback.status in (INCORRECT, NOT_ATTEMPTED)
    assert feedback.message.strip()
    assert "Traceback" not in feedback.message


@pytest.mark.parametrize(("number", "exercise"), EXERCISES, ids=IDS)
def test_sync_where_async_is_expected(number, exercise):
    answer = exercise.answer[-1] if isinstance(exercise.answer, (list, tuple)) else exercise.answer
    if exercise.kind != "async function":
        pytest.skip(f"a {exercise.kind} may be sync")
    assert inspect.iscoroutinefunction(answer)

    def sync_version(*args, **kwargs):
        return None

    sync_version.__name__ = answer.__name__
    feedback = exercise.evaluate(sync_version)
    assert feedback.status == INCORRECT
    assert "async def" in feedback.message
