from datetime import datetime
from typing import Annotated

from email_validator import SPECIAL_USE_DOMAIN_NAMES
from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

from app.core.security import MAX_PASSWORD_BYTES
from app.schemas.item import NO_NUL, omit_default

MIN_PASSWORD_LENGTH = 8


def check_password(password: str) -> str:
    try:
        size = len(password.encode("utf-8"))
    except UnicodeEncodeError:
        raise ValueError("Password must be valid Unicode text.") from None
    if size > MAX_PASSWORD_BYTES:
        raise ValueError(
            f"Password must be at most {MAX_PASSWORD_BYTES} bytes in UTF-8: "
            "accented letters take 2 bytes each, emoji 4."
        )
    if "\x00" in password:
        raise ValueError("Password must not contain NUL characters.")
    return password


# EmailStr refuses domains no mailbox can have (`.test`, `.localhost`, ...); OpenAPI says so too.
RESERVED_DOMAINS = "|".join(SPECIAL_USE_DOMAIN_NAMES)
NOT_RESERVED = rf"^(?!.*\.(?:{RESERVED_DOMAINS})$)"
Email = Annotated[
    EmailStr, Field(json_schema_extra={"pattern": NOT_RESERVED}), AfterValidator(str.lower)
]
PASSWORD_RULE = f"At least {MIN_PASSWORD_LENGTH} characters and at most {MAX_PASSWORD_BYTES} bytes."
Password = Annotated[
    str,
    Field(
        min_length=MIN_PASSWORD_LENGTH,
        description=PASSWORD_RULE,
        json_schema_extra={"pattern": NO_NUL},
    ),
    AfterValidator(check_password),
]


class UserBase(BaseModel):
    email: Email


class UserCreate(UserBase):
    model_config = ConfigDict(extra="forbid")

    password: Password


class UserUpdate(BaseModel):
    """A partial update: omitted fields stay as they are."""

    model_config = ConfigDict(extra="forbid")

    # Optional but never null (see ItemUpdate.title).
    email: Email | SkipJsonSchema[None] = Field(default=None, json_schema_extra=omit_default)
    password: Password | SkipJsonSchema[None] = Field(default=None, json_schema_extra=omit_default)

    @field_validator("email", "password")
    @classmethod
    def _reject_null(cls, value: str | None) -> str:
        if value is None:
            raise ValueError("Omit the field to keep its value; null is not allowed.")
        return value


class UserResponse(BaseModel):
    # Read from the ORM object field by field: anything not declared here never leaves the server.
    model_config = ConfigDict(from_attributes=True, extra="ignore")

    id: int
    email: str
    created_at: datetime
    updated_at: datetime | None
