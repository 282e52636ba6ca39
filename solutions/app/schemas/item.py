from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator


def check_storable(text: str) -> str:
    # PostgreSQL text cannot hold NUL, and no database driver can encode a lone surrogate.
    if "\x00" in text:
        raise ValueError("Text must not contain NUL characters.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("Text must be valid Unicode.") from None
    return text


Title = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(check_storable)]
Description = Annotated[str, Field(max_length=10_000), AfterValidator(check_storable)]


class ItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title
    description: Description | None = None


class ItemUpdate(BaseModel):
    """A partial update: omitted fields stay as they are; a null description clears it."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    description: Description | None = None

    @field_validator("title")
    @classmethod
    def _reject_null_title(cls, value: str | None) -> str:
        if value is None:
            raise ValueError("Omit the title to keep it; an item always has one.")
        return value


class ItemResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True, extra="ignore")

    id: int
    title: str
    description: str | None
    owner_id: int
    created_at: datetime
    updated_at: datetime | None


class ItemPage(BaseModel):
    items: list[ItemResponse]
    total: int
    offset: int
    limit: int
