"""Notebook 03 · Schemas: its lesson card and exercises."""

from __future__ import annotations

from answers import nb03 as answers
from answers.alternatives import nb03 as alternatives
from answers.mistakes import nb03 as mistakes
from support.catalog import Lesson
from support.catalog.nb03 import item_update, password_ok, user_response
from support.exercises import Exercise, mistakes_for

# Minutes estimated, not yet timed with learners: 2,350 words of teaching prose at about 120
# words a minute plus 38 teaching code cells at about 20 s each (run, read the output);
# each exercise about 8 minutes with its three hints, checks and one wrong attempt.
LESSON = Lesson(
    number="03",
    title="Schemas",
    filename="03_schemas.ipynb",
    teaching_minutes=27,
    exercise_minutes=14,
    objectives=(
        "Split one resource into create, update and response schemas, and say what each lets "
        "across the boundary.",
        "Read ORM objects with `model_config = ConfigDict(from_attributes=True)` instead of the "
        "deprecated `class Config`.",
        "Read a 422 validation error body and find the field, the rule and the echoed input.",
        "Enforce a password limit in UTF-8 bytes, because bcrypt ignores everything after byte 72.",
        "Apply partial updates with `model_dump(exclude_unset=True)` and refuse `null` where a "
        "column cannot hold it.",
    ),
    builds_on=(
        "02 Models (the `User` and `Item` tables; here we use the finished package's `app.models`)"
    ),
    package_files=("app/schemas/user.py", "app/schemas/item.py"),
    key_points=(
        "One schema per direction: what a client may send (create, update) is never what the "
        "API returns, and no schema that crosses the boundary declares `hashed_password`.",
        "A response schema sends only the fields it declares; inheriting it from `UserCreate` or "
        'giving it `extra="allow"` lets secrets through.',
        "`model_config = ConfigDict(from_attributes=True)` reads ORM objects; `class Config` "
        "still works but warns `PydanticDeprecatedSince20`.",
        "bcrypt uses only the first 72 bytes and passlib truncates silently: refuse longer "
        "passwords, counting UTF-8 bytes, not characters.",
        "`exclude_unset=True` keeps exactly what the client sent, including an explicit `null`; "
        "reject `null` for fields whose column cannot be empty.",
    ),
)


EXERCISES = [
    Exercise(
        id="password_ok",
        title="Count bytes, not characters",
        check=password_ok.check,
        answer=answers.password_ok,
        hints=password_ok.HINTS,
        mistakes=mistakes_for(mistakes, "password_ok"),
        kind="function",
        alternatives=[alternatives.password_ok_counting_once],
        success="Pydantic will turn each `ValueError` into a 422 entry that names the rule.",
    ),
    Exercise(
        id="UserResponse",
        title="A response schema that leaks nothing",
        check=user_response.check,
        answer=answers.UserResponse,
        hints=user_response.HINTS,
        mistakes=mistakes_for(mistakes, "UserResponse"),
        kind="class",
        alternatives=[alternatives.UserResponseFromUserBase],
        success="Whatever the ORM object carries, this schema sends four fields and no secret.",
    ),
    Exercise(
        id="ItemUpdate",
        title="An update schema with optional fields",
        check=item_update.check,
        answer=answers.ItemUpdate,
        hints=item_update.HINTS,
        mistakes=mistakes_for(mistakes, "ItemUpdate"),
        kind="class",
        alternatives=[alternatives.ItemUpdateWithModelValidator],
        success="`model_dump(exclude_unset=True)` now gives exactly the changes the client sent.",
    ),
]
