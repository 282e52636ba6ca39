"""The course's notebooks and exercises, in order: the board's columns and the ids it accepts.

A copy, not an import: the classroom runs without the workbook's catalogue (which loads every
check and answer). `tests/classroom/test_course_copy.py` fails, printing the new text, as soon
as this copy and `support/catalog` disagree.
"""

NOTEBOOKS: dict[str, str] = {
    "00": "Start here",
    "01": "The database session",
    "02": "Models",
    "03": "Schemas",
    "04": "CRUD",
    "05": "Routes",
    "06": "Security",
    "07": "Errors",
    "08": "The assembled service",
}

EXERCISES: tuple[tuple[str, str, str], ...] = (
    ("00", "health", "A health endpoint"),
    ("01", "get_db", "A session dependency that leaves nothing behind"),
    ("01", "make_sessionmaker", "A session factory whose objects stay readable after commit"),
    ("01", "transfer", "Move credits between two accounts, atomically"),
    ("02", "define_note", "A model that belongs to a user"),
    ("02", "change_email", "Readable after an update"),
    ("03", "password_ok", "Count bytes, not characters"),
    ("03", "UserResponse", "A response schema that leaks nothing"),
    ("03", "ItemUpdate", "An update schema with optional fields"),
    ("04", "update", "Update only the fields the client sent"),
    ("04", "list_items", "A page of items, in a stable order, with bounds"),
    ("04", "get_by_email", "Find a user by email, whatever its case"),
    ("05", "read_item", "Read one item, or answer 404"),
    ("05", "list_items", "A page of items, with validated pagination"),
    ("05", "users_router", "Wire the registration route yourself"),
    (
        "06",
        "get_current_user",
        "Turn a token into the current user, refusing every bad token with a 401",
    ),
    ("06", "get_owned_item", "Only the owner sees an item; everyone else gets 404"),
    ("06", "login_route", "The login route: a form in, a bearer token out"),
    ("07", "app_error_handler", "One handler for every domain error"),
    ("07", "validation_error_handler", "A 422 that does not echo the input"),
    ("07", "register_error_handlers", "Register both handlers where the app is built"),
    ("08", "build_app", "The app factory: one service from the parts"),
    ("08", "priority_upgrade", "A migration that adds `priority` to a table that has rows"),
    ("08", "priority_downgrade", "A downgrade that undoes it, on SQLite too"),
    ("08", "priority_test", "A test that fails when the code is wrong"),
)

KNOWN = frozenset(f"{notebook}/{ident}" for notebook, ident, _ in EXERCISES)


def exercise_key(notebook: str, exercise: str) -> str:
    return f"{notebook}/{exercise}"
