from functools import lru_cache
from typing import Literal, Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "changethis"  # noqa: S105 - the known value the validator refuses
MIN_SECRET_LENGTH = 32


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

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Self:
        if self.ENVIRONMENT in ("development", "test"):
            return self
        if self.SECRET_KEY == PLACEHOLDER_SECRET or len(self.SECRET_KEY) < MIN_SECRET_LENGTH:
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
