"""Notebook 04 · CRUD: its lesson card and exercises."""

from __future__ import annotations

from answers import nb04 as answers
from answers.alternatives import nb04 as alternatives
from answers.mistakes import nb04 as mistakes
from support.catalog import Lesson
from support.catalog.nb04 import get_by_email, list_items, update
from support.exercises import Exercise, mistakes_for

# Minutes estimated, not yet timed with learners: 3,100 words of teaching prose at about 120
# words a minute plus 40 teaching code cells at about 20 s each (run, read the output);
# each exercise about 8 minutes with its three hints, checks and one wrong attempt.
LESSON = Lesson(
    number="04",
    title="CRUD",
    filename="04_crud.ipynb",
    teaching_minutes=33,
    exercise_minutes=13,
    objectives=(
        "Say what `flush`, `commit` and `refresh` each do, and predict what another "
        "connection sees before and after a commit.",
        "Flush in the CRUD layer so an IntegrityError surfaces inside the request, "
        "where it can still become a 409.",
        "Write a partial update with `model_dump(exclude_unset=True)` and `setattr`.",
        "Write a paginated list with a stable order (`ORDER BY id`) and bounded "
        "`offset` and `limit`.",
        "Decide when a generic `CRUDBase` pays off and when a resource needs its own code.",
    ),
    builds_on="01 The database session, 02 Models, 03 Schemas",
    package_files=("app/crud/base.py", "app/crud/user.py", "app/crud/item.py"),
    key_points=(
        "`flush` sends SQL inside the open transaction: ids are assigned and constraints "
        "checked, but nobody else sees the rows. `commit` ends the transaction. CRUD flushes; "
        "the request commits once.",
        "Flushing in CRUD makes an `IntegrityError` surface inside the route, where a service "
        "can turn it into a `409`; left to the commit, it surfaces after the response. After a "
        "failed flush, roll back.",
        "A partial update writes only `model_dump(exclude_unset=True)`: omitted fields stay as "
        "they are, an explicit `null` clears one.",
        "A page needs `ORDER BY` a unique column and bounds: `limit` in `0..100`, `offset` at "
        "least 0.",
        "`CRUDBase` serves plain rows; ownership, hashing and normalised emails belong to the "
        "resource's own class or its service, and hashing never happens in CRUD.",
    ),
)


EXERCISES = [
    Exercise(
        id="update",
        title="Update only the fields the client sent",
        check=update.check,
        answer=answers.update,
        hints=update.HINTS,
        mistakes=mistakes_for(mistakes, "update"),
        success="Omitted fields stay as they are, an explicit `null` clears one, and the "
        "UPDATE is flushed inside the transaction for the request to commit.",
    ),
    Exercise(
        id="list_items",
        title="A page of items, in a stable order, with bounds",
        check=list_items.check,
        answer=answers.list_items,
        hints=list_items.HINTS,
        mistakes=mistakes_for(mistakes, "list_items"),
        alternatives=[alternatives.list_items_with_slice],
        success="Every page comes in id order, and no request can read more than 100 rows, "
        "not even with `limit=-1`.",
    ),
    Exercise(
        id="get_by_email",
        title="Find a user by email, whatever its case",
        check=get_by_email.check,
        answer=answers.get_by_email,
        hints=get_by_email.HINTS,
        mistakes=mistakes_for(mistakes, "get_by_email"),
        alternatives=[alternatives.get_by_email_with_scalar],
        success="Ada finds her account however she types her address, and `_` or `%` in an "
        "address matches nothing but itself.",
    ),
]
