"""Answers to notebook 03 · Schemas.

The imports and the schemas below the imports are the names the notebook defines before its
exercises, spelled the same way, so each answer's source runs unchanged in the notebook.
"""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

# As the notebook defines them (the reference's UserBase and UserCreate, and the item rules).
Title = Annotated[str, Field(min_length=1, max_length=200)]
Description = Annotated[str, Field(max_length=10_000)]


class UserBase(BaseModel):
    email: EmailStr


class UserCreate(UserBase):
    password: str


def password_ok(password: str) -> str:
    if len(password) < 8:
        raise ValueError("Password must be at least 8 characters.")
    if len(password.encode("utf-8")) > 72:
        raise ValueError(
            "Password must be at most 72 bytes in UTF-8: accented letters take 2 bytes, emoji 4."
        )
    return password


class UserResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    created_at: datetime
    updated_at: datetime | None


class ItemUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    description: Description | None = None

    @field_validator("title")
    @classmethod
    def reject_null_title(cls, value: str | None) -> str:
        if value is None:
            raise ValueError("Omit the title to keep it; an item always has one.")
        return value
