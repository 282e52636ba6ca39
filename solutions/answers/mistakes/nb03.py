"""Wrong answers to notebook 03 that its check recognises."""

import warnings
from datetime import datetime
from typing import Optional

from fastapi import HTTPException
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from answers.nb03 import Description, Title, UserCreate

# --- password_ok ------------------------------------------------------------------------------


def password_counts_characters(password: str) -> str:
    if len(password) < 8 or len(password) > 72:
        raise ValueError("Password must be 8 to 72 characters.")
    return password


def password_truncates(password: str) -> str:
    if len(password) < 8:
        raise ValueError("Password must be at least 8 characters.")
    return password.encode("utf-8")[:72].decode("utf-8", errors="ignore")


def password_returns_bool(password: str) -> bool:
    return len(password) >= 8 and len(password.encode("utf-8")) <= 72


def password_off_by_one(password: str) -> str:
    if len(password) < 8 or len(password.encode("utf-8")) >= 72:
        raise ValueError("Password must be 8 characters to 72 bytes.")
    return password


def password_strips(password: str) -> str:
    if len(password) < 8:
        raise ValueError("Password must be at least 8 characters.")
    if len(password.encode("utf-8")) > 72:
        raise ValueError("Password must be at most 72 bytes in UTF-8.")
    return password.strip()


def password_one_message(password: str) -> str:
    if len(password) < 8 or len(password.encode("utf-8")) > 72:
        raise ValueError("Invalid password.")
    return password


def password_decodes(password: str) -> str:
    if len(password) < 8:
        raise ValueError("Password must be at least 8 characters.")
    if len(password.decode("utf-8")) > 72:  # type: ignore[attr-defined] - str has no decode
        raise ValueError("Password must be at most 72 bytes in UTF-8.")
    return password


def password_takes_cls(cls: object, password: str) -> str:
    if len(password) < 8:
        raise ValueError("Password must be at least 8 characters.")
    if len(password.encode("utf-8")) > 72:
        raise ValueError("Password must be at most 72 bytes in UTF-8.")
    return password


def password_minimum_off_by_one(password: str) -> str:
    if len(password) <= 8:  # "more than 8": refuses exactly 8
        raise ValueError("Password must be at least 8 characters.")
    if len(password.encode("utf-8")) > 72:
        raise ValueError("Password must be at most 72 bytes in UTF-8.")
    return password


def password_minimum_in_bytes(password: str) -> str:
    encoded = password.encode("utf-8")
    if len(encoded) < 8:  # 7 'é' are 14 bytes but 7 characters
        raise ValueError("Password must be at least 8 characters.")
    if len(encoded) > 72:
        raise ValueError("Password must be at most 72 bytes in UTF-8.")
    return password


def password_asserts(password: str) -> str:
    assert len(password) >= 8, "Password must be at least 8 characters."
    assert len(password.encode("utf-8")) <= 72, "Password must be at most 72 bytes."
    return password


def password_raises_http_exception(password: str) -> str:
    if len(password) < 8 or len(password.encode("utf-8")) > 72:
        raise HTTPException(status_code=422, detail="Bad password.")  # a 500 from a validator
    return password


def password_requires_a_digit(password: str) -> str:
    if len(password) < 8:
        raise ValueError("Password must be at least 8 characters.")
    if len(password.encode("utf-8")) > 72:
        raise ValueError("Password must be at most 72 bytes in UTF-8.")
    if not any(c.isdigit() for c in password):  # a rule the task does not have
        raise ValueError("Password must contain a digit.")
    return password


def password_bare_value_error(password: str) -> str:
    if len(password) < 8 or len(password.encode("utf-8")) > 72:
        raise ValueError()  # the client's 422 says "Value error, " and nothing else
    return password


def password_returns_false(password: str) -> str | bool:
    if len(password) < 8 or len(password.encode("utf-8")) > 72:
        return False
    return password


def password_without_maximum(password: str) -> str:
    if len(password) < 8:
        raise ValueError("Password must be at least 8 characters.")
    return password  # and bcrypt ignores everything after byte 72


# --- UserResponse -----------------------------------------------------------------------------


class UserResponseExcludesHash(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    hashed_password: str = Field(exclude=True)  # left out of the output, still declared
    created_at: datetime
    updated_at: datetime | None


class UserResponseInheritsCreate(UserCreate):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime
    updated_at: datetime | None


class UserResponseDeclaresHash(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    hashed_password: str
    created_at: datetime
    updated_at: datetime | None


class UserResponseWithoutFromAttributes(BaseModel):
    id: int
    email: str
    created_at: datetime
    updated_at: datetime | None


class UserResponseExtraAllow(BaseModel):
    model_config = ConfigDict(from_attributes=True, extra="allow")

    id: int
    email: str
    created_at: datetime
    updated_at: datetime | None


class UserResponseMissingTimestamps(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str


class UserResponseUpdatedAtRequired(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    created_at: datetime
    updated_at: datetime


# The reference's spelling. Defining it warns, so the definition is wrapped: importing the
# catalogue (every notebook's setup cell does) must print nothing.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")

    class UserResponseClassConfig(BaseModel):
        id: int
        email: str
        created_at: datetime
        updated_at: datetime | None

        class Config:
            from_attributes = True


class UserResponseWithIsActive(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    is_active: bool  # from the FastAPI tutorial; our users have no such column
    created_at: datetime
    updated_at: datetime | None


class UserResponseWithIsActiveDefault(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    is_active: bool = True
    created_at: datetime
    updated_at: datetime | None


class UserResponseForbidsExtra(BaseModel):
    model_config = ConfigDict(from_attributes=True, extra="forbid")  # copied from the inputs

    id: int
    email: str
    created_at: datetime
    updated_at: datetime | None


# --- ItemUpdate -------------------------------------------------------------------------------


class ItemUpdateCopiesCreate(BaseModel):
    title: Title
    description: Description | None = None


class ItemUpdateOptionalWithoutDefault(BaseModel):
    title: Optional[Title]  # noqa: UP045 - the Pydantic v1 habit on show
    description: Optional[Description]  # noqa: UP045


class ItemUpdateDropsRules(BaseModel):
    title: str | None = None
    description: str | None = None


class ItemUpdateAllowsNullTitle(BaseModel):
    title: Title | None = None
    description: Description | None = None


class ItemUpdateLetsOwnerMove(BaseModel):
    title: Title = None  # type: ignore[assignment] - not validated when omitted; null is refused
    description: Description | None = None
    owner_id: int | None = None


class ItemUpdateRejectsNullDescription(BaseModel):
    title: Title | None = None
    description: Description | None = None

    @field_validator("title", "description")
    @classmethod
    def reject_null(cls, value: str | None) -> str:
        if value is None:
            raise ValueError("null is not allowed.")
        return value


class ItemUpdateValidatorForgetsReturn(BaseModel):
    title: Title | None = None
    description: Description | None = None

    @field_validator("title")
    @classmethod
    def reject_null_title(cls, value: str | None) -> None:
        if value is None:
            raise ValueError("Omit the title to keep it; an item always has one.")


class ItemUpdateValidatorStripsNone(BaseModel):
    title: Title | None = None
    description: Description | None = None

    @field_validator("title")
    @classmethod
    def tidy_title(cls, value: str | None) -> str:
        return value.strip()  # AttributeError for null: a 500, not a 422


class ItemUpdateDescriptionNotNullable(BaseModel):
    title: Title = None  # type: ignore[assignment] - omitted is fine, null is refused
    description: Description = None  # type: ignore[assignment] - and so here: no clearing


class ItemUpdateNamesTheTitleName(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Title | None = None  # the field is `title`
    description: Description | None = None


class ItemUpdateNamesTheTitleNameIgnoringExtras(BaseModel):
    name: Title | None = None  # the field is `title`: a sent title is dropped without a word
    description: Description | None = None


class ItemUpdateModelValidatorRefusesMissingTitle(BaseModel):
    title: Title | None = None
    description: Description | None = None

    @model_validator(mode="after")
    def title_not_null(self) -> "ItemUpdateModelValidatorRefusesMissingTitle":
        if self.title is None:  # also when the title was simply not sent
            raise ValueError("The title cannot be null.")
        return self
