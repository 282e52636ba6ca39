"""Passwords and tokens as plain functions, without HTTP."""

import asyncio
import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jose import jwt

from app.core import security
from app.core.database import MAX_ID
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
    token = security.create_access_token("42", secret_key=KEY, version=3)

    assert security.decode_access_token(token, secret_key=KEY) == security.AccessToken(42, 3)
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


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _signed(header: bytes, payload: bytes, key: str = KEY) -> str:
    signing_input = f"{_b64(header)}.{_b64(payload)}"
    signature = hmac.new(key.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


HS256_HEADER = b'{"alg": "HS256", "typ": "JWT"}'
# Any JSON at all, nested, with the numbers JSON parsers accept beyond the standard.
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=10,
)
CLAIM = st.sampled_from(["sub", "exp", "ver", "iat", "nbf", "aud", "iss", "jti"])
CLAIMS = st.dictionaries(CLAIM, JSON) | JSON
PROPERTY = settings(max_examples=100, deadline=None, derandomize=True, database=None)


@PROPERTY
@given(token=st.text() | st.binary().map(_b64))
def test_any_string_is_refused_as_a_401(token: str) -> None:
    with pytest.raises(AuthenticationError):
        security.decode_access_token(token, secret_key=KEY)


@PROPERTY
@given(header=JSON | st.dictionaries(st.sampled_from(["alg", "typ", "kid", "crit"]), JSON))
def test_any_forged_header_is_refused_as_a_401(header: object) -> None:
    raw = json.dumps(header).encode()
    token = f"{_b64(raw)}.{_b64(b'{}')}.{_b64(b'signature')}"

    with pytest.raises(AuthenticationError):
        security.decode_access_token(token, secret_key=KEY)


@PROPERTY
@given(claims=CLAIMS)
def test_any_claims_signed_with_our_key_decode_or_401(claims: object) -> None:
    """Even with the key, a payload we never wrote is refused, never a crash (a 500)."""
    token = _signed(HS256_HEADER, json.dumps(claims).encode())
    try:
        decoded = security.decode_access_token(token, secret_key=KEY)
    except AuthenticationError:
        return
    assert 1 <= decoded.user_id <= MAX_ID
    assert type(decoded.version) is int


@pytest.mark.parametrize("depth", [100, 10_000])
def test_a_deeply_nested_header_is_a_401_at_any_length(
    depth: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the length bound too: python-jose's json.loads raises RecursionError, no JWTError."""
    monkeypatch.setattr(security, "MAX_TOKEN_LENGTH", 10**6, raising=False)
    token = f"{_b64(b'[' * depth + b']' * depth)}.{_b64(b'{}')}.c2ln"

    with pytest.raises(AuthenticationError):
        security.decode_access_token(token, secret_key=KEY)


def test_a_token_far_longer_than_ours_is_refused_before_it_is_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def parse(*_: object, **__: object) -> None:
        raise AssertionError("jwt.decode was called")

    monkeypatch.setattr(security.jwt, "decode", parse)
    ours = security.create_access_token(str(MAX_ID), secret_key=KEY, version=10**6)

    assert len(ours) < security.MAX_TOKEN_LENGTH // 4
    with pytest.raises(AuthenticationError):
        security.decode_access_token("a" * (security.MAX_TOKEN_LENGTH + 1), secret_key=KEY)


def test_decode_always_names_the_algorithm(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, object]] = []
    real_decode = jwt.decode

    def spy(*args: object, **kwargs: object) -> object:
        calls.append(kwargs)
        return real_decode(*args, **kwargs)

    monkeypatch.setattr(security.jwt, "decode", spy)
    security.decode_access_token(security.create_access_token("42", secret_key=KEY), secret_key=KEY)

    assert calls[0]["algorithms"] == [security.ALGORITHM] == ["HS256"]
