from fastapi import APIRouter, status

from app.api.deps import CurrentUser, SessionDep
from app.models.user import User
from app.schemas.error import ErrorResponse
from app.schemas.user import UserCreate, UserResponse, UserUpdate
from app.services.users import register_user, update_user

router = APIRouter(prefix="/users", tags=["users"])

UNAUTHORIZED = {401: {"model": ErrorResponse}}
CONFLICT = {409: {"model": ErrorResponse, "description": "Email already registered"}}
INVALID = {422: {"model": ErrorResponse}}


@router.post(
    "/",
    response_model=UserResponse,
    status_code=status.HTTP_201_CREATED,
    responses={**CONFLICT, **INVALID},
)
async def create_user(db: SessionDep, user_in: UserCreate) -> User:
    return await register_user(db, user_in)


@router.get("/me", response_model=UserResponse, responses=UNAUTHORIZED)
async def read_me(user: CurrentUser) -> User:
    return user


@router.patch("/me", response_model=UserResponse, responses={**UNAUTHORIZED, **CONFLICT, **INVALID})
async def update_me(db: SessionDep, user: CurrentUser, user_in: UserUpdate) -> User:
    return await update_user(db, user, user_in)
