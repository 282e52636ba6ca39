"""The exercise engine itself: stub detection, time limits, feedback rendering."""

from __future__ import annotations

import asyncio

import pytest

import support.exercises as engine
from support.display import Block, Code
from support.exercises import (
    CORRECT,
    INCORRECT,
    NOT_ATTEMPTED,
    Exercise,
    Feedback,
    Incorrect,
    is_stub_function,
)


def stub_with_docstring(a, b):
    """Do the thing."""
    ...


async def async_stub():
    pass


def raising_stub():
    raise NotImplementedError("write this function")


def returns_constant():
    return "ok"


def returns_none_explicitly(x):
    x = x + 1
    return None


@pytest.mark.parametrize("fn", [stub_with_docstring, async_stub, raising_stub])
def test_stub_bodies_are_recognised(fn):
    assert is_stub_function(fn)


@pytest.mark.parametrize("fn", [returns_constant, returns_none_explicitly, len, 42])
def test_real_bodies_are_not_stubs(fn):
    assert not is_stub_function(fn)


async def _check_returns_two(ctx, fn):
    ctx.require_function(fn, is_async=True, name="two")
    if await ctx.call(fn) != 2:
        raise Incorrect("`two()` must return 2.")


async def _buggy_check(ctx, fn):
    raise KeyError("a bug in the checker")


async def two():
    return 2


def make(check=_check_returns_two):
    return Exercise(id="two", title="Two", check=check, answer=two, hints=["a", "b"])


def test_three_statuses():
    assert make().evaluate(two).status == CORRECT
    assert make().evaluate(async_stub).status == NOT_ATTEMPTED

    async def three():
        return 3

    feedback = make().evaluate(three)
    assert (feedback.status, feedback.message) == (INCORRECT, "`two()` must return 2.")


def test_a_hanging_coroutine_is_reported(monkeypatch):
    monkeypatch.setattr(engine, "CALL_TIMEOUT", 0.2)

    async def hangs():
        await asyncio.sleep(3600)

    feedback = make().evaluate(hangs)
    assert feedback.status == INCORRECT and "did not finish" in feedback.message


def test_blocking_code_hits_the_whole_check_limit(monkeypatch):
    import threading

    monkeypatch.setattr(engine, "CHECK_TIMEOUT", 0.3)
    release = threading.Event()

    async def blocks():
        release.wait(5)  # blocks the check's loop, as `time.sleep` in async code would
        return 2

    try:
        feedback = make().evaluate(blocks)
    finally:
        release.set()
    assert feedback.status == INCORRECT and "restart the kernel" in feedback.message


def test_a_bug_in_a_check_never_reaches_the_learner():
    feedback = make(_buggy_check).evaluate(two)
    assert feedback.status == INCORRECT
    assert "KeyError" in feedback.message


def test_passing_a_coroutine_object_is_explained():
    feedback = make().evaluate(two())
    assert feedback.status == INCORRECT and "without parentheses" in feedback.message


def test_hints_come_in_steps_and_point_to_the_next():
    exercise = make()
    first, last = exercise.hint(1), exercise.hint(2)
    assert isinstance(first, Block) and "hint(2)" in first.text
    assert "solution()" in last.text
    assert "hint(1)" in exercise.hint(7).text


def test_solution_shows_the_answer_source():
    code = make().solution()
    assert isinstance(code, Code)
    assert "async def two" in code.source and "return 2" in code.source
    assert "<pre" in code._repr_html_()


def test_feedback_has_stable_plain_and_html_forms():
    feedback = Feedback(INCORRECT, "Use `exclude_unset=True`.")
    assert repr(feedback) == "\u2717 Incorrect: Use `exclude_unset=True`."
    assert "<code>exclude_unset=True</code>" in feedback._repr_html_()


def test_a_forgotten_await_is_named_and_no_warning_escapes(recwarn):
    async def forgets_await():
        asyncio.sleep(0)  # the mistake: no await
        return 2

    feedback = make().evaluate(forgets_await)
    assert feedback.status == INCORRECT
    assert "`sleep` without `await`" in feedback.message
    assert not [w for w in recwarn if "never awaited" in str(w.message)]


def test_asking_for_a_hint_that_does_not_exist_names_those_that_do():
    assert make().hint(3).text == "This exercise has 2 hints: `ex.two.hint(1)` to `ex.two.hint(2)`."


def test_rerunning_the_setup_says_to_run_the_cells_below(capsys):
    from support import notebook
    from support.notebook import start

    notebook._started.discard("00")
    start("00")
    first = capsys.readouterr().out
    start("00")
    again = capsys.readouterr().out
    assert "run the cells below this one again" not in first
    assert "run the cells below this one again" in again


def test_coroutines_abandoned_before_the_check_are_not_blamed_on_the_answer(recwarn):
    import gc

    gc.disable()  # keep the abandoned coroutine alive until the check starts, as a cycle would
    try:
        abandoned = [asyncio.sleep(0)]
        abandoned.append(abandoned)  # a reference cycle: only the cyclic collector frees it
        del abandoned
        feedback = make().evaluate(two)
    finally:
        gc.enable()
    assert feedback.status == CORRECT, feedback.message


def test_an_error_in_the_answer_quotes_the_learners_line():
    async def divides():
        total = 2
        return total / 0

    feedback = make().evaluate(divides)
    assert feedback.status == INCORRECT
    assert "ZeroDivisionError: division by zero" in feedback.message
    assert "`return total / 0`" in feedback.message
    assert "line" in feedback.message and "Traceback" not in feedback.message


def test_an_untouched_stub_is_answered_without_running_the_check():
    ran = []

    async def check(ctx, fn):
        ran.append(fn)
        ctx.require_function(fn, is_async=True, name="two")

    feedback = make(check).evaluate(async_stub)

    assert feedback.status == NOT_ATTEMPTED and ran == []


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        (stub_with_docstring, INCORRECT),  # a plain `def` where `async def` is expected
        (raising_stub, INCORRECT),
        (None, NOT_ATTEMPTED),
        (two, CORRECT),
    ],
)
def test_anything_but_the_shipped_stub_goes_to_the_check(answer, status):
    ran = []

    async def check(ctx, fn):
        ran.append(fn)
        ctx.require_function(fn, is_async=True, name="two")
        if await ctx.call(fn) != 2:
            raise Incorrect("`two()` must return 2.")

    feedback = make(check).evaluate(answer)

    assert ran == [answer] and feedback.status == status


def _without_source(text):
    """A function compiled from a string, so `inspect.getsource` cannot find it."""
    namespace = {}
    exec(compile(text, "<no source>", "exec"), namespace)
    return namespace["f"]


@pytest.mark.parametrize(
    "text",
    [
        "async def f(session):\n    pass\n",
        "async def f(session):\n    '''Write me.'''\n    ...\n",
        "def f(a, b):\n    raise NotImplementedError('write this')\n",
    ],
)
def test_stubs_without_source_are_recognised_on_this_python(text):
    """The fallback compares bytecode with stubs this interpreter compiles, on 3.11 to 3.13."""
    assert is_stub_function(_without_source(text))


@pytest.mark.parametrize(
    "text",
    [
        "async def f(session):\n    return await session.commit()\n",
        "def f(a, b):\n    return a\n",
        "def f(a, b):\n    raise ValueError('no')\n",
        "async def f(session):\n    print('hi')\n",
    ],
)
def test_real_bodies_without_source_are_not_stubs(text):
    assert not is_stub_function(_without_source(text))


async def async_stub_with_docstring_and_raise(session):
    """Return the session's user."""
    raise NotImplementedError("write this function")


async def returns_none_async():
    return None


def test_the_source_decides_where_there_is_one():
    assert is_stub_function(async_stub_with_docstring_and_raise)
    assert not is_stub_function(returns_none_async)  # same bytecode as `pass` on 3.12+


# --------------------------------------------------------------------------------------------
# The engine's own diagnoses: each code its feedback can carry is produced here


async def _check_exits(ctx, fn):
    raise SystemExit("the check itself broke")


def _engine_feedback(code, monkeypatch):
    """Feedback that carries the engine-level diagnosis ``code``."""
    if code == "check-timeout":
        import threading

        monkeypatch.setattr(engine, "CHECK_TIMEOUT", 0.3)
        release = threading.Event()

        async def blocks():
            release.wait(5)
            return 2

        try:
            return make().evaluate(blocks)
        finally:
            release.set()
    if code == "check-crashed":
        return make(_check_exits).evaluate(two)
    if code == "check-error":
        return make(_buggy_check).evaluate(two)
    if code == "unawaited":

        async def forgets_await():
            asyncio.sleep(0)  # the mistake: no await
            return 2

        return make().evaluate(forgets_await)
    if code == "deprecated-api":
        from app.schemas.item import ItemUpdate

        async def uses_v1_names():
            ItemUpdate(title="x").dict()
            return 2

        return make().evaluate(uses_v1_names)
    if code == "no-answer":
        return make().evaluate_call((), {})
    if code == "check-call":
        return make().evaluate_call((two, two), {})
    if code == "not-attempted":
        return make().evaluate(async_stub)
    if code == "correct":
        return make().evaluate(two)
    raise AssertionError(f"no producer for the engine code {code!r}")


def _engine_codes():
    """The codes the engine writes into feedback itself (`Feedback(..., "code")` literals)."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(engine.__file__).read_text(encoding="utf-8"))
    codes = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Feedback":
            codes |= {
                arg.value
                for arg in node.args[3:4]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            }
    return sorted(codes)


@pytest.mark.parametrize("code", _engine_codes())
def test_every_engine_diagnosis_is_reached(code, monkeypatch):
    feedback = _engine_feedback(code, monkeypatch)
    assert feedback.code == code, feedback.message


def test_the_engine_codes_are_the_ones_this_module_produces():
    assert set(_engine_codes()) == {
        "check-timeout",
        "check-crashed",
        "check-error",
        "unawaited",
        "deprecated-api",
        "no-answer",
        "check-call",
        "not-attempted",
        "correct",
    }


# --------------------------------------------------------------------------------------------
# Mistakes written as small edits of the answer


def test_an_edited_answer_is_a_function_with_its_own_source():
    import inspect

    from support.exercises import edited

    three = edited(two, ("return 2", "return 3"), name="three")
    assert three.__name__ == "three" and three.edits == (("return 2", "return 3"),)
    assert "return 3" in inspect.getsource(three)
    assert not is_stub_function(three)
    feedback = make().evaluate(three)
    assert (feedback.status, feedback.code) == (INCORRECT, "")


def test_an_edit_that_no_longer_applies_fails_loudly():
    from support.exercises import edited

    with pytest.raises(ValueError, match="occurs 0 times"):
        edited(two, ("return 4", "return 5"), name="five")


def test_a_check_that_ends_late_does_not_undo_a_newer_checks_recording():
    """A check that timed out keeps running in its thread. When it ends, in the middle of a newer
    check, the newer check must still record its warnings, and once both have ended the
    process's warnings state is what it was before either."""
    import threading
    import warnings

    from support.exercises import check_warnings

    filters_before = warnings.filters
    entered, release = threading.Event(), threading.Event()

    def old_check() -> None:
        with check_warnings(record=True):
            warnings.simplefilter("always")
            entered.set()
            release.wait(5)

    thread = threading.Thread(target=old_check)
    thread.start()
    assert entered.wait(5)
    with check_warnings(record=True) as caught:
        warnings.simplefilter("always")
        release.set()
        thread.join(5)  # the old check's context ends now, inside the new one
        warnings.warn("a deprecated name", DeprecationWarning, stacklevel=1)
    assert [str(w.message) for w in caught] == ["a deprecated name"]
    assert warnings.filters is filters_before


def test_a_validation_error_is_summarised_by_its_first_error_without_the_input():
    from pydantic import BaseModel, ValidationError

    class Signup(BaseModel):
        email: str
        password: int

    with pytest.raises(ValidationError) as raised:
        Signup.model_validate({"email": "ada@example.com", "password": "hunter2-secret"})
    summary = engine.error_summary(raised.value)

    assert summary.startswith("ValidationError: password: ")
    assert "hunter2-secret" not in summary
    assert engine.error_summary(ValueError("first\nsecond")) == "ValueError: first"
