from fastapi import APIRouter, status

from app.api.deps import CurrentUser, SessionDep
from app.models.user import User
from app.schemas.error import BODY_ERRORS, BUSY, documented
from app.schemas.user import UserCreate, UserResponse, UserUpdate
from app.services.users import register_user, update_user

router = APIRouter(prefix="/users", tags=["users"])

UNAUTHORIZED = documented(401, "Not authenticated")
CONFLICT = documented(409, "Email already registered")


@router.post(
    "/",
    response_model=UserResponse,
    status_code=status.HTTP_201_CREATED,
    responses={**BODY_ERRORS, **CONFLICT, **BUSY},
)
async def create_user(db: SessionDep, user_in: UserCreate) -> User:
    return await register_user(db, user_in)


@router.get("/me", response_model=UserResponse, responses=UNAUTHORIZED)
async def read_me(user: CurrentUser) -> User:
    return user


@router.patch(
    "/me",
    response_model=UserResponse,
    responses={**BODY_ERRORS, **UNAUTHORIZED, **CONFLICT, **BUSY},
)
async def update_me(db: SessionDep, user: CurrentUser, user_in: UserUpdate) -> User:
    """A new password also ends every token issued before it: log in again to get one."""
    return await update_user(db, user, user_in)
