"""Notebook 01 · The database session: its lesson card and exercises."""

from __future__ import annotations

from answers import nb01 as answers
from answers.alternatives import nb01 as alternatives
from answers.mistakes import nb01 as mistakes
from support.catalog import Lesson
from support.catalog.nb01 import get_db, make_sessionmaker, transfer
from support.exercises import Exercise, mistakes_for

LESSON = Lesson(
    number="01",
    title="The database session",
    filename="01_database_session.ipynb",
    teaching_minutes=35,
    exercise_minutes=10,
    objectives=(
        "Create an async engine and a session factory, and say what each one is for.",
        "Build a query with `select()` and say what `execute`, `scalars`, `scalar` and `get` "
        "each give back.",
        "Write a `get_db` dependency that commits when the route succeeds and rolls back "
        "and re-raises when anything fails, and drive it the way FastAPI does.",
        "Explain, with rows, why a session belongs to one request and is never shared.",
        "Say why `expire_on_commit=False` is needed with async sessions.",
        "Choose between an in-memory and a file SQLite database, knowing their pool semantics.",
        "Make several writes one unit of work with `async with Session.begin()`.",
    ),
    package_files=("app/core/database.py",),
    key_points=(
        "The engine is the app's one connection pool; a session is one unit of work. Each "
        "request gets its own session from a factory, which the app keeps in "
        "`app.state.sessionmaker`.",
        "`select()` builds a query and runs nothing; `execute` gives rows, `scalars` the objects, "
        "`scalar` one value, and `get` one object by primary key, from the session's identity "
        "map first.",
        "`get_db` commits after `yield` and, on any error, rolls back and re-raises: a "
        "request's writes are saved together or not at all, and the error still reaches FastAPI.",
        "A shared session shares its transaction: one request's rollback silently discards "
        "another's work.",
        "With async sessions use `expire_on_commit=False`: reading an expired attribute needs IO "
        "and raises `MissingGreenlet`. Refresh explicitly when you need the database's values.",
        "In-memory SQLite is one shared connection (`StaticPool`); with `NullPool` it is a new "
        "empty database per session. Tests that use more than one session want a temporary file.",
    ),
    builds_on="notebook 00 (checks, hints, solutions)",
)


EXERCISES = [
    Exercise(
        id="get_db",
        title="A session dependency that leaves nothing behind",
        check=get_db.check,
        answer=answers.get_db,
        hints=get_db.HINTS,
        mistakes=mistakes_for(mistakes, "get_db"),
        alternatives=[
            alternatives.get_db_closes_in_finally,
            alternatives.get_db_with_begin,
            alternatives.get_db_try_else,
            alternatives.get_db_commits_inside_begin,
        ],
        kind="function",
        success="Success commits; an error leaves no row behind and reaches the caller, as "
        "in the finished package's `get_db` (`ex.get_db.solution()`).",
    ),
    Exercise(
        id="make_sessionmaker",
        title="A session factory whose objects stay readable after commit",
        check=make_sessionmaker.check,
        answer=answers.make_sessionmaker,
        hints=make_sessionmaker.HINTS,
        mistakes=mistakes_for(mistakes, "make_sessionmaker"),
        alternatives=[alternatives.make_sessionmaker_with_class],
        kind="function",
        success="One factory per app; every request calls it for a session of its own.",
    ),
    Exercise(
        id="transfer",
        title="Move credits between two accounts, atomically",
        check=transfer.check,
        answer=answers.transfer,
        hints=transfer.HINTS,
        mistakes=mistakes_for(mistakes, "transfer"),
        success="Both writes or neither: the database's transaction, not your code, keeps "
        "the books balanced.",
    ),
]
