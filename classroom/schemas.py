"""What the classroom accepts and answers. Everything a learner sends is bounded here."""

import unicodedata
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from classroom.course import KNOWN, exercise_key

MAX_BATCH = 50  # outcomes per request: a client sends what it kept while the classroom was away


def plain_name(name: str) -> str:
    """A display name: printable text on one line. Markup is allowed here and escaped on the
    page; what cannot be shown or stored (control characters, NUL, lone surrogates) is not."""
    name = " ".join(name.split())
    if not name:
        raise ValueError("The name must not be empty.")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in name):
        raise ValueError("The name must be printable text.")
    return name


DisplayName = Annotated[str, Field(min_length=1, max_length=40), AfterValidator(plain_name)]


class JoinIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: DisplayName


class JoinOut(BaseModel):
    class_code: str
    name: str
    token: str  # shown once: it alone says which learner a later outcome belongs to


class OutcomeIn(BaseModel):
    # extra="forbid": a field naming another learner is refused, not silently ignored.
    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]  # the client's event id, for resends
    notebook: Annotated[str, Field(pattern=r"^[0-9]{2}$")]
    exercise: Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
    status: Literal["correct", "incorrect", "not attempted"]
    code: Annotated[str, Field(max_length=64, pattern=r"^[A-Za-z0-9_.:-]*$")] = ""

    @model_validator(mode="after")
    def _known_exercise(self) -> "OutcomeIn":
        if exercise_key(self.notebook, self.exercise) not in KNOWN:
            raise ValueError(f"Notebook {self.notebook} has no exercise {self.exercise!r}.")
        return self


class OutcomesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcomes: Annotated[list[OutcomeIn], Field(min_length=1, max_length=MAX_BATCH)]


class StoredOut(BaseModel):
    stored: int
    duplicates: int


class CellOut(BaseModel):
    state: Literal["opened", "tried", "done"]
    attempts: int
    code: str


class LearnerOut(BaseModel):
    name: str
    checks: int
    last_seen: datetime | None
    cells: dict[str, CellOut]


class ExerciseOut(BaseModel):
    key: str
    notebook: str
    id: str
    title: str
    done: int
    tried: int
    not_started: int
    common_code: str
    common_count: int


class StuckOut(BaseModel):
    name: str
    exercise: str
    title: str
    since: datetime
    seconds: int
    attempts: int
    code: str


class BoardOut(BaseModel):
    class_code: str
    now: datetime
    version: int  # changes whenever a learner joins or an outcome is stored
    notebooks: dict[str, str]
    exercises: list[ExerciseOut]
    learners: list[LearnerOut]
    stuck: list[StuckOut]


class ErrorResponse(BaseModel):
    code: str
    detail: str
    errors: list[dict[str, object]] = []
