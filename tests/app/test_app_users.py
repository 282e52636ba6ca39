"""Registration and the current user: behaviours 2 (409 on duplicates), 6 (password limits),
7 (no hash in responses) and 8 (aware timestamps)."""

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient


def assert_utc(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    assert moment.utcoffset() == timedelta(0), f"{value!r} is not a UTC timestamp"
    return moment


def test_register_returns_the_public_fields_only(client: TestClient, password: str) -> None:
    response = client.post("/users/", json={"email": "Ann@Example.COM", "password": password})

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "email", "created_at", "updated_at"}
    assert body["email"] == "ann@example.com"
    assert_utc(body["created_at"])
    assert body["updated_at"] is None
    assert "$2b$" not in response.text


@pytest.mark.parametrize("second", ["ann@example.com", "ANN@example.com"])
def test_duplicate_email_is_a_409(client: TestClient, password: str, second: str) -> None:
    client.post("/users/", json={"email": "ann@example.com", "password": password})

    response = client.post("/users/", json={"email": second, "password": password})

    assert response.status_code == 409
    assert response.json() == {
        "code": "conflict",
        "detail": "Email already registered.",
        "errors": [],
    }


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("é" * 37, "72 bytes"),  # 37 characters, 74 bytes
        ("a" * 73, "72 bytes"),
        ("😀" * 19, "72 bytes"),  # 19 characters, 76 bytes
        ("s3cr3t!", "at least 8 characters"),
        ("", "at least 8 characters"),
        ("nul\x00inside", "NUL"),
    ],
    ids=["37-e-acute", "73-ascii", "19-emoji", "too-short", "empty", "nul"],
)
def test_unusable_passwords_are_a_422(client: TestClient, password: str, reason: str) -> None:
    response = client.post("/users/", json={"email": "ann@example.com", "password": password})

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["loc"] == ["body", "password"]
    assert reason in error["msg"]
    if password:
        assert password not in response.text


def test_a_72_byte_password_works_to_the_last_byte(client: TestClient) -> None:
    password = "é" * 36  # 36 characters, exactly 72 bytes
    assert client.post(
        "/users/", json={"email": "ann@example.com", "password": password}
    ).is_success

    def login(attempt: str) -> int:
        form = {"username": "ann@example.com", "password": attempt}
        return client.post("/auth/token", data=form).status_code

    assert login(password) == 200
    assert login("é" * 35 + "e") == 401
    # bcrypt alone would accept this: it never sees past the 72nd byte.
    assert login(password + "suffix") == 401


@pytest.mark.parametrize(
    "body",
    [
        {"email": "not-an-email", "password": "correct horse battery"},
        {"email": "ann@example.com"},
        {"email": "ann@example.com", "password": "correct horse battery", "hashed_password": "x"},
    ],
    ids=["bad-email", "no-password", "extra-field"],
)
def test_malformed_registrations_are_a_422(client: TestClient, body: dict[str, str]) -> None:
    assert client.post("/users/", json=body).status_code == 422


def test_me_needs_a_token(client: TestClient) -> None:
    response = client.get("/users/me")

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_me_returns_the_current_user(
    client: TestClient, signup: Callable[..., dict[str, str]]
) -> None:
    signup("bob@example.com")
    headers = signup("ann@example.com")

    response = client.get("/users/me", headers=headers)

    assert response.status_code == 200
    assert response.json()["email"] == "ann@example.com"


def test_update_me_changes_only_what_was_sent(
    client: TestClient, signup: Callable[..., dict[str, str]], password: str
) -> None:
    headers = signup("ann@example.com")
    before = client.get("/users/me", headers=headers).json()

    response = client.patch("/users/me", headers=headers, json={"email": "Ann.New@Example.com"})

    assert response.status_code == 200
    after = response.json()
    assert after["email"] == "ann.new@example.com"
    assert after["id"] == before["id"]
    assert after["created_at"] == before["created_at"]
    assert assert_utc(after["updated_at"]) >= assert_utc(after["created_at"])
    login = client.post(
        "/auth/token", data={"username": "ann.new@example.com", "password": password}
    )
    assert login.status_code == 200


def test_update_me_with_nothing_changes_nothing(
    client: TestClient, signup: Callable[..., dict[str, str]]
) -> None:
    headers = signup("ann@example.com")
    before = client.get("/users/me", headers=headers).json()

    response = client.patch("/users/me", headers=headers, json={})

    assert response.status_code == 200
    assert response.json() == before


def test_update_me_password(
    client: TestClient, signup: Callable[..., dict[str, str]], password: str
) -> None:
    headers = signup("ann@example.com")

    response = client.patch("/users/me", headers=headers, json={"password": "a brand new secret"})

    assert response.status_code == 200
    assert "password" not in response.text
    old = client.post("/auth/token", data={"username": "ann@example.com", "password": password})
    new = client.post(
        "/auth/token", data={"username": "ann@example.com", "password": "a brand new secret"}
    )
    assert (old.status_code, new.status_code) == (401, 200)


def test_update_me_to_a_taken_email_is_a_409(
    client: TestClient, signup: Callable[..., dict[str, str]]
) -> None:
    signup("bob@example.com")
    headers = signup("ann@example.com")

    response = client.patch("/users/me", headers=headers, json={"email": "BOB@example.com"})

    assert response.status_code == 409
    assert response.json()["detail"] == "Email already registered."


@pytest.mark.parametrize(
    "body",
    [{"email": None}, {"password": None}, {"password": "é" * 37}, {"is_admin": True}],
    ids=["null-email", "null-password", "long-password", "unknown-field"],
)
def test_update_me_rejects_invalid_changes(
    client: TestClient, signup: Callable[..., dict[str, str]], body: dict[str, object]
) -> None:
    headers = signup("ann@example.com")

    assert client.patch("/users/me", headers=headers, json=body).status_code == 422


def test_no_response_ever_carries_a_password_hash(
    client: TestClient, signup: Callable[..., dict[str, str]], password: str
) -> None:
    headers = signup("ann@example.com")
    responses = [
        client.post("/users/", json={"email": "bob@example.com", "password": password}),
        client.post("/users/", json={"email": "bob@example.com", "password": password}),
        client.get("/users/me", headers=headers),
        client.patch("/users/me", headers=headers, json={"password": "another long secret"}),
        client.post("/auth/token", data={"username": "bob@example.com", "password": password}),
        client.post("/auth/token", data={"username": "bob@example.com", "password": "wrong!!"}),
    ]

    for response in responses:
        assert "hashed_password" not in response.text
        assert "$2b$" not in response.text
        assert password not in response.text
