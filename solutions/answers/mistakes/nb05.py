"""Wrong answers to notebook 05 that its check recognises."""

from collections.abc import AsyncIterator, Sequence
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from answers import nb05 as answers
from app.api.deps import SessionDep
from app.crud.item import item_crud
from app.models import Item
from support.exercises import edited, mistake

# The notebook's factory, on a database of its own (the check points its sessions at its own).
AsyncSessionLocal = async_sessionmaker(create_async_engine("sqlite+aiosqlite://"))


async def one_session_for_all(request: Request) -> AsyncSession:
    state = request.app.state
    if not hasattr(state, "session"):
        state.session = AsyncSessionLocal()  # made on the first request, then shared by all
    return state.session


async def session_factory() -> async_sessionmaker:
    return AsyncSessionLocal  # the factory itself, not a session from it


async def new_session() -> AsyncSession:
    return AsyncSessionLocal()  # a session per request, but nobody ever closes it


# read_item

SESSION_DEP = "db: SessionDep"
USING = {
    "Depends": Depends,
    "JSONResponse": JSONResponse,
    "select": select,
    "one_session_for_all": one_session_for_all,
    "new_session": new_session,
    "session_factory": session_factory,
    "AsyncSessionLocal": AsyncSessionLocal,
}


def _read_item(name: str, *edits: tuple[str, str]):
    return edited(answers.read_item, *edits, name=name, using=USING)


@mistake("read_item", code="returns-none")
async def read_item_returns_none(item_id: int, db: SessionDep) -> Item:
    # No check for a missing row: FastAPI then validates None against ItemResponse, a 500.
    return await item_crud.get(db, item_id)


read_item_answers_400 = mistake("read_item", code="not-404")(
    _read_item("read_item_answers_400", ("status_code=404", "status_code=400"))
)


read_item_other_detail = mistake("read_item", code="wrong-detail")(
    # the task says "Item not found"
    _read_item("read_item_other_detail", ('detail="Item not found"', 'detail="Not found"'))
)


read_item_returns_exception = mistake("read_item", code="returns-exception")(
    # returned, not raised
    _read_item("read_item_returns_exception", ("raise HTTPException", "return HTTPException"))
)


read_item_returns_error_dict = mistake("read_item", code="returns-error-dict")(
    # a success body, validated against ItemResponse
    _read_item(
        "read_item_returns_error_dict",
        (
            'raise HTTPException(status_code=404, detail="Item not found")',
            'return {"detail": "Item not found"}',
        ),
    )
)


read_item_wrong_keyword = mistake("read_item", code="wrong-keyword")(
    # CRUDBase.get's parameter is `id`
    _read_item(
        "read_item_wrong_keyword",
        ("item_crud.get(db, item_id)", "item_crud.get(db, item_id=item_id)"),
    )
)


@mistake("read_item", code="returns-result")
async def read_item_returns_result(item_id: int, db: SessionDep) -> Item:
    # The Result object, not the row: `.scalar_one_or_none()` is missing.
    return await db.execute(select(Item).where(Item.id == item_id))


@mistake("read_item", code="scalar-one")
async def read_item_scalar_one(item_id: int, db: SessionDep) -> Item:
    # scalar_one() raises NoResultFound for a missing id: a 500 instead of a 404.
    return (await db.execute(select(Item).where(Item.id == item_id))).scalar_one()


read_item_one_session_for_all = mistake("read_item", code="same-session")(
    _read_item(
        "read_item_one_session_for_all",
        (SESSION_DEP, "db: Annotated[AsyncSession, Depends(one_session_for_all)]"),
    )
)


read_item_session_never_closed = mistake("read_item", code="session-left-open")(
    _read_item(
        "read_item_session_never_closed",
        (SESSION_DEP, "db: Annotated[AsyncSession, Depends(new_session)]"),
    )
)


read_item_depends_on_the_sessionmaker = mistake("read_item", code="dependency-failed")(
    # FastAPI reads the factory's `**local_kw` as a required query parameter: a 422 every time.
    _read_item(
        "read_item_depends_on_the_sessionmaker",
        (SESSION_DEP, "db: Annotated[AsyncSession, Depends(AsyncSessionLocal)]"),
    )
)


@mistake("read_item", code="ignores-session")
async def read_item_opens_its_own_session(item_id: int, db: SessionDep) -> Item:
    async with AsyncSessionLocal() as session:  # not the request's session, nor its database
        item = await item_crud.get(session, item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return item


read_item_parameter_named_id = mistake("read_item", code="missing-parameter")(
    # the path says `{item_id}`
    _read_item(
        "read_item_parameter_named_id",
        ("item_id: int", "id: int"),
        ("get(db, item_id)", "get(db, id)"),
    )
)


read_item_guesses_a_method = mistake("read_item", code="raised")(
    # CRUDBase has `get`, not `get_by_id`
    _read_item("read_item_guesses_a_method", ("item_crud.get(", "item_crud.get_by_id("))
)


read_item_depends_on_a_factory = mistake("read_item", code="not-a-session")(
    _read_item(
        "read_item_depends_on_a_factory",
        (SESSION_DEP, "db: Annotated[AsyncSession, Depends(session_factory)]"),
    )
)


read_item_forgets_where = mistake("read_item", code="wrong-item")(
    # the first item, whatever the id
    _read_item(
        "read_item_forgets_where",
        ("await item_crud.get(db, item_id)", "await db.scalar(select(Item))"),
    )
)


read_item_partial_dict = mistake("read_item", code="http-not-200")(
    # ItemResponse needs more: a 500
    _read_item(
        "read_item_partial_dict",
        (") -> Item:", ") -> dict:"),
        ("return item\n", 'return {"id": item.id, "title": item.title}\n'),
    )
)


read_item_json_response_without_status = mistake("read_item", code="http-200-for-missing")(
    # status 200, JSONResponse's default
    _read_item(
        "read_item_json_response_without_status",
        (
            'raise HTTPException(status_code=404, detail="Item not found")',
            'return JSONResponse({"detail": "Item not found"})',
        ),
    )
)


read_item_item_id_unannotated = mistake("read_item", code="item-id-not-int")(
    # a str from the path: "abc" is looked up too
    _read_item("read_item_item_id_unannotated", ("item_id: int", "item_id"))
)


# list_items

OFFSET = "offset: Annotated[int, Query(ge=0)] = 0"
LIMIT = "limit: Annotated[int, Query(ge=1, le=100)] = 20"
LIST = "item_crud.list(db, offset=offset, limit=limit)"


def _list_items(name: str, *edits: tuple[str, str]):
    return edited(answers.list_items, *edits, name=name, using=USING)


list_items_without_bounds = mistake("list_items", code="limit-unbounded")(
    _list_items(
        "list_items_without_bounds", (OFFSET, "offset: int = 0"), (LIMIT, "limit: int = 20")
    )
)


@mistake("list_items", code="no-default-limit")
async def list_items_without_default_limit(
    db: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)],
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Sequence[Item]:
    return await item_crud.list(db, offset=offset, limit=limit)


list_items_offset_unbounded = mistake("list_items", code="offset-unbounded")(
    _list_items("list_items_offset_unbounded", (OFFSET, "offset: int = 0"))
)


list_items_ignores_pagination = mistake("list_items", code="ignores-pagination")(
    _list_items("list_items_ignores_pagination", (LIST, "item_crud.list(db)"))
)


list_items_sliced_in_python = mistake(
    "list_items", code="sliced-in-python", why="reads 100 rows, slices in Python"
)(
    _list_items(
        "list_items_sliced_in_python",
        (
            "return await " + LIST,
            "everything = await item_crud.list(db, offset=0, limit=100)\n"
            "    return everything[offset : offset + limit]",
        ),
    )
)


@mistake("list_items", code="hand-made-422")
async def list_items_checks_by_hand(
    db: SessionDep, offset: int = 0, limit: int = 20
) -> Sequence[Item]:
    # A 422 of its own: no `loc` for the client, no bounds in the API description.
    if offset < 0 or limit < 1 or limit > 100:
        raise HTTPException(status_code=422, detail="Invalid pagination")
    return await item_crud.list(db, offset=offset, limit=limit)


@mistake("list_items", code="default-inside-query")
async def list_items_default_inside_query(
    db: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100, default=20)],  # FastAPI refuses a default here
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Sequence[Item]:
    return await item_crud.list(db, offset=offset, limit=limit)


list_items_passes_skip = mistake("list_items", code="wrong-keyword")(
    # the keyword is `offset`
    _list_items("list_items_passes_skip", ("list(db, offset=offset", "list(db, skip=offset"))
)


list_items_own_query_unordered = mistake("list_items", code="unordered")(
    # no ORDER BY
    _list_items(
        "list_items_own_query_unordered",
        ("await " + LIST, "(await db.scalars(select(Item).offset(offset).limit(limit))).all()"),
    )
)


list_items_offset_as_id = mistake("list_items", code="offset-as-id")(
    # ids have gaps
    _list_items(
        "list_items_offset_as_id",
        (
            "return await " + LIST,
            "query = select(Item).where(Item.id > offset).order_by(Item.id).limit(limit)\n"
            "    return (await db.scalars(query)).all()",
        ),
    )
)


list_items_one_session_for_all = mistake("list_items", code="same-session")(
    _list_items(
        "list_items_one_session_for_all",
        (SESSION_DEP, "db: Annotated[AsyncSession, Depends(one_session_for_all)]"),
    )
)


list_items_returns_result = mistake("list_items", code="not-a-list")(
    _list_items(
        "list_items_returns_result",
        (LIST, "db.execute(select(Item).order_by(Item.id).offset(offset).limit(limit))"),
    )
)


list_items_default_limit_10 = mistake("list_items", code="wrong-defaults")(
    # the task says 20
    _list_items("list_items_default_limit_10", ("] = 20", "] = 10"))
)


list_items_limit_below_100 = mistake("list_items", code="limit-100-refused")(
    # lt: 100 itself is refused
    _list_items("list_items_limit_below_100", ("le=100", "lt=100"))
)


# users_router: most are the reference answer with one small edit (`edited`)

DECORATOR = '@router.post("/", response_model=UserResponse, status_code=status.HTTP_201_CREATED)'
CHECK_FIRST = """        if await user_crud.get_by_email(db, user_in.email):
            raise HTTPException(status_code=409, detail="Email already registered")
"""


async def session_without_commit() -> AsyncIterator[AsyncSession]:
    async with AsyncSessionLocal() as session:  # closing without a commit rolls back
        yield session


async def get_db() -> AsyncIterator[AsyncSession]:  # the notebook's, from step 2
    async with AsyncSessionLocal() as session:
        try:
            yield session
            await session.commit()
        except Exception:
            await session.rollback()
            raise


def _router(name: str, *edits: tuple[str, str]):
    return edited(
        answers.make_users_router,
        *edits,
        name=name,
        using={
            "Depends": Depends,
            "get_db": get_db,
            "session_without_commit": session_without_commit,
        },
    )


users_router_answers_200 = mistake("users_router", code="not-201")(
    _router(
        "users_router_answers_200",
        (DECORATOR, '@router.post("/", response_model=UserResponse)'),  # FastAPI's default: 200
    )
)
users_router_without_response_model = mistake("users_router", code="leaks-hash")(
    _router(
        "users_router_without_response_model",
        (DECORATOR, '@router.post("/", status_code=status.HTTP_201_CREATED)'),
        (") -> User:", "):"),  # no annotation either: the whole ORM object is sent
    )
)
users_router_annotated_with_the_model = mistake("users_router", code="orm-class-as-response")(
    _router(
        "users_router_annotated_with_the_model",
        (DECORATOR, '@router.post("/", status_code=status.HTTP_201_CREATED)'),  # `-> User` stays
    )
)
users_router_wrong_prefix = mistake("users_router", code="wrong-path")(
    _router("users_router_wrong_prefix", ('prefix="/users"', 'prefix="/user"'))
)
users_router_prefix_twice = mistake("users_router", code="wrong-path")(
    _router("users_router_prefix_twice", ('@router.post("/",', '@router.post("/users/",'))
)
users_router_put = mistake("users_router", code="wrong-method")(
    _router("users_router_put", ("@router.post(", "@router.put("))
)
users_router_fields_as_parameters = mistake("users_router", code="body-not-read")(
    _router(
        "users_router_fields_as_parameters",
        ("user_in: UserCreate, db", "email: str, password: str, db"),  # query parameters, then
        (CHECK_FIRST, "        user_in = UserCreate(email=email, password=password)\n"),
    )
)
users_router_session_never_committed = mistake("users_router", code="not-saved")(
    _router(
        "users_router_session_never_committed",
        ("db: SessionDep", "db: Annotated[AsyncSession, Depends(session_without_commit)]"),
    )
)
# Any session dependency without scope="function" commits after the response: 201 for a user
# the failed commit never saved (step 7).
users_router_default_scope = mistake(
    "users_router",
    code="commits-after-response",
    why="`Depends(get_db)` commits after the response is sent",
    says='scope="function"',
)(
    _router(
        "users_router_default_scope",
        ("db: SessionDep", "db: AsyncSession = Depends(get_db)"),  # the reference's own
    )
)
users_router_unfixed_alias = mistake(
    "users_router",
    code="commits-after-response",
    why="step 6's alias, before step 7's fix",
    says="SessionDep",
)(
    _router(
        "users_router_unfixed_alias",
        ("db: SessionDep", "db: Annotated[AsyncSession, Depends(get_db)]"),
    )
)
users_router_request_scope = mistake(
    "users_router",
    code="commits-after-response",
    why='`scope="request"` is the default, named',
)(
    _router(
        "users_router_request_scope",
        ("db: SessionDep", 'db: Annotated[AsyncSession, Depends(get_db, scope="request")]'),
    )
)
users_router_create_without_hash = mistake("users_router", code="server-error")(
    _router(
        "users_router_create_without_hash",
        ("return await insert_user(db, user_in)", "return await user_crud.create(db, user_in)"),
    )
)
users_router_returns_the_input = mistake("users_router", code="not-a-user-response")(
    _router(
        "users_router_returns_the_input",
        (DECORATOR, '@router.post("/", status_code=status.HTTP_201_CREATED)'),
        (") -> User:", "):"),
        (
            "return await insert_user(db, user_in)",
            "await insert_user(db, user_in)\n        return user_in",
        ),
    )
)
users_router_answers_400_for_taken = mistake("users_router", code="taken-400")(
    _router(
        "users_router_answers_400_for_taken",
        ("raise HTTPException(status_code=409", "raise HTTPException(status_code=400"),
    )
)
users_router_never_catches = mistake("users_router", code="taken-not-409")(
    _router(
        "users_router_never_catches",
        (CHECK_FIRST, ""),
        (
            "return await insert_user(db, user_in)",
            "return await user_crud.create(\n"
            "            db, user_in, hashed_password=hash_password(user_in.password)\n"
            "        )",
        ),
    )
)
users_router_check_only = mistake("users_router", code="race-not-409")(
    _router(  # the check in front, but the IntegrityError escapes
        "users_router_check_only",
        (
            "return await insert_user(db, user_in)",
            "return await user_crud.create(\n"
            "            db, user_in, hashed_password=hash_password(user_in.password)\n"
            "        )",
        ),
    )
)
users_router_forgets_return = mistake("users_router", code="not-a-router")(
    _router("users_router_forgets_return", ("    return router\n", ""))
)
users_router_prefix_without_slash = mistake("users_router", code="raised")(
    _router("users_router_prefix_without_slash", ('prefix="/users"', 'prefix="users"'))
)
