from functools import lru_cache
from typing import Literal, Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "changethis"  # noqa: S105 - the known value the validator refuses
MIN_SECRET_LENGTH = 32
MIN_SECRET_CHARACTERS = 8  # a random key of 32 hex digits has at least 9 different ones


def looks_random(secret: str) -> bool:
    """False for keys a person typed: one character repeated, or a short pattern repeated.

    Random text rarely repeats a pair of neighbouring characters; "aaaa..." and "abcabc..." do
    little else. (secrets.token_urlsafe(32) and token_hex(16) pass with room to spare.)
    """
    pairs = {secret[i : i + 2] for i in range(len(secret) - 1)}
    return len(set(secret)) >= MIN_SECRET_CHARACTERS and len(pairs) >= (len(secret) - 1) / 2


class Settings(BaseSettings):
    """Configuration read from environment variables and an optional `.env` file."""

    # hide_input_in_errors: a validation error must not print the secret it is complaining about.
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", hide_input_in_errors=True
    )

    ENVIRONMENT: Literal["development", "test", "production"] = "development"
    DATABASE_URL: str = "sqlite+aiosqlite:///./app.db"
    SECRET_KEY: str = Field(default=PLACEHOLDER_SECRET, repr=False)
    ACCESS_TOKEN_EXPIRE_MINUTES: int = Field(default=30, gt=0)
    BCRYPT_ROUNDS: int = Field(default=12, ge=4, le=31)
    # Notebooks and tests create tables at startup; real deployments run `alembic upgrade head`.
    CREATE_TABLES: bool = False
    # Larger request bodies get a 413 before they are read: no route here needs more than a few KB.
    MAX_BODY_BYTES: int = Field(default=1024 * 1024, gt=0)
    # Failed logins allowed per window, per account and per client address; then 429.
    LOGIN_FAILURES_PER_ACCOUNT: int = Field(default=5, gt=0)
    LOGIN_FAILURES_PER_CLIENT: int = Field(default=20, gt=0)
    LOGIN_FAILURE_WINDOW_SECONDS: int = Field(default=300, gt=0)

    @model_validator(mode="after")
    def _refuse_guessable_secret(self) -> Self:
        # Only a developer's own machine may sign tokens with a key anyone could guess.
        if self.ENVIRONMENT == "development":
            return self
        key = self.SECRET_KEY
        if key == PLACEHOLDER_SECRET or len(key) < MIN_SECRET_LENGTH or not looks_random(key):
            raise ValueError(
                f"SECRET_KEY must be a random value of at least {MIN_SECRET_LENGTH} characters "
                f"when ENVIRONMENT is {self.ENVIRONMENT!r}: generate one with "
                '`python -c "import secrets; print(secrets.token_urlsafe(32))"` '
                "and set it in the environment or in .env."
            )
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
