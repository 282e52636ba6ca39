"""Passwords and tokens as plain functions, without HTTP."""

import asyncio
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from jose import jwt

from app.core import security
from app.core.exceptions import AuthenticationError

KEY = "unit-test-secret-key-0123456789-0123456789"


@pytest.fixture(autouse=True)
def cheap_hashes() -> Iterator[None]:
    rounds = security.pwd_context.handler().default_rounds
    security.set_password_cost(4)
    yield
    security.set_password_cost(rounds)


def test_hash_and_verify() -> None:
    hashed = security.hash_password("correct horse")

    assert hashed.startswith("$2b$04$")
    assert security.verify_password("correct horse", hashed)
    assert not security.verify_password("wrong horse", hashed)


def test_bcrypt_ignores_everything_after_72_bytes() -> None:
    # Why MAX_PASSWORD_BYTES exists: past the limit, passlib verifies different passwords alike.
    prefix = "a" * security.MAX_PASSWORD_BYTES
    hashed = security.pwd_context.hash(prefix + "X")

    assert security.pwd_context.verify(prefix + "Y", hashed)


def test_passwords_over_72_bytes_are_refused_not_truncated() -> None:
    password = "é" * 36  # exactly 72 bytes
    hashed = security.hash_password(password)

    assert security.verify_password(password, hashed)
    assert not security.verify_password(password + "!", hashed)
    with pytest.raises(ValueError, match="72 bytes"):
        security.hash_password(password + "!")


@pytest.mark.parametrize("password", ["nul\x00byte", "\ud800", "x" * 5000])
def test_unhashable_input_fails_verification_instead_of_raising(password: str) -> None:
    assert security.verify_password(password, security.hash_password("correct horse")) is False


def test_set_password_cost_applies_to_new_hashes_and_the_dummy() -> None:
    security.set_password_cost(5)

    assert security.hash_password("correct horse").startswith("$2b$05$")
    assert security.dummy_hash().startswith("$2b$05$")
    assert security.dummy_hash() == security.dummy_hash()


def test_async_hashing_runs_outside_the_event_loop_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[int] = []
    real_hash, real_verify = security.hash_password, security.verify_password

    def record_hash(password: str) -> str:
        threads.append(threading.get_ident())
        return real_hash(password)

    def record_verify(password: str, hashed: str) -> bool:
        threads.append(threading.get_ident())
        return real_verify(password, hashed)

    monkeypatch.setattr(security, "hash_password", record_hash)
    monkeypatch.setattr(security, "verify_password", record_verify)

    async def main() -> tuple[bool, bool, int]:
        hashed = await security.hash_password_async("correct horse")
        right = await security.verify_password_async("correct horse", hashed)
        unknown_user = await security.verify_password_async("correct horse", None)
        return right, unknown_user, threading.get_ident()

    right, unknown_user, loop_thread = asyncio.run(main())

    assert (right, unknown_user) == (True, False)
    assert len(threads) == 3
    assert loop_thread not in threads


def test_token_round_trip() -> None:
    token = security.create_access_token("42", secret_key=KEY)

    assert security.decode_access_token(token, secret_key=KEY) == "42"
    assert jwt.get_unverified_header(token)["alg"] == "HS256"


def test_token_lifetime() -> None:
    short = security.create_access_token("42", secret_key=KEY, expires_delta=timedelta(minutes=1))
    default = security.create_access_token("42", secret_key=KEY)

    lifetime = jwt.get_unverified_claims(default)["exp"] - jwt.get_unverified_claims(short)["exp"]
    assert 29 * 60 - 5 <= lifetime <= 29 * 60 + 5


def test_expired_and_foreign_tokens_raise_authentication_error() -> None:
    expired = security.create_access_token("42", secret_key=KEY, expires_delta=timedelta(-1))
    foreign = security.create_access_token("42", secret_key="some-other-key-" + "x" * 30)

    for token in (expired, foreign, "", "a.b.c"):
        with pytest.raises(AuthenticationError):
            security.decode_access_token(token, secret_key=KEY)


def test_decode_always_names_the_algorithm(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, object]] = []
    real_decode = jwt.decode

    def spy(*args: object, **kwargs: object) -> object:
        calls.append(kwargs)
        return real_decode(*args, **kwargs)

    monkeypatch.setattr(security.jwt, "decode", spy)
    security.decode_access_token(security.create_access_token("42", secret_key=KEY), secret_key=KEY)

    assert calls[0]["algorithms"] == [security.ALGORITHM] == ["HS256"]
