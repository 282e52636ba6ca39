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


@mistake("read_item", code="returns-none")
async def read_item_returns_none(item_id: int, db: SessionDep) -> Item:
    # No check for a missing row: FastAPI then validates None against ItemResponse, a 500.
    return await item_crud.get(db, item_id)


@mistake("read_item", code="not-404")
async def read_item_answers_400(item_id: int, db: SessionDep) -> Item:
    item = await item_crud.get(db, item_id)
    if item is None:
        raise HTTPException(status_code=400, detail="Item not found")
    return item


@mistake("read_item", code="wrong-detail")
async def read_item_other_detail(item_id: int, db: SessionDep) -> Item:
    item = await item_crud.get(db, item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="Not found")  # the task says "Item not found"
    return item


@mistake("read_item", code="returns-exception")
async def read_item_returns_exception(item_id: int, db: SessionDep) -> Item:
    item = await item_crud.get(db, item_id)
    if item is None:
        return HTTPException(status_code=404, detail="Item not found")  # returned, not raised
    return item


@mistake("read_item", code="returns-error-dict")
async def read_item_returns_error_dict(item_id: int, db: SessionDep) -> Item:
    item = await item_crud.get(db, item_id)
    if item is None:
        return {"detail": "Item not found"}  # a success body, validated against ItemResponse
    return item


@mistake("read_item", code="wrong-keyword")
async def read_item_wrong_keyword(item_id: int, db: SessionDep) -> Item:
    item = await item_crud.get(db, item_id=item_id)  # CRUDBase.get's parameter is `id`
    if item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return item


@mistake("read_item", code="returns-result")
async def read_item_returns_result(item_id: int, db: SessionDep) -> Item:
    # The Result object, not the row: `.scalar_one_or_none()` is missing.
    return await db.execute(select(Item).where(Item.id == item_id))


@mistake("read_item", code="scalar-one")
async def read_item_scalar_one(item_id: int, db: SessionDep) -> Item:
    # scalar_one() raises NoResultFound for a missing id: a 500 instead of a 404.
    return (await db.execute(select(Item).where(Item.id == item_id))).scalar_one()


@mistake("read_item", code="same-session")
async def read_item_one_session_for_all(
    item_id: int, db: Annotated[AsyncSession, Depends(one_session_for_all)]
) -> Item:
    item = await item_crud.get(db, item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return item


@mistake("read_item", code="session-left-open")
async def read_item_session_never_closed(
    item_id: int, db: Annotated[AsyncSession, Depends(new_session)]
) -> Item:
    item = await item_crud.get(db, item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return item


@mistake("read_item", code="dependency-failed")
async def read_item_depends_on_the_sessionmaker(
    item_id: int, db: Annotated[AsyncSession, Depends(AsyncSessionLocal)]
) -> Item:
    # FastAPI reads the factory's `**local_kw` as a required query parameter: a 422 every time.
    item = await item_crud.get(db, item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return item


@mistake("read_item", code="ignores-session")
async def read_item_opens_its_own_session(item_id: int, db: SessionDep) -> Item:
    async with AsyncSessionLocal() as session:  # not the request's session, nor its database
        item = await item_crud.get(session, item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return item


@mistake("read_item", code="missing-parameter")
async def read_item_parameter_named_id(id: int, db: SessionDep) -> Item:
    item = await item_crud.get(db, id)  # the path says `{item_id}`
    if item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return item


@mistake("read_item", code="raised")
async def read_item_guesses_a_method(item_id: int, db: SessionDep) -> Item:
    item = await item_crud.get_by_id(db, item_id)  # CRUDBase has `get`, not `get_by_id`
    if item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return item


@mistake("read_item", code="not-a-session")
async def read_item_depends_on_a_factory(
    item_id: int, db: Annotated[AsyncSession, Depends(session_factory)]
) -> Item:
    item = await item_crud.get(db, item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return item


@mistake("read_item", code="wrong-item")
async def read_item_forgets_where(item_id: int, db: SessionDep) -> Item:
    item = await db.scalar(select(Item))  # the first item, whatever the id
    if item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return item


@mistake("read_item", code="http-not-200")
async def read_item_partial_dict(item_id: int, db: SessionDep) -> dict:
    item = await item_crud.get(db, item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return {"id": item.id, "title": item.title}  # ItemResponse needs more: a 500


@mistake("read_item", code="http-200-for-missing")
async def read_item_json_response_without_status(item_id: int, db: SessionDep) -> Item:
    item = await item_crud.get(db, item_id)
    if item is None:
        return JSONResponse({"detail": "Item not found"})  # status 200, JSONResponse's default
    return item


@mistake("read_item", code="item-id-not-int")
async def read_item_item_id_unannotated(item_id, db: SessionDep) -> Item:
    item = await item_crud.get(db, item_id)  # a str from the path: "abc" is looked up too
    if item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return item


# list_items


@mistake("list_items", code="limit-unbounded")
async def list_items_without_bounds(
    db: SessionDep, offset: int = 0, limit: int = 20
) -> Sequence[Item]:
    return await item_crud.list(db, offset=offset, limit=limit)


@mistake("list_items", code="no-default-limit")
async def list_items_without_default_limit(
    db: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)],
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Sequence[Item]:
    return await item_crud.list(db, offset=offset, limit=limit)


@mistake("list_items", code="offset-unbounded")
async def list_items_offset_unbounded(
    db: SessionDep,
    offset: int = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Sequence[Item]:
    return await item_crud.list(db, offset=offset, limit=limit)


@mistake("list_items", code="ignores-pagination")
async def list_items_ignores_pagination(
    db: SessionDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Sequence[Item]:
    return await item_crud.list(db)


@mistake("list_items", code="sliced-in-python", why="reads 100 rows, slices in Python")
async def list_items_sliced_in_python(
    db: SessionDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Sequence[Item]:
    everything = await item_crud.list(db, offset=0, limit=100)
    return everything[offset : offset + limit]


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


@mistake("list_items", code="wrong-keyword")
async def list_items_passes_skip(
    db: SessionDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Sequence[Item]:
    return await item_crud.list(db, skip=offset, limit=limit)  # the keyword is `offset`


@mistake("list_items", code="unordered")
async def list_items_own_query_unordered(
    db: SessionDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Sequence[Item]:
    return (await db.scalars(select(Item).offset(offset).limit(limit))).all()  # no ORDER BY


@mistake("list_items", code="offset-as-id")
async def list_items_offset_as_id(
    db: SessionDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Sequence[Item]:
    query = select(Item).where(Item.id > offset).order_by(Item.id).limit(limit)  # ids have gaps
    return (await db.scalars(query)).all()


@mistake("list_items", code="same-session")
async def list_items_one_session_for_all(
    db: Annotated[AsyncSession, Depends(one_session_for_all)],
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Sequence[Item]:
    return await item_crud.list(db, offset=offset, limit=limit)


@mistake("list_items", code="not-a-list")
async def list_items_returns_result(
    db: SessionDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Sequence[Item]:
    return await db.execute(select(Item).order_by(Item.id).offset(offset).limit(limit))


@mistake("list_items", code="wrong-defaults")
async def list_items_default_limit_10(
    db: SessionDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,  # the task says 20
) -> Sequence[Item]:
    return await item_crud.list(db, offset=offset, limit=limit)


@mistake("list_items", code="limit-100-refused")
async def list_items_limit_below_100(
    db: SessionDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, lt=100)] = 20,  # lt: 100 itself is refused
) -> Sequence[Item]:
    return await item_crud.list(db, offset=offset, limit=limit)


# users_router: most are the reference answer with one small edit (`edited`)

DECORATOR = '@router.post("/", response_model=UserResponse, status_code=status.HTTP_201_CREATED)'
CHECK_FIRST = """        if await user_crud.get_by_email(db, user_in.email):
            raise HTTPException(status_code=409, detail="Email already registered")
"""


async def session_without_commit() -> AsyncIterator[AsyncSession]:
    async with AsyncSessionLocal() as session:  # closing without a commit rolls back
        yield session


def _router(name: str, *edits: tuple[str, str]):
    return edited(
        answers.make_users_router,
        *edits,
        name=name,
        using={"Depends": Depends, "session_without_commit": session_without_commit},
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
