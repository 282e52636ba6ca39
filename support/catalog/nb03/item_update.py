"""Notebook 03 · Schemas, exercise `ItemUpdate`: its check and hints."""

from __future__ import annotations

from typing import Any

from support.catalog.nb03._shared import _MISSING, _first, _require_model, _validate
from support.exercises import CheckContext, Incorrect

HINTS = [
    "Optional means two things: the field may be left out (it needs a default), and the "
    "rules of `ItemCreate` still hold when it is sent. For the title, null must be refused "
    "even though the field is optional: look at how `UserUpdate` refuses null.",
    "Reuse the `Title` and `Description` types, each with `| None = None`; "
    '`@field_validator("title")` over a `@classmethod` raises `ValueError` for `None`. '
    '`model_config = ConfigDict(extra="forbid")` refuses `id` and `owner_id`.',
    "The shape: `model_config = ConfigDict(...)`, then `title: ... | None = None` and "
    '`description: ... | None = None`, then `@field_validator("title")` `@classmethod` '
    "`def ...(cls, value):` that raises for `None` and returns `value` otherwise.",
]


async def check(ctx: CheckContext, ItemUpdate: Any) -> None:
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

    # Keys an update must refuse: two the server sets, and one nobody would declare, which shows
    # `extra="allow"` even when the class also declares `owner_id`.
    kept: list[str] = []
    dropped: list[str] = []
    for key, value in (("owner_id", 2), ("id", 99), ("is_admin", True)):
        changes, failure = sent({key: value})
        if failure is None:
            (kept if key in changes else dropped).append(key)
    declared = [key for key in kept if key in ItemUpdate.model_fields]
    undeclared = [f"`{key}`" for key in kept if key not in declared]
    if undeclared:
        also = f", and delete the `{declared[0]}` field" if declared else ""
        raise Incorrect(
            f"`ItemUpdate` kept keys it does not declare ({', '.join(undeclared)}) in the "
            'changes: `extra="allow"` keeps any key a client sends, `owner_id` included. Drop '
            '`extra="allow"` and refuse undeclared keys with '
            f'`model_config = ConfigDict(extra="forbid")`{also}.',
            code="extra-allow",
        )
    if declared:
        raise Incorrect(
            f"`ItemUpdate` lets a client send `{declared[0]}`, which would move or renumber the "
            f"item. Remove `{declared[0]}`: an update carries only title and description.",
            code="accepts-owner-id",
        )
    if dropped:
        raise Incorrect(
            f'`ItemUpdate` accepted `{{"{dropped[0]}": ...}}` and dropped it without a word, so '
            "the client never learns it was ignored. Refuse undeclared keys with a 422, as "
            '`StrictSignup` does in section 7: `model_config = ConfigDict(extra="forbid")`.',
            code="ignores-extra",
        )
