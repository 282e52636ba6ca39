from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# The workbook's working folder (gitignored), where learners' progress lives too.
WORKBOOK_DIR = Path(__file__).resolve().parent.parent / ".workbook"
DEFAULT_DATABASE = WORKBOOK_DIR / "classroom.sqlite3"


class Settings(BaseSettings):
    """Configuration from environment variables only.

    No `.env` file: the one at the repository root, if any, belongs to whoever made it, and a
    DATABASE_URL meant for the finished service must not quietly become the classroom's.
    """

    model_config = SettingsConfigDict(extra="ignore")

    DATABASE_URL: str = f"sqlite+aiosqlite:///{DEFAULT_DATABASE.as_posix()}"
    HOST: str = "127.0.0.1"
    PORT: int = Field(default=8100, ge=1, le=65535)
    # Per learner: a check every half second, sustained, is already more than a person does.
    POSTS_PER_MINUTE: int = Field(default=120, ge=1)
    # Per client address, every learner behind it together (a hub or a NAT shares one).
    CLIENT_POSTS_PER_MINUTE: int = Field(default=6000, ge=1)
    JOINS_PER_MINUTE: int = Field(default=120, ge=1)


@lru_cache
def get_settings() -> Settings:
    return Settings()
