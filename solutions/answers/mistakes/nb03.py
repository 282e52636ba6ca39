"""Wrong answers to notebook 03 that its check recognises."""

import inspect
import warnings
from datetime import datetime
from typing import Optional

from fastapi import HTTPException
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from answers import nb03 as answers
from answers.nb03 import Description, Title, UserCreate
from support.exercises import edited, mistake

# --- password_ok ------------------------------------------------------------------------------

# The answer's byte limit: its second `if`, up to the `return`.
_SOURCE = inspect.getsource(answers.password_ok)
MAXIMUM = _SOURCE[
    _SOURCE.index("    if len(password.encode") : _SOURCE.index("    return password")
]


def _password(name: str, *edits: tuple[str, str], **using: object):
    return edited(answers.password_ok, *edits, name=name, using=using)


@mistake("password_ok", code="counts-characters")
def password_counts_characters(password: str) -> str:
    if len(password) < 8 or len(password) > 72:
        raise ValueError("Password must be 8 to 72 characters.")
    return password


@mistake("password_ok", code="truncates")
def password_truncates(password: str) -> str:
    if len(password) < 8:
        raise ValueError("Password must be at least 8 characters.")
    return password.encode("utf-8")[:72].decode("utf-8", errors="ignore")


@mistake("password_ok", code="returns-true")
def password_returns_bool(password: str) -> bool:
    return len(password) >= 8 and len(password.encode("utf-8")) <= 72


password_off_by_one = mistake("password_ok", code="max-off-by-one")(
    _password("password_off_by_one", ("> 72", ">= 72"))
)


password_strips = mistake("password_ok", code="changes-password")(
    _password("password_strips", ("return password", "return password.strip()"))
)


@mistake("password_ok", code="same-message")
def password_one_message(password: str) -> str:
    if len(password) < 8 or len(password.encode("utf-8")) > 72:
        raise ValueError("Invalid password.")
    return password


password_decodes = mistake("password_ok", code="bug-raised")(
    # str has no decode
    _password("password_decodes", ('password.encode("utf-8")', 'password.decode("utf-8")'))
)


password_takes_cls = mistake("password_ok", code="takes-cls")(
    _password("password_takes_cls", ("(password: str)", "(cls: object, password: str)"))
)


password_minimum_off_by_one = mistake("password_ok", code="minimum-off-by-one")(
    # "more than 8": refuses exactly 8
    _password("password_minimum_off_by_one", ("len(password) < 8", "len(password) <= 8"))
)


@mistake("password_ok", code="uses-assert")
def password_asserts(password: str) -> str:
    assert len(password) >= 8, "Password must be at least 8 characters."
    assert len(password.encode("utf-8")) <= 72, "Password must be at most 72 bytes."
    return password


@mistake("password_ok", code="wrong-exception")
def password_raises_http_exception(password: str) -> str:
    if len(password) < 8 or len(password.encode("utf-8")) > 72:
        raise HTTPException(status_code=422, detail="Bad password.")  # a 500 from a validator
    return password


password_requires_a_digit = mistake("password_ok", code="rejects-good")(
    # a rule the task does not have
    _password(
        "password_requires_a_digit",
        (
            "    return password",
            "    if not any(c.isdigit() for c in password):\n"
            '        raise ValueError("Password must contain a digit.")\n'
            "    return password",
        ),
    )
)


@mistake("password_ok", code="empty-message")
def password_bare_value_error(password: str) -> str:
    if len(password) < 8 or len(password.encode("utf-8")) > 72:
        raise ValueError()  # the client's 422 says "Value error, " and nothing else
    return password


@mistake("password_ok", code="returns-false")
def password_returns_false(password: str) -> str | bool:
    if len(password) < 8 or len(password.encode("utf-8")) > 72:
        return False
    return password


password_without_maximum = mistake("password_ok", code="accepts-long-ascii")(
    # and bcrypt ignores everything after byte 72
    _password("password_without_maximum", (MAXIMUM, ""))
)


password_minimum_in_bytes = mistake("password_ok", code="accepts-short")(
    # 7 'é' are 14 bytes but 7 characters
    _password(
        "password_minimum_in_bytes", ("len(password) < 8", 'len(password.encode("utf-8")) < 8')
    )
)


@mistake("UserResponse", code="requires-password")
class UserResponseInheritsCreate(UserCreate):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime
    updated_at: datetime | None


@mistake("UserResponse", code="leaks-hash")
class UserResponseDeclaresHash(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    hashed_password: str
    created_at: datetime
    updated_at: datetime | None


# --- UserResponse -----------------------------------------------------------------------------


@mistake("UserResponse", code="declares-secret")
class UserResponseExcludesHash(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    hashed_password: str = Field(exclude=True)  # left out of the output, still declared
    created_at: datetime
    updated_at: datetime | None


@mistake("UserResponse", code="validate-failed")
class UserResponseWithIsActive(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    is_active: bool  # from the FastAPI tutorial; our users have no such column
    created_at: datetime
    updated_at: datetime | None


@mistake("UserResponse", code="extra-fields")
class UserResponseWithIsActiveDefault(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    is_active: bool = True
    created_at: datetime
    updated_at: datetime | None


@mistake("UserResponse", code="forbids-extra")
class UserResponseForbidsExtra(BaseModel):
    model_config = ConfigDict(from_attributes=True, extra="forbid")  # copied from the inputs

    id: int
    email: str
    created_at: datetime
    updated_at: datetime | None


@mistake("UserResponse", code="no-from-attributes")
class UserResponseWithoutFromAttributes(BaseModel):
    id: int
    email: str
    created_at: datetime
    updated_at: datetime | None


@mistake("UserResponse", code="extra-allow")
class UserResponseExtraAllow(BaseModel):
    model_config = ConfigDict(from_attributes=True, extra="allow")

    id: int
    email: str
    created_at: datetime
    updated_at: datetime | None


@mistake("UserResponse", code="missing-fields")
class UserResponseMissingTimestamps(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str


# The reference's spelling. Defining it warns, so the definition is wrapped: importing the
# catalogue (every notebook's setup cell does) must print nothing.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")

    @mistake("UserResponse", code="class-config")
    class UserResponseClassConfig(BaseModel):
        id: int
        email: str
        created_at: datetime
        updated_at: datetime | None

        class Config:
            from_attributes = True


@mistake("UserResponse", code="updated-at-required")
class UserResponseUpdatedAtRequired(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    created_at: datetime
    updated_at: datetime


# --- ItemUpdate -------------------------------------------------------------------------------


@mistake("ItemUpdate", code="refuses-empty-body")
class ItemUpdateCopiesCreate(BaseModel):
    title: Title
    description: Description | None = None


@mistake("ItemUpdate", code="refuses-empty-body")
class ItemUpdateOptionalWithoutDefault(BaseModel):
    title: Optional[Title]  # noqa: UP045 - the Pydantic v1 habit on show
    description: Optional[Description]  # noqa: UP045


@mistake("ItemUpdate", code="drops-rules")
class ItemUpdateDropsRules(BaseModel):
    title: str | None = None
    description: str | None = None


@mistake("ItemUpdate", code="accepts-null-title")
class ItemUpdateAllowsNullTitle(BaseModel):
    title: Title | None = None
    description: Description | None = None


@mistake("ItemUpdate", code="accepts-owner-id")
class ItemUpdateLetsOwnerMove(BaseModel):
    title: Title = None  # type: ignore[assignment] - not validated when omitted; null is refused
    description: Description | None = None
    owner_id: int | None = None


@mistake("ItemUpdate", code="validator-refuses-null-description")
class ItemUpdateRejectsNullDescription(BaseModel):
    title: Title | None = None
    description: Description | None = None

    @field_validator("title", "description")
    @classmethod
    def reject_null(cls, value: str | None) -> str:
        if value is None:
            raise ValueError("null is not allowed.")
        return value


@mistake("ItemUpdate", code="validator-returns-none")
class ItemUpdateValidatorForgetsReturn(BaseModel):
    title: Title | None = None
    description: Description | None = None

    @field_validator("title")
    @classmethod
    def reject_null_title(cls, value: str | None) -> None:
        if value is None:
            raise ValueError("Omit the title to keep it; an item always has one.")


@mistake("ItemUpdate", code="validator-raised")
class ItemUpdateValidatorStripsNone(BaseModel):
    title: Title | None = None
    description: Description | None = None

    @field_validator("title")
    @classmethod
    def tidy_title(cls, value: str | None) -> str:
        return value.strip()  # AttributeError for null: a 500, not a 422


@mistake("ItemUpdate", code="refuses-null-description")
class ItemUpdateDescriptionNotNullable(BaseModel):
    title: Title = None  # type: ignore[assignment] - omitted is fine, null is refused
    description: Description = None  # type: ignore[assignment] - and so here: no clearing


@mistake("ItemUpdate", code="refuses-valid-body")
class ItemUpdateNamesTheTitleName(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Title | None = None  # the field is `title`
    description: Description | None = None


@mistake("ItemUpdate", code="changes-differ")
class ItemUpdateNamesTheTitleNameIgnoringExtras(BaseModel):
    name: Title | None = None  # the field is `title`: a sent title is dropped without a word
    description: Description | None = None


@mistake("ItemUpdate", code="validator-refuses-empty-body")
class ItemUpdateModelValidatorRefusesMissingTitle(BaseModel):
    title: Title | None = None
    description: Description | None = None

    @model_validator(mode="after")
    def title_not_null(self) -> "ItemUpdateModelValidatorRefusesMissingTitle":
        if self.title is None:  # also when the title was simply not sent
            raise ValueError("The title cannot be null.")
        return self


@mistake(
    "ItemUpdate",
    code="extra-allow",
    why='`extra="allow"` passes every undeclared key into the changes, `owner_id` included',
    says='Drop `extra="allow"`',
)
class ItemUpdateExtraAllow(BaseModel):
    model_config = ConfigDict(extra="allow")  # meant as "let the client leave fields out"

    title: Title | None = None
    description: Description | None = None

    @field_validator("title")
    @classmethod
    def reject_null_title(cls, value: str | None) -> str:
        if value is None:
            raise ValueError("Omit the title to keep it; an item always has one.")
        return value


@mistake(
    "ItemUpdate",
    code="extra-allow",
    why='declares `owner_id` and also `extra="allow"`: removing the field alone is not enough',
    says='Drop `extra="allow"`',
)
class ItemUpdateExtraAllowAndOwner(ItemUpdateExtraAllow):
    owner_id: int | None = None


@mistake(
    "ItemUpdate",
    code="ignores-extra",
    why="no `extra` setting: `owner_id` is dropped without a word instead of refused with a 422",
)
class ItemUpdateIgnoresExtraKeys(BaseModel):
    title: Title | None = None
    description: Description | None = None

    @field_validator("title")
    @classmethod
    def reject_null_title(cls, value: str | None) -> str:
        if value is None:
            raise ValueError("Omit the title to keep it; an item always has one.")
        return value


@mistake(
    "ItemUpdate",
    code="ignores-extra",
    why="`from_attributes=True` copied from the response schemas: it reads objects, refuses no key",
)
class ItemUpdateFromAttributes(ItemUpdateIgnoresExtraKeys):
    model_config = ConfigDict(from_attributes=True)
