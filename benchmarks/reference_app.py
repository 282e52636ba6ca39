"""The reference's patterns as written, served beside the finished package by ``make bench``.

The Backend Patterns Reference (``../shared/seeds``) shows the session dependency, the model, the
CRUD class, the route and the security helpers; this module puts them together with the smallest
``get_current_user`` and token route that use them, so both services answer the same requests.
It is a yardstick, not a lesson: it keeps the reference's faults (the commit after the response,
bcrypt in the event loop, no 409) on purpose. Two deviations, neither of which changes a figure:
``datetime.now(UTC)`` instead of ``utcnow()`` (deprecated, it would warn on Python 3.12+), and a
lifespan instead of a startup event (deprecated in FastAPI).
"""

from __future__ import annotations

import os
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from fastapi import Depends, FastAPI, HTTPException, status
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from jose import JWTError, jwt
from passlib.context import CryptContext
from pydantic import BaseModel, ConfigDict, EmailStr
from sqlalchemy import Column, DateTime, Integer, String, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import declarative_base

SECRET_KEY = os.environ["SECRET_KEY"]
engine = create_async_engine(os.environ["DATABASE_URL"], echo=False)
AsyncSessionLocal = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
Base = declarative_base()
pwd_context = CryptContext(
    schemes=["bcrypt"], deprecated="auto", bcrypt__rounds=int(os.environ["BCRYPT_ROUNDS"])
)


async def get_db() -> AsyncGenerator[AsyncSession, None]:
    async with AsyncSessionLocal() as session:
        try:
            yield session
            await session.commit()
        except Exception:
            await session.rollback()
            raise


class User(Base):  # type: ignore[misc, valid-type]
    __tablename__ = "users"

    id = Column(Integer, primary_key=True, index=True)
    email = Column(String, unique=True, index=True, nullable=False)
    hashed_password = Column(String, nullable=False)
    created_at = Column(DateTime(timezone=True), server_default=func.now())
    updated_at = Column(DateTime(timezone=True), onupdate=func.now())


class UserCreate(BaseModel):
    email: EmailStr
    password: str


class UserResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    email: EmailStr
    id: int
    created_at: datetime


class UserCRUD:
    async def get(self, db: AsyncSession, id: int) -> User | None:
        result = await db.execute(select(User).where(User.id == id))
        return result.scalar_one_or_none()

    async def get_by_email(self, db: AsyncSession, email: str) -> User | None:
        result = await db.execute(select(User).where(User.email == email))
        return result.scalar_one_or_none()

    async def create(self, db: AsyncSession, obj_in: UserCreate) -> User:
        db_obj = User(email=obj_in.email, hashed_password=pwd_context.hash(obj_in.password))
        db.add(db_obj)
        await db.flush()
        await db.refresh(db_obj)
        return db_obj


user_crud = UserCRUD()
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/token")


def create_access_token(subject: str, expires_delta: timedelta | None = None) -> str:
    expire = datetime.now(UTC) + (expires_delta or timedelta(minutes=30))
    return jwt.encode({"sub": subject, "exp": expire}, SECRET_KEY)


async def get_current_user(
    token: str = Depends(oauth2_scheme), db: AsyncSession = Depends(get_db)
) -> User:
    unauthorized = HTTPException(
        401, "Could not validate credentials", {"WWW-Authenticate": "Bearer"}
    )
    try:
        subject = jwt.decode(token, SECRET_KEY, algorithms=["HS256"])["sub"]
    except (JWTError, KeyError) as exc:
        raise unauthorized from exc
    user = await user_crud.get(db, int(subject))
    if user is None:
        raise unauthorized
    return user


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    yield
    await engine.dispose()


app = FastAPI(lifespan=lifespan)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/users/", response_model=UserResponse, status_code=status.HTTP_201_CREATED)
async def create_user(user_in: UserCreate, db: AsyncSession = Depends(get_db)) -> User:
    if await user_crud.get_by_email(db, user_in.email):
        raise HTTPException(status_code=400, detail="Email already registered")
    return await user_crud.create(db, user_in)


@app.post("/auth/token")
async def login(
    form: OAuth2PasswordRequestForm = Depends(), db: AsyncSession = Depends(get_db)
) -> dict[str, str]:
    user = await user_crud.get_by_email(db, form.username)
    if user is None or not pwd_context.verify(form.password, user.hashed_password):
        raise HTTPException(401, "Incorrect email or password")
    return {"access_token": create_access_token(str(user.id)), "token_type": "bearer"}


@app.get("/users/me", response_model=UserResponse)
async def read_me(user: User = Depends(get_current_user)) -> User:
    return user
