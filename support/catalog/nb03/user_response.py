"""Notebook 03 · Schemas, exercise `UserResponse`: its check and hints."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from support.catalog.nb03._shared import _MISSING, _first, _require_model, _validate
from support.exercises import CheckContext, Incorrect

HINTS = [
    "A response declares its own fields, so start from `BaseModel`, not from "
    "`UserCreate` (which would demand a password). Four fields, no secret; reading an ORM "
    "object instead of a dict takes one line of configuration.",
    "`model_config = ConfigDict(from_attributes=True)` reads attributes from ORM objects; "
    'the default `extra="ignore"` drops whatever is not declared. `updated_at` is `None` '
    "until the first update, "
    'so its type is `datetime | None`. No `hashed_password`, no `extra="allow"`, no '
    "`class Config`.",
    "The shape: `class UserResponse(BaseModel):`, then `model_config = "
    "ConfigDict(...)`, then one annotated line per field: `id: ...`, `email: ...`, "
    "`created_at: ...`, `updated_at: ... | None`.",
]


_FAKE_HASH = "$2b$04$" + "abcdefghijklmnopqrstuv" * 2 + "abcdefghi"  # bcrypt-shaped, 60 chars


_RESPONSE_FIELDS = ("id", "email", "created_at", "updated_at")


async def check(ctx: CheckContext, UserResponse: Any) -> None:
    from pydantic import BaseModel

    from app.models import User

    _require_model(UserResponse, "UserResponse")

    # A real row, loaded from a database, as a route would have it.
    async with ctx.database() as Session, Session() as session:
        user = User(email="ann@example.com", hashed_password=_FAKE_HASH)
        session.add(user)
        await session.commit()

    shown, failure = _validate(UserResponse, user)
    if failure is not None:
        kinds = {e["type"] for e in failure.errors()}
        missing = {
            str(e["loc"][0]) for e in failure.errors() if e["type"] == "missing" and e["loc"]
        }
        if kinds & {"model_type", "dict_type"}:
            raise Incorrect(
                "`UserResponse.model_validate(user)` refused the ORM object. Add "
                "`model_config = ConfigDict(from_attributes=True)` so Pydantic reads attributes.",
                code="no-from-attributes",
            )
        nulls = [
            str(e["loc"][0])
            for e in failure.errors()
            if e["loc"] and e["type"] != "missing" and e.get("input", _MISSING) is None
        ]
        if nulls:
            raise Incorrect(
                f"`UserResponse.model_validate(user)` failed ({_first(failure)}): the row's "
                f"`{nulls[0]}` is `None` (a user that was never updated has no `updated_at`). "
                f"Declare it `{nulls[0]}: datetime | None`.",
                code="updated-at-required",
            )
        if "password" in missing:
            raise Incorrect(
                "`UserResponse` requires `password`: it inherits from `UserCreate`. Inherit from "
                "`BaseModel` (or `UserBase`) instead, so the response has no password field.",
                code="requires-password",
            )
        raise Incorrect(
            f"`UserResponse.model_validate(user)` failed ({_first(failure)}). Declare only "
            f"{', '.join(_RESPONSE_FIELDS)}.",
            code="validate-failed",
        )
    dumped = shown.model_dump()
    declared = sorted({"password", "hashed_password"} & set(UserResponse.model_fields))
    if declared and not set(declared) & set(dumped):
        raise Incorrect(
            f"`UserResponse` declares `{declared[0]}`, even if it leaves it out of its output: "
            "the schema still requires it as input, shows it in the API description, and a "
            "change to one flag would send it. Remove the field: the hash never leaves the "
            "database layer.",
            code="declares-secret",
        )
    if "hashed_password" in dumped:
        raise Incorrect(
            "The response carries `hashed_password`. Remove that field: the hash never leaves "
            "the database layer.",
            code="leaks-hash",
        )

    carrier = SimpleNamespace(
        id=7,
        email="bob@example.com",
        password="correct horse battery",  # noqa: S106
        hashed_password=_FAKE_HASH,
        created_at=datetime.now(UTC),
        updated_at=None,
    )
    row = {**vars(carrier), "is_admin": False}
    shown, failure = _validate(UserResponse, row)
    if failure is not None:
        raise Incorrect(
            f"`UserResponse` refused a dict with extra keys ({_first(failure)}). Leave `extra` "
            "at its default: a response should drop what it does not declare, not fail.",
            code="forbids-extra",
        )
    leaked = sorted({"password", "hashed_password", "is_admin"} & set(shown.model_dump()))
    if leaked:
        raise Incorrect(
            f"Validated from a dict, the response kept {', '.join(leaked)}. Remove "
            '`extra="allow"`: the default (`"ignore"`) drops every key the schema does not '
            "declare.",
            code="extra-allow",
        )

    keys = set(dumped)
    missing = [f for f in _RESPONSE_FIELDS if f not in keys]
    if missing:
        raise Incorrect(
            f"`UserResponse` lacks {', '.join(missing)}. Declare `id: int`, `email: str`, "
            "`created_at: datetime` and `updated_at: datetime | None`.",
            code="missing-fields",
        )
    extra = sorted(keys - set(_RESPONSE_FIELDS))
    if extra:
        raise Incorrect(
            f"`UserResponse` also declares {', '.join(extra)}. Keep to id, email, created_at "
            "and updated_at: every extra field is one more thing the API promises forever.",
            code="extra-fields",
        )
    if any("Config" in vars(cls) for cls in UserResponse.__mro__ if cls is not BaseModel):
        raise Incorrect(
            "It works, but through the nested `class Config`, which warns "
            "`PydanticDeprecatedSince20` and goes away in Pydantic V3. Replace it with "
            "`model_config = ConfigDict(from_attributes=True)`.",
            code="class-config",
        )
