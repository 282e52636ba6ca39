"""What notebook 03's checks share: requiring a pydantic model, and validating data with it."""

from __future__ import annotations

import inspect
from typing import Any

from support.exercises import Incorrect, NotAttempted, describe, error_summary

_MISSING = "<not set>"


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
