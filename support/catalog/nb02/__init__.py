"""Notebook 02 · Models: its lesson card and exercises."""

from __future__ import annotations

from answers import nb02 as answers
from answers.alternatives import nb02 as alternatives
from answers.mistakes import nb02 as mistakes
from support.catalog import Lesson
from support.catalog.nb02 import change_email, define_note
from support.exercises import Exercise, mistakes_for

LESSON = Lesson(
    number="02",
    title="Models",
    filename="02_models.ipynb",
    # Estimated from a timed read-through (prose at ~150 words a minute, ~20 s a code cell,
    # exercises written from scratch with one failed check each); not yet timed with learners.
    teaching_minutes=40,
    exercise_minutes=12,
    objectives=(
        "Declare a model with `DeclarativeBase`, `Mapped` and `mapped_column`, and say what each "
        "annotation means to the database.",
        "Make the database refuse bad rows.",
        "Choose between `server_default` and `default`, knowing which writers get each.",
        "Store timezone-aware UTC timestamps on SQLite.",
        "Name constraints so migrations can find them.",
        "Switch SQLite's foreign keys on for every connection with a `connect` event listener.",
        "Link two models with a foreign key and a relationship that cascades.",
        "Recognise and fix `MissingGreenlet`, and catch it when it comes wrapped in a "
        "`StatementError`.",
    ),
    package_files=("app/models/user.py", "app/models/item.py", "app/core/database.py"),
    key_points=(
        "Declare models with `DeclarativeBase`, `Mapped[...]` and `mapped_column()`: the "
        "annotation gives the Python type to your tools and the nullability to the database.",
        "Let the database enforce what must always hold (unique, not null, foreign keys); it "
        "refuses bad rows with an `IntegrityError`, whoever writes them.",
        "`server_default` is in the table, so every writer gets it; `default=` is added by "
        "SQLAlchemy, and a plain SQL `INSERT` never sees it.",
        "SQLite hands back naive datetimes even for `DateTime(timezone=True)`; a `UTCDateTime` "
        "type decorator makes them timezone-aware UTC everywhere.",
        "Give `MetaData` a naming convention before the first migration, so every constraint has "
        "a name Alembic can drop or alter.",
        "An attribute read cannot await: after a write, load what the database set "
        "(`eager_defaults`, `session.refresh`, `awaitable_attrs`), and load relationships in the "
        "query (`selectinload`), or you get `MissingGreenlet`, often wrapped in a "
        "`StatementError`.",
    ),
    builds_on="01 The database session (an async engine and "
    "`async_sessionmaker(engine, expire_on_commit=False)`)",
)


EXERCISES = [
    Exercise(
        id="define_note",
        title="A model that belongs to a user",
        check=define_note.check,
        answer=answers.define_note,
        hints=define_note.HINTS,
        mistakes=mistakes_for(mistakes, "define_note"),
        kind="function",
        alternatives=[alternatives.define_note_with_sql_default],
        success="Notes belong to users, need a title, carry a UTC timestamp, "
        "and go when their user goes.",
    ),
    Exercise(
        id="change_email",
        title="Readable after an update",
        check=change_email.check,
        answer=answers.change_email,
        hints=change_email.HINTS,
        mistakes=mistakes_for(mistakes, "change_email"),
        kind="async function",
        alternatives=[alternatives.change_email_refreshes_one_attribute],
        success="`user.updated_at` can be read, and returned by a route, without MissingGreenlet.",
    ),
]
