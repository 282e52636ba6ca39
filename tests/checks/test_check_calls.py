"""`check()`, `hint()` and `solution()` never raise, however a learner calls them.

Each exercise is called as a notebook would: with its answer by position or by keyword, with
nothing, with too much, with hints that do not exist. Every call shows a result; none raises.
"""

from __future__ import annotations

import pytest

from support.catalog import NUMBERS, exercises_for
from support.exercises import CORRECT, Feedback, LearnerExercise

EXERCISES = [(n, e) for n in NUMBERS for e in exercises_for(n)]
IDS = [f"{n}-{e.id}" for n, e in EXERCISES]


def reference(exercise):
    return exercise.answer[-1] if isinstance(exercise.answer, (list, tuple)) else exercise.answer


def shown(capsys, call) -> str:
    call()  # raising here is the failure this module exists to catch
    return capsys.readouterr().out


@pytest.mark.parametrize("keyword", ["answer", "fn", "update"])
@pytest.mark.parametrize(("number", "exercise"), EXERCISES, ids=IDS)
def test_check_by_keyword_is_the_same_answer(number, exercise, keyword, capsys, monkeypatch):
    checked = []

    def evaluate(answer):  # the check itself is proven elsewhere: here, what reaches it
        checked.append(answer)
        return Feedback(CORRECT, "checked", exercise.id, "correct")

    monkeypatch.setattr(exercise, "evaluate", evaluate)
    out = shown(capsys, lambda: LearnerExercise(exercise).check(**{keyword: reference(exercise)}))
    assert checked == [reference(exercise)] and out.startswith("\u2713 Correct"), out


def test_check_by_keyword_runs_the_real_check(capsys):
    learner = LearnerExercise(exercises_for("00").exercise("health"))
    out = shown(capsys, lambda: learner.check(answer=reference(learner.exercise)))
    assert out.startswith("\u2713 Correct"), out


@pytest.mark.parametrize(("number", "exercise"), EXERCISES, ids=IDS)
def test_check_with_nothing_asks_for_the_answer(number, exercise, capsys):
    out = shown(capsys, LearnerExercise(exercise).check)
    assert out.startswith("\u25cb Not attempted") and f"ex.{exercise.id}.check(" in out, out


@pytest.mark.parametrize(
    "call",
    [
        lambda learner, answer: learner.check(answer, answer),
        lambda learner, answer: learner.check(answer, True),
        lambda learner, answer: learner.check(answer, extra=1),
        lambda learner, answer: learner.check(answer=answer, other=answer),
    ],
    ids=["two-answers", "extra-positional", "extra-keyword", "two-keywords"],
)
@pytest.mark.parametrize(("number", "exercise"), EXERCISES, ids=IDS)
def test_check_with_too_much_says_how_to_call_it(number, exercise, call, capsys):
    out = shown(capsys, lambda: call(LearnerExercise(exercise), reference(exercise)))
    assert out.startswith("\u2717 Incorrect") and "takes one thing" in out, out


@pytest.mark.parametrize(
    "call",
    [
        lambda learner: learner.hint(),
        lambda learner: learner.hint(2),
        lambda learner: learner.hint("2"),
        lambda learner: learner.hint(0),
        lambda learner: learner.hint(99),
        lambda learner: learner.hint(None),
        lambda learner: learner.hint(1.5),
        lambda learner: learner.hint(n=2),
        lambda learner: learner.hint(1, 2),
        lambda learner: learner.solution(),
        lambda learner: learner.solution(1, show=True),
    ],
)
@pytest.mark.parametrize(("number", "exercise"), EXERCISES, ids=IDS)
def test_hint_and_solution_never_raise(number, exercise, call, capsys):
    out = shown(capsys, lambda: call(LearnerExercise(exercise)))
    assert out.strip()
    assert "went wrong" not in out, out


def test_a_failure_to_show_becomes_a_message(capsys, monkeypatch):
    import support.display as display

    def broken_show(obj):
        raise RuntimeError("no display")

    monkeypatch.setattr(display, "show", broken_show)
    learner = LearnerExercise(exercises_for("00").exercise("health"))
    learner.check()
    learner.hint()
    learner.solution()
    assert capsys.readouterr().out.count("went wrong on our side") == 3
