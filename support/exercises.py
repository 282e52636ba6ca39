"""Exercises with check, hint and solution, in the manner of Kaggle's learntools.

An exercise is declared once, in ``support/catalog/nbNN/__init__.py``::

    update_user = Exercise(
        id="update_user",
        title="Update only the fields the client sent",
        answer=answers.update_user,           # one source of truth, in solutions/answers/
        check=update_user.check,              # nbNN/update_user.py: async def check(ctx, fn)
        hints=update_user.HINTS,              # ["...", "..."], beside the check
        mistakes=mistakes_for(mistakes, "update_user"),  # @mistake("update_user", ...) on each
    )

In a notebook the learner meets it as::

    ex = exercises_for("04")
    ex.update_user.check(update_user)   # not attempted / incorrect: why / correct
    ex.update_user.hint()               # hint(2) for the next one
    ex.update_user.solution()           # the reference answer, highlighted

``check()`` never raises into the notebook, however it is called: whatever the learner wrote,
the result is a ``Feedback`` with one of three statuses, a message that names the fix, and a
short ``code`` naming the diagnosis (``Incorrect("...", code="same-session")``), which the
checker tests compare with the code each catalogued mistake declares.
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
import sys
import textwrap
import threading
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar

from support import display, progress
from support.abandoned import close_abandoned_calls

NOT_ATTEMPTED = "not attempted"
INCORRECT = "incorrect"
CORRECT = "correct"

CHECK_TIMEOUT = 10.0  # seconds a whole check may take before we give up on the learner's code
CALL_TIMEOUT = 5.0  # seconds one call into the learner's code may take


class Incorrect(Exception):
    """Raised by a check to say what is wrong and how to fix it.

    ``code`` names the diagnosis in a word or three (``"same-session"``): mistakes declare the
    code they must get, and a test proves that every code a check can raise is reached.
    """

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.code = code
        # Where this diagnosis was made (file:line of the `Incorrect(...)`): the checker tests
        # prove each one is reached by some wrong answer.
        self.site = _caller_site()


def _caller_site() -> str:
    frame = sys._getframe(2)
    positions = inspect.getframeinfo(frame).positions
    line = positions.lineno if positions and positions.lineno else frame.f_lineno
    return f"{frame.f_code.co_filename}:{line}"


class NotAttempted(Exception):
    """Raised by a check (or by the learner's stub) to say the exercise is still a stub."""


@dataclass(frozen=True)
class Feedback:
    status: str
    message: str
    exercise_id: str = ""
    # The diagnosis: the `Incorrect`'s code, or "correct" / "not-attempted" / "no-answer".
    code: str = ""
    site: str = field(default="", compare=False)  # where the check made it: "path:line"

    @property
    def ok(self) -> bool:
        return self.status == CORRECT

    def __repr__(self) -> str:
        return display.plain_feedback(self.status, self.message)

    def _repr_html_(self) -> str:
        return display.html_feedback(self.status, self.message)


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer the check recognises: the diagnosis it must get, and a fragment
    of the message that names the fix.

    ``example`` is a real wrong answer (kept in ``solutions/answers/mistakes/``); tests run the
    check on it and assert the feedback is "incorrect", its code equals ``code`` and its message
    mentions ``says``.
    """

    example: Any
    says: str = ""
    code: str = ""
    why: str = ""


def edited(
    answer: Callable[..., Any],
    *edits: tuple[str, str],
    name: str,
    using: dict[str, Any] | None = None,
) -> Any:
    """A mistake written as a small edit of the reference answer: ``answer``'s source with each
    ``(old, new)`` replaced, compiled in the answer's module (plus the names in ``using``). Each
    ``old`` must occur exactly once, so a change to the answer cannot silently change what the
    mistake tests.

    The source is registered with ``linecache``: ``inspect.getsource``, the stub detection and
    ``where_in_answer`` see the edited function as they see one written in a file.
    """
    source = textwrap.dedent(inspect.getsource(answer))
    for old, new in edits:
        found = source.count(old)
        if found != 1:
            raise ValueError(f"{name}: {old!r} occurs {found} times in {answer.__name__}")
        source = source.replace(old, new)
    source = source.replace(f"def {answer.__name__}(", f"def {name}(", 1)
    filename = f"<mistake {name}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {**answer.__globals__, **(using or {})}
    # dont_inherit: this module's `from __future__ import annotations` is not the answer's.
    exec(compile(source, filename, "exec", dont_inherit=True), namespace)  # noqa: S102
    mistake = namespace[name]
    mistake.__module__ = answer.__module__
    mistake.edits = edits  # the instructor's guide shows them
    return mistake


_DECLARED = "__mistake_of__"  # on a wrong answer: ((exercise id, Mistake), ...)


def mistake(exercise: str, *, code: str, why: str = "", says: str = "") -> Callable[[Any], Any]:
    """Declare a wrong answer where it is written, in ``solutions/answers/mistakes/nbNN.py``:
    the exercise whose check must recognise it, the ``code`` it must get, ``why`` it is wrong
    (the instructor's guide says it) and ``says``, a fragment its message must contain::

        @mistake("login_route", code="json-not-form", why="a JSON body")
        async def login_route_reads_json(...): ...

        update_skips_none = mistake("update", code="skips-none")(_update(...))

    The exercise's declaration collects them with ``mistakes_for(mistakes, "login_route")``.
    """

    def declare(example: Any) -> Any:
        declared = vars(example).get(_DECLARED, ())
        entry = (exercise, Mistake(example, says=says, code=code, why=why))
        setattr(example, _DECLARED, (*declared, entry))
        return example

    return declare


def mistakes_for(module: Any, exercise: str) -> list[Mistake]:
    """The mistakes ``module`` declares with ``@mistake(exercise, ...)``, in the order it
    defines them."""
    found: list[Mistake] = []
    seen: set[int] = set()
    for value in vars(module).values():
        try:
            declared = vars(value).get(_DECLARED, ())
        except TypeError:  # no __dict__: not a declared mistake
            continue
        if id(value) in seen:
            continue
        seen.add(id(value))
        found += [entry for name, entry in declared if name == exercise]
    return found


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
    """``TypeError: message``, first line only: no paths, no SQL parameters.

    A validation error (Pydantic's, or FastAPI's request and response ones) says its first
    error instead, where and what (``ResponseValidationError: response.password: Field
    required``): its first line is only a count, and the lines after it carry the input.
    """
    errors = getattr(exc, "errors", None)
    if callable(errors):
        try:
            first = errors()[0]
            where = ".".join(str(part) for part in first.get("loc", ()))
            what = str(first["msg"])
        except Exception:  # noqa: S110 - not the shape expected: the first line, as for others
            pass
        else:
            return f"{type(exc).__name__}: {where + ': ' if where else ''}{what}"
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
                f"Pass the function itself: `check({name})`, without parentheses.",
                code="coroutine-passed",
            )
        if obj is None or obj is Ellipsis:
            raise NotAttempted()
        if not callable(obj) or inspect.isclass(obj):
            raise Incorrect(
                f"Expected a function named `{name}`, got {describe(obj)}.", code="not-a-function"
            )
        # The shipped stub is `async def`: a plain `def` was written by the learner, even empty.
        if is_async and not inspect.iscoroutinefunction(obj):
            raise Incorrect(
                f"`{name}` must be defined with `async def`: whatever calls it (FastAPI, "
                "or the code around it) awaits it.",
                code="not-async",
            )
        if is_stub_function(obj):
            raise NotAttempted()

    async def attempt(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Outcome:
        """Call learner code (sync or async) with a time limit: what it returned, or what it
        raised. A time-out, a stub's NotImplementedError and a failed lazy load (MissingGreenlet)
        are never what a check wants to look at: they become feedback here."""
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
                "Look for an `await` that waits forever or a loop that never ends.",
                code="timeout",
            ) from exc
        except Exception as exc:
            if _is_missing_greenlet(exc):
                raise Incorrect(
                    f"`{name}` raised MissingGreenlet{where_in_answer(fn, exc)}: it read an "
                    "attribute that was not loaded (a relationship, or a value the database set "
                    "and SQLAlchemy expired), and a plain attribute read cannot await. Load it "
                    "while you can await: `selectinload(...)` in the query, "
                    "`await session.refresh(obj)`, or `await obj.awaitable_attrs.name`.",
                    code="missing-greenlet",
                ) from exc
            return Outcome(error=exc)
        return Outcome(value=result)

    async def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call learner code (sync or async) with a time limit; its errors become feedback."""
        outcome = await self.attempt(fn, *args, **kwargs)
        if outcome.error is not None:
            name = getattr(fn, "__name__", self.exercise.id)
            exc = outcome.error
            raise Incorrect(
                f"`{name}` raised {error_summary(exc)}{where_in_answer(fn, exc)}. Fix it, run "
                "your cell again, then this check.",
                code="raised",
            ) from exc
        return outcome.value


@dataclass(frozen=True)
class Outcome:
    """What one call into learner code did: returned ``value``, or raised ``error``."""

    value: Any = None
    error: BaseException | None = None

    @property
    def raised(self) -> bool:
        return self.error is not None


def _is_missing_greenlet(exc: BaseException) -> bool:
    """SQLAlchemy's MissingGreenlet, raised as is or wrapped in a StatementError."""
    seen = [exc, getattr(exc, "orig", None), exc.__cause__]
    return any(type(e).__name__ == "MissingGreenlet" for e in seen if e is not None)


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


class check_warnings(warnings.catch_warnings):  # lower case, used as catch_warnings is
    """`warnings.catch_warnings` for checks, which run in threads of their own.

    The warnings state is one per process, and each context puts back on exit what it found on
    entry. A check that timed out keeps running in its thread; finishing later, a plain context
    would put back the state of before it, in the middle of a newer check, whose recording would
    then lose what it should catch. These contexts unwind in order instead: one that ends while a
    newer one is still open is put back when that one ends.
    """

    _open: ClassVar[list[tuple[check_warnings, list[bool]]]] = []
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __enter__(self) -> Any:
        with self._lock:
            entered = super().__enter__()
            self._ended = [False]
            check_warnings._open.append((self, self._ended))
            return entered

    def __exit__(self, *exc_info: object) -> None:
        with self._lock:
            self._ended[0] = True
            while check_warnings._open and check_warnings._open[-1][1][0]:
                context, _ = check_warnings._open.pop()
                warnings.catch_warnings.__exit__(context, *exc_info)


@dataclass
class Exercise:
    id: str
    title: str
    check: CheckFn
    answer: Any | Sequence[Any]
    hints: list[str]
    mistakes: list[Mistake] = field(default_factory=list)
    # Other correct answers, written as learners do (solutions/answers/alternatives/): the
    # checker tests prove each one is accepted.
    alternatives: list[Any] = field(default_factory=list)
    success: str = ""
    # "async function", "function" (sync or async both fine), "class" or "value": what the
    # learner hands to check(); the checker tests pick their garbage from it.
    kind: str = "async function"
    check_timeout: float | None = None  # None: the module's CHECK_TIMEOUT

    def evaluate(self, answer: Any) -> Feedback:
        """Run the check and return its feedback; never raises."""
        try:
            return self._evaluate_in_thread(answer)
        except Exception as exc:  # even an answer whose attributes raise gets a message
            return self._could_not_run(exc)

    def evaluate_call(self, args: Sequence[Any], kwargs: dict[str, Any]) -> Feedback:
        """The feedback for ``check(*args, **kwargs)``: one answer, by position or keyword.
        Never raises."""
        try:
            return self._evaluate_call(args, kwargs)
        except Exception as exc:
            return self._could_not_run(exc)

    def _evaluate_call(self, args: Sequence[Any], kwargs: dict[str, Any]) -> Feedback:
        given = [*args, *kwargs.values()]
        if not given:
            return Feedback(
                NOT_ATTEMPTED,
                f"Pass your answer to the check: `ex.{self.id}.check({self._answer_name()})`.",
                self.id,
                "no-answer",
            )
        if len(given) > 1:
            return Feedback(
                INCORRECT,
                f"`check` takes one thing, your answer, and was given {len(given)}. Call it as "
                f"`ex.{self.id}.check({self._answer_name()})`.",
                self.id,
                "check-call",
            )
        return self.evaluate(given[0])

    def _answer_name(self) -> str:
        answer = self.answer[-1] if isinstance(self.answer, (list, tuple)) else self.answer
        return getattr(answer, "__name__", self.id)

    def _could_not_run(self, exc: BaseException) -> Feedback:
        return Feedback(
            INCORRECT,
            f"The check could not run ({error_summary(exc)}). Re-run your cell, "
            "then the check; if it persists, restart the kernel.",
            self.id,
            "check-crashed",
        )

    def _evaluate_in_thread(self, answer: Any) -> Feedback:
        if self._untouched_stub(answer):  # nothing to run: answer at once
            return Feedback(NOT_ATTEMPTED, self._not_attempted_message(), self.id, "not-attempted")
        outcome: list[Feedback] = []

        def run() -> None:
            try:
                # Coroutines abandoned earlier (a notebook's own failure demo) are not the
                # answer's: collect the young generations first, quietly, so only this check's
                # are reported. The old generation is not scanned (a full collection costs
                # 50-100 ms in a notebook's kernel, and most of a check's time in a test run):
                # frozen below, whatever it holds is never collected during the check, so never
                # blamed on the answer.
                with check_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)
                    gc.collect(1)
                # Everything alive now predates the check: frozen, the collection below looks
                # only at what the check made.
                gc.freeze()
                try:
                    with check_warnings(record=True) as caught:
                        warnings.simplefilter("always")
                        feedback = asyncio.run(self._evaluate(answer))
                        gc.collect()  # a coroutine that was never awaited warns when collected
                finally:
                    gc.unfreeze()
                outcome.append(_with_warnings_advice(feedback, caught))
            except BaseException as exc:  # a checker bug must not reach the learner either
                outcome.append(self._could_not_run(exc))

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
                "check-timeout",
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
            return Feedback(NOT_ATTEMPTED, self._not_attempted_message(), self.id, "not-attempted")
        except Incorrect as exc:
            return Feedback(INCORRECT, str(exc), self.id, exc.code, exc.site)
        except Exception as exc:
            return Feedback(
                INCORRECT,
                f"Your answer made the check fail with {error_summary(exc)}. "
                f"Compare what `{self.id}` returns with what the task asks for.",
                self.id,
                "check-error",
            )
        return Feedback(CORRECT, self.success or "Well done.", self.id, "correct")

    def _not_attempted_message(self) -> str:
        return (
            "Complete the exercise cell above, run it, then run this check again. "
            f"Stuck? `ex.{self.id}.hint()` gives a first nudge."
        )

    def hint(self, n: Any = 1) -> display.Block:
        """Show hint ``n`` (1-based); each hint says how to get the next one."""
        total = len(self.hints)
        try:
            n = int(n)
        except (TypeError, ValueError, OverflowError):
            n = 0
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


def _with_warnings_advice(feedback: Feedback, caught: list[warnings.WarningMessage]) -> Feedback:
    """What the answer's code warned about while the check ran, said instead of left in stderr:
    a forgotten ``await``, or an API that works but is deprecated (Pydantic V1's names)."""
    names = sorted({m[1] for w in caught if (m := _UNAWAITED.search(str(w.message)))})
    if names and feedback.status != NOT_ATTEMPTED:
        calls = ", ".join(f"`{n}`" for n in names)
        advice = f"Your code called {calls} without `await`: put `await` in front of that call."
        if feedback.status == CORRECT:
            return Feedback(INCORRECT, advice, feedback.exercise_id, "unawaited")
        return Feedback(feedback.status, f"{feedback.message} {advice}", *_rest(feedback))
    deprecated = [
        str(w.message).split(" Deprecated in")[0]
        for w in caught
        if type(w.message).__name__.startswith("PydanticDeprecatedSince")
    ]
    if deprecated and feedback.status == CORRECT:
        return Feedback(
            INCORRECT,
            f"It works, but it warns: {deprecated[0]} That name is Pydantic V1's, kept for a "
            "while and removed in V3: use the V2 one.",
            feedback.exercise_id,
            "deprecated-api",
        )
    return feedback


def _rest(feedback: Feedback) -> tuple[str, str, str]:
    return feedback.exercise_id, feedback.code, feedback.site


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

    def exercise(self, exercise_id: str) -> Exercise:
        """The exercise with this id (a KeyError names the ones there are)."""
        try:
            return self._by_id[exercise_id]
        except KeyError:
            raise KeyError(f"Notebook {self.notebook} has no exercise {exercise_id!r}") from None

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

    @property
    def exercise(self) -> Exercise:
        """The exercise itself: its check, answer, mistakes and hints."""
        return self._exercise

    def check(self, *args: Any, **kwargs: Any) -> None:
        """Run the check on your answer: not attempted, incorrect (and why), or correct.

        Never raises, however it is called: `check(answer)`, `check(answer=...)`, `check()`.
        """
        feedback = self._exercise.evaluate_call(args, kwargs)  # never raises
        progress.record(feedback, notebook=self._notebook)  # never raises; about 0.1 ms
        _show_safely(lambda: feedback)

    def hint(self, *args: Any, **kwargs: Any) -> None:
        """A nudge; `hint(2)` for the next one."""
        given = [*args, *kwargs.values()]
        _show_safely(
            lambda: self._exercise.hint(
                given[0] if len(given) == 1 else 1 + 0 * len(given) if not given else 0
            )
        )

    def solution(self, *args: Any, **kwargs: Any) -> None:
        """The reference answer."""
        _show_safely(self._exercise.solution)

    def __repr__(self) -> str:
        return f"Exercise {self.id}: {self.title}. Use .check(your_answer), .hint(), .solution()."


def _show_safely(make: Callable[[], Any]) -> None:
    """Show what ``make`` builds; a failure to build or show it becomes a message, not a raise."""
    try:
        display.show(make())
    except Exception as exc:
        print(f"Something went wrong on our side ({error_summary(exc)}). Run the cell again.")
