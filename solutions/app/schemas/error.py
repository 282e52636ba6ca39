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
