"""Notebook 06 · Security: its lesson card and exercises."""

from __future__ import annotations

from answers import nb06 as answers
from answers.alternatives import nb06 as alternatives
from answers.mistakes import nb06 as mistakes
from support.catalog import Lesson
from support.catalog.nb06 import get_current_user, get_owned_item, login_route
from support.exercises import Exercise, mistakes_for

LESSON = Lesson(
    number="06",
    title="Security",
    filename="06_security.ipynb",
    teaching_minutes=55,
    exercise_minutes=35,
    builds_on="03 Schemas (the password rule in `UserCreate`), 04 CRUD, 05 Routes (routes and "
    "dependencies)",
    objectives=(
        "Hash and verify passwords with passlib and bcrypt, choose the cost, keep passwords "
        "within bcrypt's 72 bytes, and rehash at login when the cost changes.",
        "Issue and decode JWT (JSON Web Token) access tokens with python-jose, always naming "
        "the algorithm, and refuse every token you did not issue with a `401`, whatever its "
        "shape or size.",
        "End a token when its user is deleted or changes password: ids never reused, a token "
        "version.",
        "Protect routes with the OAuth2 password flow and a `get_current_user` dependency.",
        "Answer another user's item with `404`, and a failed login the same way whether or not "
        "the email exists.",
        "Throttle password guessing with `429` and `Retry-After`.",
        "Keep bcrypt off the event loop.",
    ),
    package_files=(
        "app/core/security.py",
        "app/api/deps.py",
        "app/api/routes/auth.py",
        "app/schemas/token.py",
        "app/services/users.py",
    ),
    key_points=(
        "Store bcrypt hashes, never passwords: cost 12 in production, 4 in notebooks and tests; "
        "refuse passwords over 72 bytes (UTF-8) in the schema; when the cost changes, rehash at "
        "the next successful login. Pin `bcrypt==4.0.1` while you use passlib 1.7.4.",
        "Every token you did not issue is a `401` with `WWW-Authenticate: Bearer`, whatever its "
        "shape: decode with `algorithms=[ALGORITHM]`, refuse an over-long token before parsing "
        "it, turn *any* exception from the decoder into `AuthenticationError`, and check "
        "`sub`'s shape before `int()`.",
        "A token must end with what it was issued for: ids never reused (`sqlite_autoincrement` "
        "on SQLite), and a token version that a password change increments.",
        "Someone else's item is a `404`. A failed login gives one message and one verify at the "
        "current cost, whether or not the email exists, and a throttle answers `429` with "
        "`Retry-After` after a few failures (per process, unless a shared store keeps the "
        "counts).",
        "bcrypt inside `async def` freezes the event loop: run it in a worker thread and await "
        "it, with at most one hash per core at a time.",
    ),
)


EXERCISES = [
    Exercise(
        id="get_current_user",
        title="Turn a token into the current user, refusing every bad token with a 401",
        check=get_current_user.check,
        answer=answers.get_current_user,
        hints=get_current_user.HINTS,
        mistakes=mistakes_for(mistakes, "get_current_user"),
        kind="async function",
        alternatives=[
            alternatives.get_current_user_with_int_guard,
            alternatives.get_current_user_with_a_pattern,
        ],
        success="Every token you did not issue, and every user who is gone, gets a 401.",
    ),
    Exercise(
        id="get_owned_item",
        title="Only the owner sees an item; everyone else gets 404",
        check=get_owned_item.check,
        answer=answers.get_owned_item,
        hints=get_owned_item.HINTS,
        mistakes=mistakes_for(mistakes, "get_owned_item"),
        kind="async function",
        success="Another user's item is indistinguishable from one that does not exist.",
    ),
    Exercise(
        id="login_route",
        title="The login route: a form in, a bearer token out",
        check=login_route.check,
        answer=answers.login_route,
        hints=login_route.HINTS,
        mistakes=mistakes_for(mistakes, "login_route"),
        kind="async function",
        success="A form in, a token `get_current_user` accepts out, and one 401 for every failure.",
    ),
]
