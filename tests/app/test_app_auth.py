"""Login and bearer tokens: behaviours 3 (no blocking), 4 (no email oracle) and 5 (every bad token
is a 401)."""

import asyncio
import base64
import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from jose import jwt

from app.core import security
from app.core.config import Settings


def test_login_returns_a_bearer_token_that_identifies_the_user(
    client: TestClient, password: str
) -> None:
    client.post("/users/", json={"email": "ann@example.com", "password": password})

    response = client.post(
        "/auth/token", data={"username": "Ann@Example.com", "password": password}
    )

    assert response.status_code == 200
    token = response.json()
    assert token["token_type"] == "bearer"
    me = client.get("/users/me", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert me.status_code == 200
    assert me.json()["email"] == "ann@example.com"


def test_login_needs_form_fields(client: TestClient) -> None:
    response = client.post("/auth/token", json={"username": "ann@example.com", "password": "x"})

    assert response.status_code == 422
    assert {tuple(error["loc"]) for error in response.json()["errors"]} == {
        ("body", "username"),
        ("body", "password"),
    }


def test_wrong_password_and_unknown_email_look_the_same(
    client: TestClient, password: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.post("/users/", json={"email": "ann@example.com", "password": password})
    verified_against: list[str] = []
    real_verify = security.verify_password

    def spy(plain: str, hashed: str) -> bool:
        verified_against.append(hashed)
        return real_verify(plain, hashed)

    monkeypatch.setattr(security, "verify_password", spy)

    wrong_password = client.post(
        "/auth/token", data={"username": "ann@example.com", "password": "not the password"}
    )
    unknown_email = client.post(
        "/auth/token", data={"username": "nobody@example.com", "password": "not the password"}
    )

    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json() == unknown_email.json()
    assert wrong_password.json()["detail"] == "Incorrect email or password."
    assert dict(wrong_password.headers) == dict(unknown_email.headers)
    assert wrong_password.headers["WWW-Authenticate"] == "Bearer"
    # Both paths paid for one bcrypt verify; the unknown email against the dummy hash.
    assert len(verified_against) == 2
    assert verified_against[1] == security.dummy_hash()
    assert all(hashed.startswith("$2b$") for hashed in verified_against)


@pytest.mark.anyio
@pytest.mark.parametrize("flow", ["register", "login"])
async def test_password_hashing_leaves_the_event_loop_free(
    application: FastAPI, password: str, flow: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While bcrypt runs, another coroutine on the same loop must still get to run.

    The patched hash/verify waits until a coroutine on the loop answers. Run on the loop itself,
    it would wait in vain (the coroutine can never run), and the test fails.
    """
    transport = httpx.ASGITransport(app=application)
    client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
    credentials = {"email": "ann@example.com", "password": password}
    if flow == "login":
        await client.post("/users/", json=credentials)

    loop = asyncio.get_running_loop()
    hashing = asyncio.Event()
    loop_answered = threading.Event()
    answered_in_time: list[bool] = []

    def slow(real: Callable[..., object]) -> Callable[..., object]:
        def wrapper(*args: object) -> object:
            loop.call_soon_threadsafe(hashing.set)
            answered_in_time.append(loop_answered.wait(timeout=5))
            return real(*args)

        return wrapper

    monkeypatch.setattr(security, "hash_password", slow(security.hash_password))
    monkeypatch.setattr(security, "verify_password", slow(security.verify_password))

    async def other_work_on_the_loop() -> None:
        await hashing.wait()
        loop_answered.set()

    try:
        if flow == "register":
            request = client.post("/users/", json=credentials)
        else:
            form = {"username": credentials["email"], "password": password}
            request = client.post("/auth/token", data=form)
        response, _ = await asyncio.gather(request, other_work_on_the_loop())
    finally:
        await client.aclose()
        await application.state.engine.dispose()

    assert response.status_code in (200, 201)
    assert answered_in_time == [True]


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(sub: object = None, minutes: int = 30) -> dict[str, object]:
    exp = datetime.now(UTC) + timedelta(minutes=minutes)
    return {"sub": sub, "exp": exp} if sub is not None else {"exp": exp}


def _bad_authorization(kind: str, user_id: int, key: str) -> str | None:
    valid = jwt.encode(_claims(str(user_id)), key, algorithm="HS256")
    header, _, signature = valid.split(".")
    forged_payload = _b64({"sub": str(user_id + 1), "exp": 4102444800})
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64({'sub': str(user_id)})}."
    tokens = {
        "missing": None,
        "empty": "",
        "malformed": "not-a-jwt",
        "tampered payload": f"{header}.{forged_payload}.{signature}",
        "wrong key": jwt.encode(_claims(str(user_id)), "another-key-" + "x" * 40),
        "alg none": unsigned,
        "HS512 same key": jwt.encode(_claims(str(user_id)), key, algorithm="HS512"),
        "expired": jwt.encode(_claims(str(user_id), minutes=-1), key),
        "no exp": jwt.encode({"sub": str(user_id)}, key),
        "missing sub": jwt.encode(_claims(), key),
        "non-string sub": jwt.encode(_claims(user_id), key),
        "non-numeric sub": jwt.encode(_claims("ann@example.com"), key),
        "huge sub": jwt.encode(_claims("9" * 30), key),
        "unknown user": jwt.encode(_claims(str(user_id + 1000)), key),
    }
    if kind == "wrong scheme":
        return "Basic YW5uQGV4YW1wbGUuY29tOnBhc3N3b3Jk"
    if kind == "no scheme":
        return valid
    token = tokens[kind]
    return None if token is None else f"Bearer {token}"


BAD_TOKENS = [
    "missing",
    "empty",
    "malformed",
    "wrong scheme",
    "no scheme",
    "tampered payload",
    "wrong key",
    "alg none",
    "HS512 same key",
    "expired",
    "no exp",
    "missing sub",
    "non-string sub",
    "non-numeric sub",
    "huge sub",
    "unknown user",
]


@pytest.mark.parametrize("kind", BAD_TOKENS)
def test_every_bad_token_is_a_401_with_a_bearer_challenge(
    client: TestClient, settings: Settings, signup: Callable[..., dict[str, str]], kind: str
) -> None:
    valid_headers = signup("ann@example.com")
    user_id = client.get("/users/me", headers=valid_headers).json()["id"]
    authorization = _bad_authorization(kind, user_id, settings.SECRET_KEY)
    headers = {} if authorization is None else {"Authorization": authorization}

    response = client.get("/users/me", headers=headers)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["code"] == "not_authenticated"
    assert response.json()["errors"] == []


def test_token_of_a_deleted_user_is_a_401(
    client: TestClient, signup: Callable[..., dict[str, str]], sql
) -> None:
    headers = signup("ann@example.com")
    assert client.get("/users/me", headers=headers).status_code == 200

    sql("DELETE FROM users WHERE email = :email", email="ann@example.com")
    response = client.get("/users/me", headers=headers)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
