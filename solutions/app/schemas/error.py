from typing import Any

from pydantic import BaseModel, Field


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ErrorResponse(BaseModel):
    """The one shape of every error this API returns."""

    code: str = Field(examples=["not_found"])
    detail: str = Field(examples=["Item not found."])
    errors: list[FieldError] = Field(default_factory=list)


def documented(status_code: int, description: str) -> dict[int | str, dict[str, Any]]:
    """One entry for a route's `responses=`: this status, with the error shape."""
    return {status_code: {"model": ErrorResponse, "description": description}}


# Every operation that reads a body can answer these, before its own code runs.
BODY_ERRORS = {
    **documented(400, "The body could not be parsed: not UTF-8, or a broken form"),
    **documented(413, "The body is larger than the server accepts (MAX_BODY_BYTES)"),
    **documented(422, "Validation Error"),
}
# Operations that hash a password, when too many hashes already wait for a thread.
BUSY = documented(503, "Too many passwords are being hashed: retry after Retry-After seconds")
