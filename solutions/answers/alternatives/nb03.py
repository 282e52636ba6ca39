"""Other correct answers to notebook 03 · Schemas."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, model_validator

from answers.nb03 import Description, Title, UserBase


def password_ok_counting_once(password: str) -> str:
    size = len(password.encode())  # UTF-8 is str.encode's default
    if len(password) < 8:
        raise ValueError("Too short: at least 8 characters.")
    if size > 72:
        raise ValueError(f"Too long: {size} bytes in UTF-8, at most 72.")
    return password


class UserResponseFromUserBase(UserBase):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime
    updated_at: datetime | None = None


class ItemUpdateWithModelValidator(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    description: Description | None = None

    @model_validator(mode="after")
    def title_not_null(self) -> "ItemUpdateWithModelValidator":
        if "title" in self.model_fields_set and self.title is None:
            raise ValueError("Omit the title to keep it; an item always has one.")
        return self
