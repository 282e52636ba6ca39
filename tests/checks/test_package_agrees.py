"""What the notebooks teach and what the finished package does agree.

Each exercise's own check, the one learners meet, is run on the package's counterpart of the
answer. A change to the package that breaks a rule a notebook teaches fails here.
"""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from app.api.routes.health import health
from app.api.routes.users import router as users_router
from app.core import exceptions
from app.core.database import get_db, make_sessionmaker
from app.core.exceptions import register_exception_handlers
from app.crud.item import item_crud
from app.crud.user import user_crud
from app.main import create_app
from app.schemas.item import ItemUpdate
from app.schemas.user import Password, UserResponse
from app.services.items import get_owned_item
from support.catalog import exercises_for
from support.exercises import CORRECT


def package_password_ok(password: str) -> str:
    """The package's `Password` type, with the exercise's contract: ValueError on a broken rule."""
    try:
        return TypeAdapter(Password).validate_python(password)
    except ValidationError as exc:
        raise ValueError(exc.errors()[0]["msg"]) from None


COUNTERPARTS = [
    ("00", "health", health),
    ("01", "get_db", get_db),
    ("01", "make_sessionmaker", make_sessionmaker),
    ("03", "password_ok", package_password_ok),
    ("03", "UserResponse", UserResponse),
    ("03", "ItemUpdate", ItemUpdate),
    ("04", "update", item_crud.update),
    ("04", "list_items", item_crud.list),
    ("04", "get_by_email", user_crud.get_by_email),
    ("05", "users_router", users_router),
    ("06", "get_owned_item", get_owned_item),
    ("07", "app_error_handler", exceptions._app_error),
    ("07", "validation_error_handler", exceptions._validation_error),
    ("07", "register_error_handlers", register_exception_handlers),
    ("08", "build_app", create_app),
]


@pytest.mark.parametrize(
    ("number", "exercise_id", "counterpart"),
    COUNTERPARTS,
    ids=[f"{n}-{i}" for n, i, _ in COUNTERPARTS],
)
def test_the_package_passes_the_check_the_notebook_teaches(number, exercise_id, counterpart):
    exercise = getattr(exercises_for(number), exercise_id)._exercise
    feedback = exercise.evaluate(counterpart)
    assert feedback.status == CORRECT, feedback.message
