"""Notebook 03 · Schemas: its lesson card and exercises."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from answers import nb03 as answers
from answers.alternatives import nb03 as alternatives
from answers.mistakes import nb03 as mistakes
from support.catalog import Lesson
from support.exercises import (
    CheckContext,
    Exercise,
    Incorrect,
    Mistake,
    NotAttempted,
    describe,
    error_summary,
    where_in_answer,
)

# Minutes estimated, not yet timed with learners: 2,350 words of teaching prose at about 120
# words a minute plus 38 teaching code cells at about 20 s each (run, read the output);
# each exercise about 8 minutes with its three hints, checks and one wrong attempt.
LESSON = Lesson(
    number="03",
    title="Schemas",
    filename="03_schemas.ipynb",
    teaching_minutes=32,
    exercise_minutes=25,
    objectives=(
        "Split one resource into create, update and response schemas, and say what each lets "
        "across the boundary.",
        "Read ORM objects with `model_config = ConfigDict(from_attributes=True)` instead of the "
        "deprecated `class Config`.",
        "Read a 422 validation error body and find the field, the rule and the echoed input.",
        "Enforce a password limit in UTF-8 bytes, because bcrypt ignores everything after byte 72.",
        "Apply partial updates with `model_dump(exclude_unset=True)` and refuse `null` where a "
        "column cannot hold it.",
    ),
    builds_on=(
        "02 Models (the `User` and `Item` tables; here we use the finished package's `app.models`)"
    ),
    package_files=("app/schemas/user.py", "app/schemas/item.py"),
    key_points=(
        "One schema per direction: what a client may send (create, update) is never what the "
        "API returns, and no schema that crosses the boundary declares `hashed_password`.",
        "A response schema sends only the fields it declares; inheriting it from `UserCreate` or "
        'giving it `extra="allow"` lets secrets through.',
        "`model_config = ConfigDict(from_attributes=True)` reads ORM objects; `class Config` "
        "still works but warns `PydanticDeprecatedSince20`.",
        "bcrypt uses only the first 72 bytes and passlib truncates silently: refuse longer "
        "passwords, counting UTF-8 bytes, not characters.",
        "`exclude_unset=True` keeps exactly what the client sent, including an explicit `null`; "
        "reject `null` for fields whose column cannot be empty.",
    ),
)

_MISSING = "<not set>"
_FAKE_HASH = "$2b$04$" + "abcdefghijklmnopqrstuv" * 2 + "abcdefghi"  # bcrypt-shaped, 60 chars


def _require_model(answer: Any, name: str) -> None:
    """A Pydantic model class with at least one field; the untouched stub has none."""
    from pydantic import BaseModel

    if answer is None or answer is Ellipsis:
        raise NotAttempted()
    if inspect.iscoroutine(answer):
        answer.close()
        raise Incorrect(
            f"Expected the class `{name}` itself; you passed a coroutine object.",
            code="coroutine-passed",
        )
    if not inspect.isclass(answer):
        raise Incorrect(
            f"Expected a class named `{name}`, a subclass of `BaseModel`; got {describe(answer)}.",
            code="not-a-class",
        )
    if not issubclass(answer, BaseModel):
        raise Incorrect(
            f"`{name}` must be a Pydantic model: start it with `class {name}(BaseModel):`.",
            code="not-a-model",
        )
    if not answer.model_fields:
        raise NotAttempted()


def _validate(model: Any, data: Any) -> tuple[Any, Any]:
    """(instance, None) or (None, ValidationError); any other error is the learner's bug."""
    from pydantic import ValidationError

    try:
        return model.model_validate(data), None
    except ValidationError as exc:
        return None, exc
    except Exception as exc:
        raise Incorrect(
            f"`{model.__name__}.model_validate(...)` raised {error_summary(exc)}. A validator "
            "must return the value or raise `ValueError`; anything else becomes a 500.",
            code="validator-raised",
        ) from exc


def _first(exc: Any) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"]) or "the model"
    return f"{where}: {error['msg']}"


# --------------------------------------------------------------------------------------------
# password_ok


async def check_password_ok(ctx: CheckContext, password_ok: Any) -> None:
    from pydantic_core import PydanticCustomError

    ctx.require_function(password_ok, is_async=False, name="password_ok")
    if inspect.iscoroutinefunction(password_ok):
        raise Incorrect(
            "`password_ok` must be a plain `def`, not `async def`: Pydantic calls validators "
            "synchronously and would store the coroutine instead of the password.",
            code="async-def",
        )
    try:
        inspect.signature(password_ok).bind("a password")
    except TypeError as exc:
        raise Incorrect(
            "`password_ok` must take one argument, the password: "
            "`def password_ok(password: str) -> str:`. (`cls` belongs only to a "
            "`@field_validator` method inside a class.)",
            code="takes-cls",
        ) from exc
    except ValueError:
        pass  # no signature to read (a builtin): let the calls below tell

    def outcome(password: str) -> tuple[str, Any]:
        shown = password if len(password) <= 25 else password[:12] + "..."
        try:
            return "accepted", password_ok(password)
        except AssertionError as exc:
            raise Incorrect(
                f"`password_ok({shown!r})` refused it with `assert`. Python drops every "
                "`assert` when it runs with `-O`, and your rules with them: raise "
                '`ValueError("...")` instead.',
                code="uses-assert",
            ) from exc
        except (ValueError, PydanticCustomError) as exc:
            return "rejected", exc
        except NotImplementedError as exc:
            raise NotAttempted() from exc
        except Exception as exc:
            if type(exc).__module__ == "builtins" and type(exc) is not Exception:
                raise Incorrect(
                    f"`password_ok({shown!r})` raised {error_summary(exc)}"
                    f"{where_in_answer(password_ok, exc)}. That looks like a bug in your "
                    "function: fix it, run your cell again, then this check. (If you raised it "
                    "on purpose, raise `ValueError` instead: Pydantic turns only that into a 422.)",
                    code="bug-raised",
                ) from exc
            raise Incorrect(
                f"`password_ok({shown!r})` raised {error_summary(exc)}. Raise `ValueError` for "
                "a password that breaks a rule: Pydantic turns it into a 422, anything else "
                "into a 500.",
                code="wrong-exception",
            ) from exc

    for ok in ("correct horse battery", "  spaces count too  "):
        status, result = outcome(ok)
        if status == "rejected":
            raise Incorrect(
                f"`password_ok({ok!r})` raised `{result}`, but it is a fine password.",
                code="rejects-good",
            )
        if result is None:
            raise Incorrect(
                "`password_ok` returned `None` for a good password. End with `return password`: "
                "Pydantic keeps whatever a validator returns.",
                code="returns-none",
            )
        if result is True:
            raise Incorrect(
                "`password_ok` returned `True`. Return the password itself and raise "
                "`ValueError` for a bad one: Pydantic keeps whatever a validator returns, so "
                "`True` would become the password.",
                code="returns-true",
            )
        if result != ok:
            raise Incorrect(
                f"`password_ok({ok!r})` returned {result!r}; return the password unchanged. "
                "Spaces and capitals are part of what the user chose: change nothing.",
                code="changes-password",
            )

    status, result = outcome("abcdefgh")
    if status == "rejected":
        raise Incorrect(
            "`password_ok` rejected 'abcdefgh', 8 characters. Exactly 8 is allowed: reject only "
            "fewer than 8 (`len(password) < 8`, not `<= 8`).",
            code="minimum-off-by-one",
        )

    for password, size in (("a" * 72, "72 ASCII letters"), ("é" * 36, "36 'é' (72 bytes)")):
        status, result = outcome(password)
        if status == "rejected":
            raise Incorrect(
                f"`password_ok` rejected {size}. Exactly 72 bytes is allowed: reject only "
                "more than 72 (`> 72`, not `>= 72`).",
                code="max-off-by-one",
            )

    too_long = (
        ("a" * 73, "73 ASCII letters (73 bytes)"),
        ("é" * 37, "37 'é' (37 characters, 74 bytes)"),
        ("\U0001f511" * 19, "19 emoji (19 characters, 76 bytes)"),
    )
    messages = {}
    for password, size in too_long:
        status, result = outcome(password)
        if status == "rejected":
            messages.setdefault("long", str(result).strip())
            if not str(result).strip():
                raise Incorrect(
                    "`password_ok` raised a `ValueError` with no message. Say which rule failed, "
                    'e.g. `ValueError("Password must be at most 72 bytes in UTF-8.")`: it is '
                    "what the client reads in the 422.",
                    code="empty-message",
                )
            continue
        if result is False:
            raise Incorrect(
                f"`password_ok` returned `False` for {size}. Raise `ValueError` instead: "
                "Pydantic only rejects a value when the validator raises.",
                code="returns-false",
            )
        if isinstance(result, str) and result != password and password.startswith(result):
            raise Incorrect(
                f"`password_ok` cut {size} short. Reject it: raise `ValueError` instead of "
                "truncating, or the user's password is silently not the one they chose.",
                code="truncates",
            )
        if password.isascii():
            raise Incorrect(
                f"`password_ok` accepted {size}: reject more than 72 bytes.",
                code="accepts-long-ascii",
            )
        raise Incorrect(
            f"`password_ok` accepted {size}. Count bytes, not characters: "
            '`len(password.encode("utf-8")) > 72`.',
            code="counts-characters",
        )

    for password, size in (
        ("short", "'short' (5 characters)"),
        ("abcdefg", "'abcdefg' (7 characters)"),
        ("é" * 7, "7 'é' (7 characters, 14 bytes)"),
    ):
        status, result = outcome(password)
        if status == "accepted":
            raise Incorrect(
                f"`password_ok` accepted {size}. Require at least 8 characters, counted as a "
                "person counts them: `len(password) < 8`.",
                code="accepts-short",
            )
        messages.setdefault("short", str(result).strip())
    if messages["short"] == messages["long"]:
        raise Incorrect(
            f"`password_ok` gives the same message, {messages['short']!r}, for a password that "
            "is too short and for one that is too long. Say which rule failed (at least 8 "
            "characters, at most 72 bytes): the client reads it in the 422 and must know what "
            "to change.",
            code="same-message",
        )


# --------------------------------------------------------------------------------------------
# UserResponse

_RESPONSE_FIELDS = ("id", "email", "created_at", "updated_at")


async def check_user_response(ctx: CheckContext, UserResponse: Any) -> None:
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


# --------------------------------------------------------------------------------------------
# ItemUpdate


async def check_item_update(ctx: CheckContext, ItemUpdate: Any) -> None:
    _require_model(ItemUpdate, "ItemUpdate")

    def sent(body: dict[str, Any]) -> Any:
        patch, failure = _validate(ItemUpdate, body)
        if failure is not None:
            return _MISSING, failure
        return patch.model_dump(exclude_unset=True), None

    changes, failure = sent({})
    if failure is not None and any(e["type"] == "value_error" for e in failure.errors()):
        raise Incorrect(
            f"`ItemUpdate` refused an empty body ({_first(failure)}): your validator runs even "
            "when the title was not sent, and then sees `None`. Check only a title the client "
            'sent: a `@field_validator("title")` runs for sent values alone, its default is '
            "never validated.",
            code="validator-refuses-empty-body",
        )
    if failure is not None:
        raise Incorrect(
            f"`ItemUpdate` refused an empty body ({_first(failure)}). Give every field a "
            "default of `None`: `title: Title | None = None`. In Pydantic v2, `Optional[...]` "
            "alone still makes a field required.",
            code="refuses-empty-body",
        )

    for body in ({"title": "Buy oat milk"}, {"description": "2 litres"}, {"description": None}):
        changes, failure = sent(body)
        if failure is not None:
            if body == {"description": None}:
                if any(e["type"] == "value_error" for e in failure.errors()):
                    raise Incorrect(
                        f'`ItemUpdate` refused `{{"description": null}}` ({_first(failure)}): '
                        "your `field_validator` refuses null for `description` too. Name only "
                        'the title in it, `@field_validator("title")`: a client sends null to '
                        "clear the description.",
                        code="validator-refuses-null-description",
                    )
                raise Incorrect(
                    f'`ItemUpdate` refused `{{"description": null}}` ({_first(failure)}). A '
                    "client sends null to clear the description: `description: Description | "
                    "None = None`.",
                    code="refuses-null-description",
                )
            raise Incorrect(
                f"`ItemUpdate` refused {body} ({_first(failure)}).", code="refuses-valid-body"
            )
        if changes.keys() == body.keys() and any(
            changes[k] is None and body[k] is not None for k in body
        ):
            raise Incorrect(
                f"`ItemUpdate.model_validate({body})` turned it into {changes}: your "
                "`field_validator` returns nothing for a good value. End it with "
                "`return value`: Pydantic keeps whatever a validator returns.",
                code="validator-returns-none",
            )
        if changes != body:
            raise Incorrect(
                f"`ItemUpdate.model_validate({body}).model_dump(exclude_unset=True)` gave "
                f"{changes}; it should give back exactly what was sent.",
                code="changes-differ",
            )

    for body, rule in (
        ({"title": ""}, "an empty title"),
        ({"title": "x" * 201}, "a 201-character title"),
        ({"description": "x" * 10_001}, "a 10,001-character description"),
    ):
        changes, failure = sent(body)
        if failure is None:
            raise Incorrect(
                f"`ItemUpdate` accepted {rule}, which `ItemCreate` refuses. Keep the same rules: "
                "use the `Title` and `Description` types (`title: Title | None = None`).",
                code="drops-rules",
            )

    changes, failure = sent({"title": None})
    if failure is None:
        raise Incorrect(
            '`ItemUpdate` accepted `{"title": null}`, so the update would write NULL into a '
            'NOT NULL column. Reject null for the title with a `field_validator("title")` '
            "that raises `ValueError` when the value is `None`.",
            code="accepts-null-title",
        )

    for key, value in (("owner_id", 2), ("id", 99)):
        changes, failure = sent({key: value})
        if failure is None and key in changes:
            raise Incorrect(
                f"`ItemUpdate` lets a client send `{key}`, which would move or renumber the "
                f"item. Remove `{key}`: an update carries only title and description.",
                code="accepts-owner-id",
            )


EXERCISES = [
    Exercise(
        id="password_ok",
        title="Count bytes, not characters",
        check=check_password_ok,
        answer=answers.password_ok,
        hints=[
            "Two rules, two measures. The minimum is counted as a person counts, in characters; "
            "the maximum as bcrypt counts, in bytes. Each rule that fails is an error with its "
            "own message; a good password comes back exactly as it came in.",
            '`len(password)` counts characters; `len(password.encode("utf-8"))` counts bytes. A '
            'validator signals a failure with `raise ValueError("...")`, which Pydantic turns into '
            "a 422 entry, and returns the value it accepts.",
            "The shape: `if len(...) < 8: raise ValueError(<the minimum's message>)`, then "
            '`if len(....encode("utf-8")) > 72: raise ValueError(<the maximum\'s message>)`, then '
            "`return password`.",
        ],
        mistakes=[
            Mistake(mistakes.password_counts_characters, code="counts-characters"),
            Mistake(mistakes.password_truncates, code="truncates"),
            Mistake(mistakes.password_returns_bool, code="returns-true"),
            Mistake(mistakes.password_off_by_one, code="max-off-by-one"),
            Mistake(mistakes.password_strips, code="changes-password"),
            Mistake(mistakes.password_one_message, code="same-message"),
            Mistake(mistakes.password_decodes, code="bug-raised"),
            Mistake(mistakes.password_takes_cls, code="takes-cls"),
            Mistake(mistakes.password_minimum_off_by_one, code="minimum-off-by-one"),
            Mistake(mistakes.password_asserts, code="uses-assert"),
            Mistake(mistakes.password_raises_http_exception, code="wrong-exception"),
            Mistake(mistakes.password_requires_a_digit, code="rejects-good"),
            Mistake(mistakes.password_bare_value_error, code="empty-message"),
            Mistake(mistakes.password_returns_false, code="returns-false"),
            Mistake(mistakes.password_without_maximum, code="accepts-long-ascii"),
            Mistake(mistakes.password_minimum_in_bytes, code="accepts-short"),
        ],
        kind="function",
        alternatives=[alternatives.password_ok_counting_once],
        success="Pydantic will turn each `ValueError` into a 422 entry that names the rule.",
    ),
    Exercise(
        id="UserResponse",
        title="A response schema that leaks nothing",
        check=check_user_response,
        answer=answers.UserResponse,
        hints=[
            "A response declares its own fields, so start from `BaseModel`, not from "
            "`UserCreate` (which would demand a password). Four fields, no secret; reading an ORM "
            "object instead of a dict takes one line of configuration.",
            "`model_config = ConfigDict(from_attributes=True)` reads attributes from ORM objects "
            "and drops whatever is not declared; `updated_at` is `None` until the first update, "
            'so its type is `datetime | None`. No `hashed_password`, no `extra="allow"`, no '
            "`class Config`.",
            "The shape: `class UserResponse(BaseModel):`, then `model_config = "
            "ConfigDict(...)`, then one annotated line per field: `id: ...`, `email: ...`, "
            "`created_at: ...`, `updated_at: ... | None`.",
        ],
        mistakes=[
            Mistake(mistakes.UserResponseInheritsCreate, code="requires-password"),
            Mistake(mistakes.UserResponseDeclaresHash, code="leaks-hash"),
            Mistake(mistakes.UserResponseExcludesHash, code="declares-secret"),
            Mistake(mistakes.UserResponseWithIsActive, code="validate-failed"),
            Mistake(mistakes.UserResponseWithIsActiveDefault, code="extra-fields"),
            Mistake(mistakes.UserResponseForbidsExtra, code="forbids-extra"),
            Mistake(mistakes.UserResponseWithoutFromAttributes, code="no-from-attributes"),
            Mistake(mistakes.UserResponseExtraAllow, code="extra-allow"),
            Mistake(mistakes.UserResponseMissingTimestamps, code="missing-fields"),
            Mistake(mistakes.UserResponseClassConfig, code="class-config"),
            Mistake(mistakes.UserResponseUpdatedAtRequired, code="updated-at-required"),
        ],
        kind="class",
        alternatives=[alternatives.UserResponseFromUserBase],
        success="Whatever the ORM object carries, this schema sends four fields and no secret.",
    ),
    Exercise(
        id="ItemUpdate",
        title="An update schema with optional fields",
        check=check_item_update,
        answer=answers.ItemUpdate,
        hints=[
            "Optional means two things: the field may be left out (it needs a default), and the "
            "rules of `ItemCreate` still hold when it is sent. For the title, null must be refused "
            "even though the field is optional: look at how `UserUpdate` refuses null.",
            "Reuse the `Title` and `Description` types, each with `| None = None`; "
            '`@field_validator("title")` over a `@classmethod` raises `ValueError` for `None`. '
            '`model_config = ConfigDict(extra="forbid")` refuses `id` and `owner_id`.',
            "The shape: `model_config = ConfigDict(...)`, then `title: ... | None = None` and "
            '`description: ... | None = None`, then `@field_validator("title")` `@classmethod` '
            "`def ...(cls, value):` that raises for `None` and returns `value` otherwise.",
        ],
        mistakes=[
            Mistake(mistakes.ItemUpdateCopiesCreate, code="refuses-empty-body"),
            Mistake(mistakes.ItemUpdateOptionalWithoutDefault, code="refuses-empty-body"),
            Mistake(mistakes.ItemUpdateDropsRules, code="drops-rules"),
            Mistake(mistakes.ItemUpdateAllowsNullTitle, code="accepts-null-title"),
            Mistake(mistakes.ItemUpdateLetsOwnerMove, code="accepts-owner-id"),
            Mistake(
                mistakes.ItemUpdateRejectsNullDescription,
                code="validator-refuses-null-description",
            ),
            Mistake(mistakes.ItemUpdateValidatorForgetsReturn, code="validator-returns-none"),
            Mistake(mistakes.ItemUpdateValidatorStripsNone, code="validator-raised"),
            Mistake(mistakes.ItemUpdateDescriptionNotNullable, code="refuses-null-description"),
            Mistake(mistakes.ItemUpdateNamesTheTitleName, code="refuses-valid-body"),
            Mistake(mistakes.ItemUpdateNamesTheTitleNameIgnoringExtras, code="changes-differ"),
            Mistake(
                mistakes.ItemUpdateModelValidatorRefusesMissingTitle,
                code="validator-refuses-empty-body",
            ),
        ],
        kind="class",
        alternatives=[alternatives.ItemUpdateWithModelValidator],
        success="`model_dump(exclude_unset=True)` now gives exactly the changes the client sent.",
    ),
]
