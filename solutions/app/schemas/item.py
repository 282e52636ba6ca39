from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

# The NUL rule below, as OpenAPI states it, so that clients and fuzzers know it too.
NO_NUL = r"^[^\x00]*$"


def omit_default(schema: dict[str, Any]) -> None:
    # For fields that may be left out but never sent as null: "default": null would say otherwise.
    schema.pop("default", None)


def check_storable(text: str) -> str:
    # PostgreSQL text cannot hold NUL, and no database driver can encode a lone surrogate.
    if "\x00" in text:
        raise ValueError("Text must not contain NUL characters.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("Text must be valid Unicode.") from None
    return text


Title = Annotated[
    str,
    Field(min_length=1, max_length=200, json_schema_extra={"pattern": NO_NUL}),
    AfterValidator(check_storable),
]
Description = Annotated[
    str,
    Field(max_length=10_000, json_schema_extra={"pattern": NO_NUL}),
    AfterValidator(check_storable),
]


class ItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title
    description: Description | None = None


class ItemUpdate(BaseModel):
    """A partial update: omitted fields stay as they are; a null description clears it."""

    model_config = ConfigDict(extra="forbid")

    # Optional but never null: SkipJsonSchema keeps None out of OpenAPI, the validator refuses it.
    title: Title | SkipJsonSchema[None] = Field(default=None, json_schema_extra=omit_default)
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
