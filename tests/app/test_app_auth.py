"""Login and bearer tokens: behaviours 3 (no blocking), 4 (no email oracle) and 5 (every bad token
is a 401)."""

import asyncio
import base64
import hashlib
import hmac
import json
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from jose import jwt

from app.api.routes import auth
from app.core import security
from app.core.config import Settings
from app.core.database import make_engine, make_sessionmaker
from app.main import create_app


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


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _b64(data: object) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def sign(payload: bytes, key: str, header: object = None) -> str:
    """A token of any payload bytes, signed with `key` as HS256 (jwt.encode wants a dict)."""
    signing_input = f"{_b64(header or {'alg': 'HS256', 'typ': 'JWT'})}.{_b64(payload)}"
    signature = hmac.new(key.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def _claims(sub: object = None, minutes: int = 30) -> dict[str, object]:
    exp = datetime.now(UTC) + timedelta(minutes=minutes)
    return {"sub": sub, "exp": exp, "ver": 0} if sub is not None else {"exp": exp, "ver": 0}


def _bad_authorization(kind: str, user_id: int, key: str) -> str | None:
    valid = jwt.encode(_claims(str(user_id)), key, algorithm="HS256")
    header, _, signature = valid.split(".")
    forged_payload = _b64({"sub": str(user_id + 1), "exp": 4102444800, "ver": 0})
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64({'sub': str(user_id)})}."
    later = 4102444800
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
        # Forged: no key needed to send these, and each one used to reach the decoder.
        "deeply nested header": f"{_b64(b'[' * 5000 + b']' * 5000)}.{_b64({})}.c2ln",
        "header not an object": f"{_b64([1, 2])}.{_b64({'sub': str(user_id)})}.c2ln",
        "header not JSON": f"{_b64(b'{not json')}.{_b64({})}.c2ln",
        "a megabyte": "a" * 1_000_000,
        "not base64": "!!!.###.$$$",
        "non-ASCII": "é.é.é",
        # Claims no token of ours has, signed as if they were.
        "infinite exp": sign(b'{"sub": "%d", "exp": 1e400, "ver": 0}' % user_id, key),
        "exp of 5,000 digits": sign(b'{"sub": "1", "exp": %s, "ver": 0}' % b"9" * 5000, key),
        "sub of 5,000 digits": sign(
            b'{"sub": "%s", "exp": %d, "ver": 0}' % (b"9" * 5000, later), key
        ),
        "sub with a leading zero": jwt.encode(_claims(f"0{user_id}"), key),
        "sub with a sign": jwt.encode(_claims(f"+{user_id}"), key),
        "sub with a space": jwt.encode(_claims(f" {user_id}"), key),
        "sub of Arabic digits": jwt.encode(_claims(str(user_id).translate(ARABIC_DIGITS)), key),
        "sub past the integer column": jwt.encode(_claims(str(2**31)), key),
        "payload not an object": sign(b"[1, 2]", key),
        "no version": jwt.encode({"sub": str(user_id), "exp": later}, key),
        "version not a number": jwt.encode({**_claims(str(user_id)), "ver": "0"}, key),
        "version false": jwt.encode({**_claims(str(user_id)), "ver": False}, key),
        "older version": jwt.encode({**_claims(str(user_id)), "ver": -1}, key),
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
    "deeply nested header",
    "header not an object",
    "header not JSON",
    "a megabyte",
    "not base64",
    "non-ASCII",
    "infinite exp",
    "exp of 5,000 digits",
    "sub of 5,000 digits",
    "sub with a leading zero",
    "sub with a sign",
    "sub with a space",
    "sub of Arabic digits",
    "sub past the integer column",
    "payload not an object",
    "no version",
    "version not a number",
    "version false",
    "older version",
]
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize("kind", BAD_TOKENS)
def test_every_bad_token_is_a_401_with_a_bearer_challenge(
    client: TestClient, settings: Settings, signup: Callable[..., dict[str, str]], kind: str
) -> None:
    valid_headers = signup("ann@example.com")
    user_id = client.get("/users/me", headers=valid_headers).json()["id"]
    authorization = _bad_authorization(kind, user_id, settings.SECRET_KEY)
    # As bytes: HTTP headers are Latin-1 on the wire, and httpx would refuse to encode "é".
    headers = {} if authorization is None else {"Authorization": authorization.encode("latin-1")}

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


def test_an_id_is_never_given_to_a_second_user(
    client: TestClient, signup: Callable[..., dict[str, str]], sql
) -> None:
    """SQLite would hand the deleted newest user's id to the next one, and their token with it."""
    signup("ann@example.com")
    bob = signup("bob@example.com")
    bob_id = client.get("/users/me", headers=bob).json()["id"]
    sql("DELETE FROM users WHERE email = :email", email="bob@example.com")

    carol = signup("carol@example.com")
    response = client.get("/users/me", headers=bob)

    assert client.get("/users/me", headers=carol).json()["id"] > bob_id
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_new_password_ends_every_token_issued_before_it(
    client: TestClient, signup: Callable[..., dict[str, str]], password: str
) -> None:
    before = signup("ann@example.com")
    other_device = client.post(
        "/auth/token", data={"username": "ann@example.com", "password": password}
    ).json()["access_token"]

    changed = client.patch("/users/me", headers=before, json={"password": "a brand new secret"})
    login = {"username": "ann@example.com", "password": "a brand new secret"}
    after = {
        "Authorization": f"Bearer {client.post('/auth/token', data=login).json()['access_token']}"
    }

    assert changed.status_code == 200
    assert client.get("/users/me", headers=before).status_code == 401
    assert client.get("/users/me", headers=bearer(other_device)).status_code == 401
    assert client.get("/users/me", headers=after).status_code == 200


def test_a_new_email_keeps_the_token(
    client: TestClient, signup: Callable[..., dict[str, str]]
) -> None:
    headers = signup("ann@example.com")

    changed = client.patch("/users/me", headers=headers, json={"email": "ann@example.org"})

    assert changed.status_code == 200
    assert client.get("/users/me", headers=headers).json()["email"] == "ann@example.org"


# --- Throttled logins -----------------------------------------------------------------------


def _login(client: TestClient, email: str, password: str) -> httpx.Response:
    return client.post("/auth/token", data={"username": email, "password": password})


def test_an_account_gets_five_wrong_passwords_then_429s(
    client: TestClient, settings: Settings, signup: Callable[..., dict[str, str]], password: str
) -> None:
    signup("ann@example.com")

    statuses = [_login(client, "ann@example.com", "wrong password").status_code for _ in range(7)]
    refused = _login(client, "ANN@example.com", password)  # the right one, spelled otherwise

    assert statuses == [401] * 5 + [429] * 2
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= settings.LOGIN_FAILURE_WINDOW_SECONDS
    assert refused.json()["code"] == "too_many_requests"
    assert _login(client, "bob@example.com", "wrong password").status_code == 401  # others: fine


def test_a_client_gets_twenty_wrong_logins_whatever_the_accounts(
    client: TestClient, signup: Callable[..., dict[str, str]], password: str
) -> None:
    signup("ann@example.com")

    statuses = [_login(client, f"guess{i}@example.com", "wrong").status_code for i in range(21)]

    assert statuses == [401] * 20 + [429]
    assert _login(client, "ann@example.com", password).status_code == 429


def test_after_the_window_the_account_may_try_again(
    client: TestClient,
    application: FastAPI,
    settings: Settings,
    signup: Callable[..., dict[str, str]],
    password: str,
) -> None:
    now = [1000.0]
    application.state.login_throttle.clock = lambda: now[0]
    signup("ann@example.com")
    for _ in range(5):
        _login(client, "ann@example.com", "wrong password")
    assert _login(client, "ann@example.com", password).status_code == 429

    now[0] += settings.LOGIN_FAILURE_WINDOW_SECONDS

    assert _login(client, "ann@example.com", password).status_code == 200


def test_successful_logins_are_never_counted(
    client: TestClient, signup: Callable[..., dict[str, str]], password: str
) -> None:
    signup("ann@example.com")

    assert {_login(client, "ann@example.com", password).status_code for _ in range(30)} == {200}


def test_throttled_keys_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "MAX_TRACKED_KEYS", 10)
    throttle = auth.LoginThrottle(per_account=5, per_client=10**6, window_seconds=60)

    for i in range(1000):
        with pytest.raises(security.AuthenticationError), throttle.attempt(f"{i}@example.com", "c"):
            raise security.AuthenticationError()

    assert len(throttle._failures) <= 10


@pytest.mark.anyio
async def test_guesses_sent_at_once_are_counted_before_any_is_checked(
    application: FastAPI, password: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten guesses in flight together: only the account's five reach bcrypt."""
    transport = httpx.ASGITransport(app=application)
    client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
    await client.post("/users/", json={"email": "ann@example.com", "password": password})
    checked = HashingGate(monkeypatch)
    guess = {"username": "ann@example.com", "password": "a wrong guess"}
    try:
        tasks = [asyncio.create_task(client.post("/auth/token", data=guess)) for _ in range(10)]
        refused = await checked.completed(tasks, 5)
        checked.release()
        checked_guesses = await asyncio.gather(*(task for task in tasks if not task.done()))
    finally:
        checked.release()
        await client.aclose()
        await application.state.engine.dispose()

    assert [response.status_code for response in refused] == [429] * 5
    assert [response.status_code for response in checked_guesses] == [401] * 5
    assert checked.entered == 5


# --- Login storms ---------------------------------------------------------------------------


class HashingGate:
    """Replaces bcrypt's verify with one that waits at a gate until the test releases it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.gate = threading.Event()
        self.entered = 0
        real_verify = security.verify_password

        def gated(password: str, hashed: str) -> bool:
            self.entered += 1
            self.gate.wait(timeout=30)
            return real_verify(password, hashed)

        monkeypatch.setattr(security, "verify_password", gated)

    def release(self) -> None:
        self.gate.set()

    async def hashing(self, count: int) -> None:
        for _ in range(1000):
            if self.entered >= count:
                return
            await asyncio.sleep(0.01)
        raise AssertionError(f"{count} verifies never started ({self.entered} did)")

    @staticmethod
    async def completed(tasks: list[asyncio.Task], count: int) -> list[httpx.Response]:
        """The first `count` responses, while the gate is still closed."""
        done: set[asyncio.Task] = set()
        while len(done) < count:
            finished, _ = await asyncio.wait(
                set(tasks) - done, timeout=10, return_when=asyncio.FIRST_COMPLETED
            )
            if not finished:
                raise AssertionError(f"only {len(done)} of {count} answered while hashing")
            done |= finished
        return [task.result() for task in tasks if task in done]


@pytest.mark.anyio
async def test_logins_waiting_for_bcrypt_hold_no_database_connection(
    application: FastAPI, database_url: str, password: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One pooled connection, two logins stuck in bcrypt: a signed-in user's read still runs."""
    engine = make_engine(database_url, pool_size=1, max_overflow=0, pool_timeout=3)
    application.state.sessionmaker = make_sessionmaker(engine)
    transport = httpx.ASGITransport(app=application)
    client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
    credentials = {"email": "ann@example.com", "password": password}
    await client.post("/users/", json=credentials)
    form = {"username": credentials["email"], "password": password}
    token = (await client.post("/auth/token", data=form)).json()["access_token"]
    verifies = HashingGate(monkeypatch)
    wrong = {"username": credentials["email"], "password": "not the password"}
    try:
        logins = [asyncio.create_task(client.post("/auth/token", data=wrong)) for _ in range(2)]
        await verifies.hashing(1)
        read = await client.get("/users/me", headers=bearer(token))
        verifies.release()
        answers = await asyncio.gather(*logins)
    finally:
        verifies.release()
        await client.aclose()
        await engine.dispose()
        await application.state.engine.dispose()

    assert read.status_code == 200
    assert [answer.status_code for answer in answers] == [401, 401]


@pytest.mark.anyio
async def test_a_full_hashing_queue_answers_503_with_retry_after_at_once(
    settings: Settings, password: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the queue's bound a login is refused at once, instead of queueing into a timeout."""
    threads = os.cpu_count() or 1
    # One second a hash, and room for two seconds of waiting: two logins may wait per thread.
    monkeypatch.setattr(security, "_seconds_per_hash", 1.0, raising=False)
    monkeypatch.setattr(security, "MAX_HASHING_WAIT_SECONDS", 2.0 / threads, raising=False)
    unthrottled = settings.model_copy(update={"LOGIN_FAILURES_PER_CLIENT": 10**6})
    application = create_app(unthrottled)
    transport = httpx.ASGITransport(app=application)
    client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
    verifies = HashingGate(monkeypatch)
    try:
        logins = [
            asyncio.create_task(
                client.post("/auth/token", data={"username": f"u{i}@example.com", "password": "x"})
            )
            for i in range(threads + 3 + 3)  # hashing, waiting (0, 1, 2 ahead), refused
        ]
        busy = await verifies.completed(logins, 3)
        verifies.release()
        served = await asyncio.gather(*(task for task in logins if not task.done()))
    finally:
        verifies.release()
        await client.aclose()
        await application.state.engine.dispose()

    assert [response.status_code for response in busy] == [503] * 3
    assert all(int(response.headers["Retry-After"]) >= 1 for response in busy)
    assert busy[0].json()["code"] == "service_busy"
    assert [response.status_code for response in served] == [401] * (threads + 3)


# --- Rehash at login ------------------------------------------------------------------------


def test_a_login_rehashes_a_password_made_at_another_cost(
    settings: Settings, password: str, sql, monkeypatch: pytest.MonkeyPatch
) -> None:
    with TestClient(create_app(settings)) as client:
        client.post("/users/", json={"email": "ann@example.com", "password": password})
    stored = "SELECT hashed_password FROM users"
    assert sql(stored)[0].hashed_password.startswith("$2b$04$")

    with TestClient(create_app(settings.model_copy(update={"BCRYPT_ROUNDS": 5}))) as client:
        wrong = _login(client, "ann@example.com", "not the password")
        after_wrong = sql(stored)[0].hashed_password
        right = _login(client, "ann@example.com", password)
        me = client.get("/users/me", headers=bearer(right.json()["access_token"]))
        again = _login(client, "ann@example.com", password)
    security.set_password_cost(settings.BCRYPT_ROUNDS)

    assert (wrong.status_code, right.status_code, me.status_code) == (401, 200, 200)
    assert after_wrong.startswith("$2b$04$")  # only the right password can be rehashed
    assert sql(stored)[0].hashed_password.startswith("$2b$05$")
    assert again.status_code == 200


def test_an_unknown_email_costs_a_verify_at_the_current_cost(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    verified_against: list[str] = []
    real_verify = security.verify_password

    def spy(plain: str, hashed: str) -> bool:
        verified_against.append(hashed)
        return real_verify(plain, hashed)

    monkeypatch.setattr(security, "verify_password", spy)
    with TestClient(create_app(settings.model_copy(update={"BCRYPT_ROUNDS": 5}))) as client:
        response = _login(client, "nobody@example.com", "whatever it is")
    security.set_password_cost(settings.BCRYPT_ROUNDS)

    assert response.status_code == 401
    assert [hashed[:7] for hashed in verified_against] == ["$2b$05$"]
