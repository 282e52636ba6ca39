"""Wrong answers to notebook 04 that its checks recognise.

Most are the reference answer with one small edit (`edited`): a change to the answer carries
over to them, and an edit that no longer applies fails loudly.
"""

from sqlalchemy import func, select

from answers import nb04 as answers
from app.models import User
from support.exercises import edited, mistake


def _update(name: str, *edits: tuple[str, str]):
    return edited(answers.update, *edits, name=name)


def _page(name: str, *edits: tuple[str, str]):
    return edited(answers.list_items, *edits, name=name)


def _lookup(name: str, *edits: tuple[str, str]):
    return edited(answers.get_by_email, *edits, name=name, using={"func": func})


# --- update ----------------------------------------------------------------------------------

CHANGES = "obj_in.model_dump(exclude_unset=True)"

update_sets_every_field = mistake("update", code="sets-every-field")(
    _update("update_sets_every_field", (CHANGES, "obj_in.model_dump()"))
)
update_skips_none = mistake("update", code="skips-none")(
    _update("update_skips_none", (CHANGES, "obj_in.model_dump(exclude_none=True)"))
)
update_without_flush = mistake("update", code="not-flushed")(
    _update("update_without_flush", ("    await db.flush()\n", ""))
)
update_forgets_return = mistake("update", code="returns-none")(
    _update("update_forgets_return", ("    return db_obj\n", ""))
)
update_commits = mistake("update", code="commits")(
    _update("update_commits", ("db.flush()", "db.commit()"))
)
update_writes_vars = mistake("update", code="change-not-tracked")(
    _update(
        "update_writes_vars",
        (
            f"for field, value in {CHANGES}.items():\n        setattr(db_obj, field, value)",
            f"vars(db_obj).update({CHANGES})  # SQLAlchemy never sees it",
        ),
    )
)
update_pydantic_v1_dict = mistake("update", code="deprecated-api")(
    _update("update_pydantic_v1_dict", ("model_dump(", "dict("))
)
update_returns_obj_in = mistake("update", code="returns-other-object")(
    _update("update_returns_obj_in", ("return db_obj", "return obj_in"))
)
update_sets_attribute_named_field = mistake("update", code="title-not-set")(
    _update(
        "update_sets_attribute_named_field",
        ("setattr(db_obj, field, value)", "db_obj.field = value"),
    )
)

# --- list_items ------------------------------------------------------------------------------

CLAMP_OFFSET = "offset = max(offset, 0)"
CLAMP_LIMIT = "limit = max(0, min(limit, MAX_LIMIT))"
PAGE = ".offset(offset).limit(limit)"
ROWS = "list((await db.scalars(query)).all())"

list_items_unordered = mistake("list_items", code="unordered")(
    _page("list_items_unordered", (".order_by(Item.id)", ""))
)
list_items_swapped = mistake("list_items", code="swapped")(
    _page("list_items_swapped", (PAGE, ".offset(limit).limit(offset)"))
)
list_items_offset_as_page = mistake("list_items", code="offset-as-page")(
    _page("list_items_offset_as_page", (".offset(offset)", ".offset(offset * limit)"))
)
list_items_uncapped = mistake("list_items", code="uncapped")(
    _page("list_items_uncapped", (f"    {CLAMP_LIMIT}\n", ""))
)
list_items_capped_above_only = mistake("list_items", code="negative-limit")(
    _page("list_items_capped_above_only", (CLAMP_LIMIT, "limit = min(limit, MAX_LIMIT)"))
)
list_items_sliced_in_python = mistake("list_items", code="sliced-in-python")(
    _page("list_items_sliced_in_python", (PAGE, ""), (ROWS, f"{ROWS}[offset : offset + limit]"))
)
list_items_offset_unclamped = mistake("list_items", code="negative-offset-sent")(
    _page("list_items_offset_unclamped", (f"    {CLAMP_OFFSET}\n", ""))
)
list_items_ordered_by_created_at = mistake("list_items", code="order-not-unique")(
    _page("list_items_ordered_by_created_at", ("order_by(Item.id)", "order_by(Item.created_at)"))
)
list_items_ordered_by_owner = mistake("list_items", code="order-not-unique")(
    _page("list_items_ordered_by_owner", ("order_by(Item.id)", "order_by(Item.owner_id)"))
)
list_items_offset_as_id = mistake("list_items", code="offset-as-id")(
    _page("list_items_offset_as_id", (".offset(offset)", ".where(Item.id > offset)"))
)
list_items_fetches_then_slices = mistake("list_items", code="fetches-then-slices")(
    _page(
        "list_items_fetches_then_slices",
        (PAGE, ".limit(offset + limit)"),
        (ROWS, f"{ROWS}[offset:]"),
    )
)
list_items_newest_first = mistake("list_items", code="descending")(
    _page("list_items_newest_first", ("order_by(Item.id)", "order_by(Item.id.desc())"))
)
list_items_at_least_one_row = mistake("list_items", code="negative-limit-not-zero")(
    _page("list_items_at_least_one_row", (CLAMP_LIMIT, "limit = max(1, min(limit, MAX_LIMIT))"))
)
list_items_too_big_falls_back_to_default = mistake("list_items", code="cap-not-max")(
    _page(
        "list_items_too_big_falls_back_to_default",
        (CLAMP_LIMIT, "limit = max(0, limit if limit <= MAX_LIMIT else 20)"),
    )
)
list_items_returns_result = mistake("list_items", code="not-a-list")(
    _page("list_items_returns_result", (ROWS, "await db.execute(query)"))
)
list_items_returns_rows = mistake("list_items", code="not-items")(
    _page("list_items_returns_rows", (ROWS, "list((await db.execute(query)).all())"))
)
list_items_abs_offset = mistake("list_items", code="negative-offset")(
    _page("list_items_abs_offset", (CLAMP_OFFSET, "offset = abs(offset)"))
)
list_items_one_extra_row = mistake("list_items", code="wrong-page")(
    _page("list_items_one_extra_row", (".limit(limit)", ".limit(limit + 1)"))
)

# --- get_by_email ----------------------------------------------------------------------------

WHERE = "User.email == email.lower()"

get_by_email_exact = mistake("get_by_email", code="case-sensitive")(
    _lookup("get_by_email_exact", (WHERE, "User.email == email"))
)
get_by_email_lowers_column_only = mistake("get_by_email", code="case-sensitive")(
    _lookup("get_by_email_lowers_column_only", (WHERE, "func.lower(User.email) == email"))
)
get_by_email_ilike = mistake("get_by_email", code="wildcards")(
    _lookup("get_by_email_ilike", (WHERE, "User.email.ilike(email)"))
)
get_by_email_like = mistake("get_by_email", code="wildcards")(
    _lookup("get_by_email_like", (WHERE, "User.email.like(email.lower())"))
)
get_by_email_casefold = mistake("get_by_email", code="normalised-differently")(
    _lookup("get_by_email_casefold", ("email.lower()", "email.casefold()"))
)

# Queries that never compare the address: each hands back some user for any lookup.
QUERY = "select(User).where(User.email == email.lower())"
ONE = "result.scalar_one_or_none()"

get_by_email_without_where = mistake("get_by_email", code="address-not-compared")(
    _lookup("get_by_email_without_where", (QUERY, "select(User)"))
)
get_by_email_not_equal = mistake("get_by_email", code="address-not-compared")(
    _lookup("get_by_email_not_equal", (WHERE, "User.email != email.lower()"))
)
get_by_email_always_true = mistake("get_by_email", code="address-not-compared")(
    _lookup(
        "get_by_email_always_true",
        (WHERE, "User.email.is_not(None)"),
        (ONE, "result.scalars().first()"),
    )
)
get_by_email_first_user = mistake("get_by_email", code="address-not-compared")(
    _lookup(
        "get_by_email_first_user",
        (QUERY, "select(User).order_by(User.id).limit(1)"),
    )
)
get_by_email_scalar_one = mistake("get_by_email", code="scalar-one")(
    _lookup("get_by_email_scalar_one", ("scalar_one_or_none()", "scalar_one()"))
)


@mistake("get_by_email", code="filters-in-python")
async def get_by_email_filters_in_python(db, email):
    users = (await db.scalars(select(User))).all()
    return next((user for user in users if user.email == email.lower()), None)


get_by_email_lowers_both_sides = mistake("get_by_email", code="index-unused")(
    _lookup("get_by_email_lowers_both_sides", (WHERE, "func.lower(User.email) == email.lower()"))
)


get_by_email_returns_row = mistake("get_by_email", code="returns-not-a-user")(
    _lookup("get_by_email_returns_row", ("result.scalar_one_or_none()", "result.first()"))
)
