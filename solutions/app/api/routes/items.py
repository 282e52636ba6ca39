from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from app.api.deps import CurrentUser, SessionDep
from app.core.database import MAX_ID
from app.crud.base import MAX_LIMIT
from app.models.item import Item
from app.schemas.error import BODY_ERRORS, documented
from app.schemas.item import ItemCreate, ItemPage, ItemResponse, ItemUpdate
from app.services import items as item_service

router = APIRouter(
    prefix="/items",
    tags=["items"],
    responses={
        **documented(401, "Not authenticated"),
        **documented(422, "Validation Error"),
    },
)

ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]
NOT_FOUND = documented(404, "No such item among yours")


@router.get("/", response_model=ItemPage)
async def list_items(
    db: SessionDep,
    user: CurrentUser,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
) -> ItemPage:
    return await item_service.list_items(db, user, offset=offset, limit=limit)


@router.post(
    "/", response_model=ItemResponse, status_code=status.HTTP_201_CREATED, responses=BODY_ERRORS
)
async def create_item(db: SessionDep, user: CurrentUser, item_in: ItemCreate) -> Item:
    return await item_service.create_item(db, user, item_in)


@router.get("/{item_id}", response_model=ItemResponse, responses=NOT_FOUND)
async def read_item(db: SessionDep, user: CurrentUser, item_id: ItemId) -> Item:
    return await item_service.get_owned_item(db, item_id, user)


@router.patch("/{item_id}", response_model=ItemResponse, responses={**BODY_ERRORS, **NOT_FOUND})
async def update_item(
    db: SessionDep, user: CurrentUser, item_id: ItemId, item_in: ItemUpdate
) -> Item:
    return await item_service.update_item(db, item_id, user, item_in)


@router.delete("/{item_id}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_FOUND)
async def delete_item(db: SessionDep, user: CurrentUser, item_id: ItemId) -> None:
    await item_service.delete_item(db, item_id, user)
