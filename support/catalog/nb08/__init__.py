"""Notebook 08 · The assembled service: its lesson card and exercises."""

from answers import nb08 as answers
from answers.alternatives import nb08 as alternatives
from answers.mistakes import nb08 as mistakes
from support.catalog import Lesson
from support.catalog.nb08 import build_app, priority_downgrade, priority_test, priority_upgrade
from support.exercises import Exercise, mistakes_for

LESSON = Lesson(
    number="08",
    title="The assembled service",
    filename="08_assembled_service.ipynb",
    teaching_minutes=60,
    exercise_minutes=28,
    builds_on="every notebook before it; 05 Routes (`TestClient`), 06 Security (hashing in a "
    "thread) and 07 Errors (the one error shape) most",
    objectives=(
        "Find each notebook's pattern in the files of the finished package.",
        "Configure the service from environment variables with pydantic-settings, and make it "
        "refuse to start in production with a placeholder secret.",
        "Write the app factory: the engine, the lifespan (tables at startup when asked, the "
        "engine disposed at shutdown), what `app.state` must hold, the error handlers and the "
        "routers.",
        "Apply and undo an Alembic migration, and write one that adds a column to a table "
        "that already has rows, on SQLite too.",
        "Start the real server, call it, stop it, and run the package's tests.",
        "Keep a login storm from taking the connection pool down: release the connection "
        "before slow work, and refuse with 503 and `Retry-After` when the queue is full.",
        "Explain what WAL and a busy timeout change for concurrent writers on SQLite.",
        "Write a test that fails when the code is wrong.",
    ),
    package_files=(
        "app/main.py",
        "app/core/config.py",
        "app/services/items.py",
        "alembic/env.py",
        "alembic/versions/0001_initial.py",
        "alembic/versions/0002_ids_never_reused_token_version.py",
    ),
    key_points=(
        "Settings come from the environment; production refuses the placeholder secret "
        "before the app serves anything.",
        "`create_app(settings)` builds the app without touching the database; the lifespan "
        "runs at startup and shutdown, and `TestClient` runs it only as a context manager.",
        "The schema changes through migrations: a new NOT NULL column needs a "
        "`server_default` for the rows already there, and SQLite needs batch mode to change "
        "constraints.",
        "Under load, a request that waits for slow work must not hold a pooled connection: "
        "release it first, and refuse at once (503, `Retry-After`) when the wait would be "
        "too long. On SQLite, WAL and a busy timeout make writers wait their turn.",
        "A test is only worth having if it fails against a wrong implementation.",
    ),
)


EXERCISES = [
    Exercise(
        id="build_app",
        title="The app factory: one service from the parts",
        check=build_app.check,
        answer=answers.build_app,
        hints=build_app.HINTS,
        mistakes=mistakes_for(mistakes, "build_app"),
        kind="function",
        alternatives=[alternatives.build_app_engine_in_lifespan],
        check_timeout=30.0,  # two apps started and stopped, and two bcrypt calls
        success="Built without connecting; tables at startup only when asked; a user signed "
        "up, logged in and read /users/me; errors in the one shape; the engine closed at "
        "shutdown.",
    ),
    Exercise(
        id="priority_upgrade",
        title="A migration that adds `priority` to a table that has rows",
        check=priority_upgrade.check,
        answer=answers.upgrade,
        hints=priority_upgrade.HINTS,
        mistakes=mistakes_for(mistakes, "priority_upgrade"),
        kind="function",
        alternatives=[alternatives.upgrade_with_sql_default],
        success="Existing items got priority 3, and the database itself refuses 0 and 6.",
    ),
    Exercise(
        id="priority_downgrade",
        title="A downgrade that undoes it, on SQLite too",
        check=priority_downgrade.check,
        answer=answers.downgrade,
        hints=priority_downgrade.HINTS,
        mistakes=mistakes_for(mistakes, "priority_downgrade"),
        kind="function",
        success="The table is back as it was, with its rows: the migration is reversible.",
    ),
    Exercise(
        id="priority_test",
        title="A test that fails when the code is wrong",
        check=priority_test.check,
        answer=answers.test_priority,
        hints=priority_test.HINTS,
        mistakes=mistakes_for(mistakes, "priority_test"),
        kind="function",
        alternatives=[alternatives.test_priority_in_loops],
        success="Your test passes on the correct service and fails on each of "
        f"{len(priority_test.BROKEN_SERVICES)} broken ones.",
    ),
]
