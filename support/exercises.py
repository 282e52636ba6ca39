"""Exercises with check, hint and solution, in the manner of Kaggle's learntools.

An exercise is declared once, in ``support/catalog/nbNN.py``::

    update_user = Exercise(
        id="update_user",
        title="Update only the fields the client sent",
        answer=answers.update_user,           # one source of truth, in solutions/answers/
        check=check_update_user,              # async def check(ctx, learner_fn) -> None
        hints=["...", "..."],
        mistakes=[Mistake(mistakes.update_all_fields, says="exclude_unset")],
    )

In a notebook the learner meets it as::

    ex = exercises_for("04")
    ex.update_user.check(update_user)   # not attempted / incorrect: why / correct
    ex.update_user.hint()               # hint(2) for the next one
    ex.update_user.solution()           # the reference answer, highlighted

``check()`` never raises into the notebook: whatever the learner wrote, the result is a
``Feedback`` with one of three statuses and a message that names the fix.
"""

from __future__ import annotations

import ast
import asyncio
import dis
import functools
import gc
import inspect
import linecache
import re
import textwrap
import threading
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from support import display, progress
from support.abandoned import close_abandoned_calls

NOT_ATTEMPTED = "not attempted"
INCORRECT = "incorrect"
CORRECT = "correct"

CHECK_TIMEOUT = 10.0  # seconds a whole check may take before we give up on the learner's code
CALL_TIMEOUT = 5.0  # seconds one call into the learner's code may take


class Incorrect(Exception):
    """Raised by a check to say what is wrong and how to fix it."""


class NotAttempted(Exception):
    """Raised by a check (or by the learner's stub) to say the exercise is still a stub."""


@dataclass(frozen=True)
class Feedback:
    status: str
    message: str
    exercise_id: str = ""

    @property
    def ok(self) -> bool:
        return self.status == CORRECT

    def __repr__(self) -> str:
        return display.plain_feedback(self.status, self.message)

    def _repr_html_(self) -> str:
        return display.html_feedback(self.status, self.message)


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer the check recognises, and a fragment its message must contain.

    ``example`` is a real wrong answer (kept in ``solutions/answers/mistakes/``); tests run the
    check on it and assert the feedback is "incorrect" and mentions ``says``.
    """

    example: Any
    says: str
    why: str = ""


# --------------------------------------------------------------------------------------------
# Recognising an untouched stub


def is_stub_function(fn: Any) -> bool:
    """True for a function whose body is only a docstring, ``...``, ``pass`` or
    ``raise NotImplementedError(...)``: the exercise cell as the notebook ships it.

    Decided from the source where there is one (a notebook cell's always is), and otherwise from
    the bytecode against stubs compiled by this very interpreter: never from a list of one
    CPython's opcodes (3.12 and 3.13 compile an empty ``async def`` differently from 3.11).
    """
    code = getattr(fn, "__code__", None)
    if code is None:
        return False
    body = _function_body(fn)
    if body is not None:
        return all(_is_stub_statement(statement) for statement in body)
    return _bytecode_shape(code) in _stub_shapes()


def _function_body(fn: Any) -> list[ast.stmt] | None:
    try:
        source = textwrap.dedent(inspect.getsource(fn))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == fn.__name__:
            return node.body
    return None  # a lambda, or source that does not hold this function


def _is_stub_statement(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Pass):
        return True
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
        return statement.value.value is Ellipsis or isinstance(statement.value.value, str)
    if isinstance(statement, ast.Raise) and statement.cause is None:
        raised = statement.exc
        if isinstance(raised, ast.Call):
            only_text = all(
                isinstance(a, ast.Constant) and isinstance(a.value, str) for a in raised.args
            )
            raised = raised.func if only_text and not raised.keywords else None
        return isinstance(raised, ast.Name) and raised.id == "NotImplementedError"
    return False


_STUB_NAMES = (None, "NotImplementedError")


def _bytecode_shape(code: Any) -> tuple[tuple[str, Any], ...]:
    """The instructions, with the stub's own message and names left out."""
    return tuple(
        (
            ins.opname,
            ins.argval if ins.argval in (None, "NotImplementedError") else type(ins.argval),
        )
        for ins in dis.get_instructions(code)
        if ins.opname not in ("CACHE", "NOP", "EXTENDED_ARG")
    )


@functools.cache
def _stub_shapes() -> frozenset[tuple[tuple[str, Any], ...]]:
    bodies = [
        '"""Doc."""',
        "...",
        "pass",
        "raise NotImplementedError",
        'raise NotImplementedError("x")',
    ]
    shapes = set()
    for prefix in ("def", "async def"):
        for body in bodies:
            for extra in ("", "\n    ..."):
                namespace: dict[str, Any] = {}
                exec(f"{prefix} stub(a, b):\n    {body}{extra}\n", namespace)  # noqa: S102
                shapes.add(_bytecode_shape(namespace["stub"].__code__))
    return frozenset(shapes)


# --------------------------------------------------------------------------------------------
# Calling the learner's code safely


def describe(obj: Any) -> str:
    """A short, address-free description of what the learner passed in."""
    if obj is None:
        return "`None`"
    if inspect.iscoroutine(obj):
        return "a coroutine object"
    if inspect.isclass(obj):
        return f"the class `{obj.__name__}`"
    if inspect.iscoroutinefunction(obj):
        return f"the async function `{obj.__name__}`"
    if inspect.isfunction(obj) or inspect.ismethod(obj):
        return f"the function `{obj.__name__}`"
    return f"a value of type `{type(obj).__name__}`"


def error_summary(exc: BaseException) -> str:
    """``TypeError: message``, first line only: no paths, no SQL parameters."""
    text = str(exc).strip().splitlines()
    first = text[0] if text else ""
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


class CheckContext:
    """What a check receives: ways to call learner code that turn every failure into feedback."""

    def __init__(self, exercise: Exercise, call_timeout: float | None = None):
        self.exercise = exercise
        self.call_timeout = CALL_TIMEOUT if call_timeout is None else call_timeout

    @asynccontextmanager
    async def database(self, metadata: Any = None) -> AsyncIterator[Any]:
        """A fresh SQLite database with the given tables (default: the finished package's),
        as an ``async_sessionmaker``; removed afterwards."""
        from sqlalchemy.ext.asyncio import async_sessionmaker

        from app.core.database import make_engine
        from support.notebook import fresh_database_url

        if metadata is None:
            import app.models  # noqa: F401 - registers the tables on Base.metadata
            from app.core.database import Base

            metadata = Base.metadata
        engine = make_engine(fresh_database_url("check"))  # with SQLite's foreign keys on
        try:
            async with engine.begin() as conn:
                await conn.run_sync(metadata.create_all)
            yield async_sessionmaker(engine, expire_on_commit=False)
        finally:
            await engine.dispose()

    def require_function(self, obj: Any, *, is_async: bool, name: str | None = None) -> None:
        """Reject what cannot be the answer before anything runs."""
        name = name or self.exercise.id
        if inspect.iscoroutine(obj):
            obj.close()
            raise Incorrect(
                f"You passed a coroutine object, the result of calling `{name}(...)`. "
                f"Pass the function itself: `check({name})`, without parentheses."
            )
        if obj is None or obj is Ellipsis:
            raise NotAttempted()
        if not callable(obj) or inspect.isclass(obj):
            raise Incorrect(f"Expected a function named `{name}`, got {describe(obj)}.")
        # The shipped stub is `async def`: a plain `def` was written by the learner, even empty.
        if is_async and not inspect.iscoroutinefunction(obj):
            raise Incorrect(
                f"`{name}` must be defined with `async def`: whatever calls it (FastAPI, "
                "or the code around it) awaits it."
            )
        if is_stub_function(obj):
            raise NotAttempted()

    async def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call learner code (sync or async) with a time limit; its errors become feedback."""
        name = getattr(fn, "__name__", self.exercise.id)
        try:
            try:
                result = fn(*args, **kwargs)
                if inspect.isawaitable(result):
                    result = await asyncio.wait_for(_as_awaitable(result), self.call_timeout)
            except BaseException as exc:
                close_abandoned_calls(exc)  # a failed lazy load leaves the driver's call unstarted
                raise
        except (Incorrect, NotAttempted):
            raise
        except NotImplementedError as exc:
            raise NotAttempted() from exc
        except TimeoutError as exc:
            raise Incorrect(
                f"`{name}` did not finish within {self.call_timeout:g} seconds. "
                "Look for an `await` that waits forever or a loop that never ends."
            ) from exc
        except Exception as exc:
            raise Incorrect(
                f"`{name}` raised {error_summary(exc)}{where_in_answer(fn, exc)}. Fix it, run "
                "your cell again, then this check."
            ) from exc
        return result


def where_in_answer(fn: Any, exc: BaseException) -> str:
    """`` at line 3 of your cell: `total += row`` for the learner's own line that raised, if any.

    No traceback is shown (it carries machine paths), so the message quotes the line itself.
    """
    filename = getattr(getattr(fn, "__code__", None), "co_filename", None)
    found = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            found = tb.tb_lineno
        tb = tb.tb_next
    if found is None:
        return ""
    source = linecache.getline(filename, found).strip()
    return f" at line {found} of your cell" + (f": `{source}`" if source else "")


async def _as_awaitable(obj: Awaitable[Any]) -> Any:
    return await obj


CheckFn = Callable[[CheckContext, Any], Awaitable[None]]


# --------------------------------------------------------------------------------------------
# Exercises


@dataclass
class Exercise:
    id: str
    title: str
    check: CheckFn
    answer: Any | Sequence[Any]
    hints: list[str]
    mistakes: list[Mistake] = field(default_factory=list)
    success: str = ""
    # "async function", "function" (sync or async both fine), "class" or "value": what the
    # learner hands to check(); the checker tests pick their garbage from it.
    kind: str = "async function"
    check_timeout: float | None = None  # None: the module's CHECK_TIMEOUT

    def evaluate(self, answer: Any) -> Feedback:
        """Run the check and return its feedback; never raises."""
        if self._untouched_stub(answer):  # nothing to run: answer at once
            return Feedback(NOT_ATTEMPTED, self._not_attempted_message(), self.id)
        outcome: list[Feedback] = []

        def run() -> None:
            try:
                # Coroutines abandoned earlier (a notebook's own failure demo) are not the
                # answer's: collect them first, quietly, so only this check's are reported.
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)
                    gc.collect()
                # Everything alive now predates the check: frozen, the collection below looks
                # only at what the check made (a full one takes ~50 ms in a notebook's kernel).
                gc.freeze()
                try:
                    with warnings.catch_warnings(record=True) as caught:
                        warnings.simplefilter("always")
                        feedback = asyncio.run(self._evaluate(answer))
                        gc.collect()  # a coroutine that was never awaited warns when collected
                finally:
                    gc.unfreeze()
                outcome.append(_with_unawaited_advice(feedback, caught))
            except BaseException as exc:  # a checker bug must not reach the learner either
                outcome.append(
                    Feedback(
                        INCORRECT,
                        f"The check could not run ({error_summary(exc)}). Re-run your cell, "
                        "then the check; if it persists, restart the kernel.",
                        self.id,
                    )
                )

        # A thread with its own event loop: the notebook's loop is already running, and
        # asyncio.run() cannot be nested inside it.
        worker = threading.Thread(target=run, name=f"check-{self.id}", daemon=True)
        worker.start()
        limit = self.check_timeout or CHECK_TIMEOUT
        worker.join(limit)
        if worker.is_alive() or not outcome:
            return Feedback(
                INCORRECT,
                f"Your code did not finish within {limit:g} seconds. Look for a "
                "loop that never ends or a call that blocks, fix it, then restart the kernel "
                "(Kernel > Restart) because the stuck call keeps running.",
                self.id,
            )
        return outcome[0]

    def _untouched_stub(self, answer: Any) -> bool:
        """The function as the notebook ships it: what `ctx.require_function` would call not
        attempted, decided before a thread, an event loop and two garbage collections."""
        if self.kind not in ("function", "async function"):
            return False
        if not inspect.isfunction(answer):
            return False
        if self.kind == "async function" and not inspect.iscoroutinefunction(answer):
            return False  # the check says it must be `async def`
        return is_stub_function(answer)

    async def _evaluate(self, answer: Any) -> Feedback:
        ctx = CheckContext(self)
        try:
            try:
                await self.check(ctx, answer)
            except BaseException as exc:
                close_abandoned_calls(exc)
                raise
        except NotAttempted:
            return Feedback(NOT_ATTEMPTED, self._not_attempted_message(), self.id)
        except Incorrect as exc:
            return Feedback(INCORRECT, str(exc), self.id)
        except Exception as exc:
            return Feedback(
                INCORRECT,
                f"Your answer made the check fail with {error_summary(exc)}. "
                f"Compare what `{self.id}` returns with what the task asks for.",
                self.id,
            )
        return Feedback(CORRECT, self.success or "Well done.", self.id)

    def _not_attempted_message(self) -> str:
        return (
            "Complete the exercise cell above, run it, then run this check again. "
            f"Stuck? `ex.{self.id}.hint()` gives a first nudge."
        )

    def hint(self, n: int = 1) -> display.Block:
        """Show hint ``n`` (1-based); each hint says how to get the next one."""
        total = len(self.hints)
        if not 1 <= n <= total:
            calls = " to ".join(f"`ex.{self.id}.hint({i})`" for i in sorted({1, total}))
            return display.Block("hint", f"This exercise has {total} hints: {calls}.")
        text = self.hints[n - 1]
        if n < total:
            text += f"\n\nStill stuck? `ex.{self.id}.hint({n + 1})`"
        else:
            text += f"\n\nThat was the last hint. The answer: `ex.{self.id}.solution()`"
        return display.Block("hint", text, title=f"Hint {n} of {total}")

    def solution(self) -> display.Code:
        """Show the reference answer, from its one source in ``solutions/answers/``."""
        return display.Code(self.solution_source, title=f"Solution: {self.title}")

    @property
    def solution_source(self) -> str:
        objects = self.answer if isinstance(self.answer, (list, tuple)) else [self.answer]
        return "\n\n".join(textwrap.dedent(inspect.getsource(obj)).rstrip() for obj in objects)


_UNAWAITED = re.compile(r"coroutine '([\w.<>]+)' was never awaited")


def _with_unawaited_advice(feedback: Feedback, caught: list[warnings.WarningMessage]) -> Feedback:
    """Name a forgotten ``await`` instead of letting Python's warning land in stderr later."""
    names = sorted({m[1] for w in caught if (m := _UNAWAITED.search(str(w.message)))})
    if not names or feedback.status == NOT_ATTEMPTED:
        return feedback
    calls = ", ".join(f"`{n}`" for n in names)
    advice = f"Your code called {calls} without `await`: put `await` in front of that call."
    status = INCORRECT if feedback.status == CORRECT else feedback.status
    message = advice if status != feedback.status else f"{feedback.message} {advice}"
    return Feedback(status, message, feedback.exercise_id)


class ExerciseSet:
    """The exercises of one notebook: ``ex.update_user`` and ``list(ex)``."""

    def __init__(self, notebook: str, exercises: Sequence[Exercise]):
        self.notebook = notebook
        self._by_id = {e.id: e for e in exercises}
        if len(self._by_id) != len(exercises):
            raise ValueError(f"duplicate exercise ids in notebook {notebook}")

    def __getattr__(self, name: str) -> LearnerExercise:
        try:
            return LearnerExercise(self.__dict__["_by_id"][name], self.__dict__["notebook"])
        except KeyError:
            known = ", ".join(self.__dict__["_by_id"]) or "none"
            raise AttributeError(
                f"Notebook {self.notebook} has no exercise `{name}`; its exercises: {known}."
            ) from None

    def __iter__(self):
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def ids(self) -> list[str]:
        return list(self._by_id)

    def __repr__(self) -> str:
        return f"Exercises of notebook {self.notebook}: {', '.join(self._by_id)}"


class LearnerExercise:
    """The face an exercise shows in a notebook: check, hint, solution."""

    def __init__(self, exercise: Exercise, notebook: str = ""):
        self._exercise = exercise
        self._notebook = notebook  # "04": exercise ids repeat across notebooks (list_items)

    @property
    def id(self) -> str:
        return self._exercise.id

    @property
    def title(self) -> str:
        return self._exercise.title

    def check(self, answer: Any = None, /) -> None:
        """Run the check on your answer: not attempted, incorrect (and why), or correct."""
        feedback = self._exercise.evaluate(answer)
        progress.record(feedback, notebook=self._notebook)  # never raises; about 0.1 ms
        display.show(feedback)

    def hint(self, n: int = 1) -> None:
        """A nudge; `hint(2)` for the next one."""
        display.show(self._exercise.hint(n))

    def solution(self) -> None:
        """The reference answer."""
        display.show(self._exercise.solution())

    def __repr__(self) -> str:
        return f"Exercise {self.id}: {self.title}. Use .check(your_answer), .hint(), .solution()."
