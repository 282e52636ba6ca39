"""Settings: defaults, the environment, and the refusal of placeholder secrets in production."""

import pytest

from app.core.config import Settings, get_settings

STRONG_KEY = "k" * 43


def make(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ENVIRONMENT", "DATABASE_URL", "SECRET_KEY", "BCRYPT_ROUNDS", "CREATE_TABLES"):
        monkeypatch.delenv(name, raising=False)

    settings = make()

    assert settings.ENVIRONMENT == "development"
    assert settings.DATABASE_URL == "sqlite+aiosqlite:///./app.db"
    assert settings.SECRET_KEY == "changethis"
    assert settings.ACCESS_TOKEN_EXPIRE_MINUTES == 30
    assert settings.BCRYPT_ROUNDS == 12
    assert settings.CREATE_TABLES is False


def test_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite+aiosqlite:///./other.db")
    monkeypatch.setenv("CREATE_TABLES", "true")
    monkeypatch.setenv("BCRYPT_ROUNDS", "5")

    settings = make()

    assert settings.DATABASE_URL == "sqlite+aiosqlite:///./other.db"
    assert settings.CREATE_TABLES is True
    assert settings.BCRYPT_ROUNDS == 5


def test_reads_a_dotenv_file(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACCESS_TOKEN_EXPIRE_MINUTES", raising=False)
    env_file = tmp_path / ".env"
    env_file.write_text("ACCESS_TOKEN_EXPIRE_MINUTES=5\n")

    assert Settings(_env_file=env_file).ACCESS_TOKEN_EXPIRE_MINUTES == 5  # type: ignore[call-arg]


@pytest.mark.parametrize("environment", ["development", "test"])
def test_placeholder_secret_is_fine_while_developing(environment: str) -> None:
    assert make(ENVIRONMENT=environment, SECRET_KEY="changethis").SECRET_KEY == "changethis"


@pytest.mark.parametrize("secret", ["changethis", "too-short"], ids=["placeholder", "short"])
def test_production_refuses_a_weak_secret_and_says_how_to_fix_it(secret: str) -> None:
    with pytest.raises(ValueError, match="SECRET_KEY") as caught:
        make(ENVIRONMENT="production", SECRET_KEY=secret)

    assert 'python -c "import secrets; print(secrets.token_urlsafe(32))"' in str(caught.value)
    assert secret not in str(caught.value).replace("SECRET_KEY", "")


def test_production_accepts_a_strong_secret() -> None:
    assert make(ENVIRONMENT="production", SECRET_KEY=STRONG_KEY).SECRET_KEY == STRONG_KEY


def test_secret_is_not_in_the_repr() -> None:
    assert STRONG_KEY not in repr(make(SECRET_KEY=STRONG_KEY))


@pytest.mark.parametrize(
    "values", [{"ENVIRONMENT": "staging"}, {"BCRYPT_ROUNDS": 3}, {"ACCESS_TOKEN_EXPIRE_MINUTES": 0}]
)
def test_invalid_values_are_refused(values: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        make(**values)


def test_get_settings_is_cached() -> None:
    assert get_settings() is get_settings()
