"""Settings: defaults, the environment, and the refusal of placeholder secrets in production."""

import pytest

from app.core.config import Settings, get_settings

STRONG_KEY = "SY1R-738aaAmAMUUP8DBWr1TSMXUN0zG6NKT8WG1rxY"  # secrets.token_urlsafe(32)


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
    assert settings.MAX_BODY_BYTES == 1024 * 1024
    assert settings.LOGIN_FAILURES_PER_ACCOUNT == 5
    assert settings.LOGIN_FAILURES_PER_CLIENT == 20
    assert settings.LOGIN_FAILURE_WINDOW_SECONDS == 300


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


def test_placeholder_secret_is_fine_while_developing() -> None:
    assert make(ENVIRONMENT="development", SECRET_KEY="changethis").SECRET_KEY == "changethis"


GUESSABLE_SECRETS = {
    "placeholder": "changethis",
    "short": "too-short",
    "one character": "k" * 43,
    "two characters": "ab" * 22,
    "a short pattern": "password" * 5,
    "digits": "0123456789" * 4,
    "a pattern, then one more": "abcdef" * 6 + "X",
    "the placeholder repeated": "changethis" * 4,
}


@pytest.mark.parametrize("environment", ["test", "production"])
@pytest.mark.parametrize("secret", GUESSABLE_SECRETS.values(), ids=GUESSABLE_SECRETS.keys())
def test_outside_development_a_guessable_secret_is_refused_with_the_fix(
    environment: str, secret: str
) -> None:
    with pytest.raises(ValueError, match="SECRET_KEY") as caught:
        make(ENVIRONMENT=environment, SECRET_KEY=secret)

    assert 'python -c "import secrets; print(secrets.token_urlsafe(32))"' in str(caught.value)
    assert secret not in str(caught.value).replace("SECRET_KEY", "")


@pytest.mark.parametrize(
    "secret",
    [STRONG_KEY, "a9112c5c5cbcdb324a5d4b9f76851f4d", "a long passphrase, 32+ chars, mixed"],
    ids=["token_urlsafe(32)", "token_hex(16)", "passphrase"],
)
def test_production_accepts_a_random_secret(secret: str) -> None:
    settings = make(ENVIRONMENT="production", SECRET_KEY=secret)

    assert secret == settings.SECRET_KEY


def test_the_default_secret_only_starts_in_development(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)

    assert make(ENVIRONMENT="development").SECRET_KEY == "changethis"
    with pytest.raises(ValueError, match="SECRET_KEY"):
        make(ENVIRONMENT="test")


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
