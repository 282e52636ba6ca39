"""Notebook 05 · Routes: its lesson card and exercises."""

from __future__ import annotations

from answers import nb05 as answers
from answers.alternatives import nb05 as alternatives
from answers.mistakes import nb05 as mistakes
from support.catalog import Lesson
from support.catalog.nb05 import list_items, read_item, users_router
from support.exercises import Exercise, mistakes_for

# Minutes estimated, not yet timed with learners: 2,650 words of prose at about 120 words a
# minute plus 46 code cells at about 20 s each (run, read the output) is 37; each route function
# took about 10 minutes to work through with its hints, checks and one wrong attempt, and the
# whole route of exercise 3 (router, decorator, parameters, the 409) about 15.
LESSON = Lesson(
    number="05",
    title="Routes",
    filename="05_routes.ipynb",
    teaching_minutes=32,
    exercise_minutes=18,
    objectives=(
        "Group path operations on an `APIRouter` with the right status codes.",
        "Use `response_model` to decide what leaves the server, so the password hash never does.",
        "Inject one session per request through an `Annotated` alias (`SessionDep`) and swap it "
        "in tests with `app.dependency_overrides`.",
        "Explain why the reference answered 201 for a row it never saved, and fix it with "
        '`Depends(get_db, scope="function")` and a flush.',
        "Make registration race-safe: the unique index decides, the route answers 409.",
    ),
    builds_on="01 The database session, 02 Models, 03 Schemas, 04 CRUD",
    package_files=("app/api/deps.py", "app/api/routes/users.py", "app/api/routes/items.py"),
    key_points=(
        "A router groups a resource's path operations; its decorator states method, path, "
        "success status and response model.",
        "`response_model` is a filter: only its fields leave the server, whatever the route "
        "returns.",
        "The code after `yield` runs after the response unless the dependency has "
        '`scope="function"`; commit there, and flush in the CRUD layer so errors surface inside '
        "the route.",
        "Checking before inserting is a shortcut, not a guarantee: catch the IntegrityError of the "
        "unique index and answer 409.",
        "`app.dependency_overrides[get_db]` points every route at another session: one dependency, "
        "one alias, one place to swap.",
    ),
)


EXERCISES = [
    Exercise(
        id="read_item",
        title="Read one item, or answer 404",
        check=read_item.check,
        answer=answers.read_item,
        hints=read_item.HINTS,
        mistakes=mistakes_for(mistakes, "read_item"),
        alternatives=[alternatives.read_item_returns_dict, alternatives.read_item_with_query],
        success="`GET /items/{item_id}` answers 200 with the item, 404 for a missing id and 422 "
        "for one that is not a number.",
    ),
    Exercise(
        id="list_items",
        title="A page of items, with validated pagination",
        check=list_items.check,
        answer=answers.list_items,
        hints=list_items.HINTS,
        mistakes=mistakes_for(mistakes, "list_items"),
        alternatives=[
            alternatives.list_items_defaults_in_query,
            alternatives.list_items_own_ordered_query,
        ],
        success="`GET /items/` pages by id, 20 by default, and answers 422 for a limit outside "
        "1..100 or a negative offset.",
    ),
    Exercise(
        id="users_router",
        title="Wire the registration route yourself",
        check=users_router.check,
        answer=answers.make_users_router,
        hints=users_router.HINTS,
        mistakes=mistakes_for(mistakes, "users_router"),
        alternatives=[
            alternatives.make_users_router_plain_201,
            alternatives.make_users_router_insert_only,
            alternatives.make_users_router_with_the_service,
        ],
        kind="function",
        success="`POST /users/` answers 201 with the new user and no hash, and 409 for a taken "
        "email, even in a race: the whole route, wired by you.",
    ),
]
