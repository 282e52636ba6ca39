import asyncio
import math
import os
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from anyio import CapacityLimiter, to_thread
from jose import jwt
from passlib.context import CryptContext

from app.core.database import MAX_ID
from app.core.exceptions import AuthenticationError, ServiceBusyError

ALGORITHM = "HS256"
# bcrypt ignores every byte after the 72nd: longer passwords are refused, never silently cut.
MAX_PASSWORD_BYTES = 72
DEFAULT_TOKEN_LIFETIME = timedelta(minutes=30)
# Ours are about 150 characters: a longer one is not ours, and is refused before it is parsed.
MAX_TOKEN_LENGTH = 1024
# A user id as create_access_token writes it: ASCII digits, no sign, no space, no leading zero.
USER_ID_SUBJECT = re.compile(r"[1-9][0-9]{0,9}")
T = TypeVar("T")

pwd_context = CryptContext(schemes=["bcrypt"], deprecated="auto", bcrypt__rounds=12)


def set_password_cost(rounds: int) -> None:
    """Apply `Settings.BCRYPT_ROUNDS` to new hashes; `create_app` calls this."""
    pwd_context.update(bcrypt__rounds=rounds)


def _too_long(password: str) -> bool:
    return len(password.encode("utf-8", "surrogatepass")) > MAX_PASSWORD_BYTES


# Seconds one bcrypt call takes on this machine at the current cost, learnt from the calls
# themselves (a first guess until then): the hashing queue's bound follows BCRYPT_ROUNDS.
_seconds_per_hash = 0.1


def _timed(bcrypt_call: Callable[[], T]) -> T:
    global _seconds_per_hash
    start = time.perf_counter()
    result = bcrypt_call()  # not timed when it fails fast: NUL bytes are refused before hashing
    _seconds_per_hash += (time.perf_counter() - start - _seconds_per_hash) / 4
    return result


def hash_password(password: str) -> str:
    if _too_long(password):
        raise ValueError(f"Passwords longer than {MAX_PASSWORD_BYTES} bytes cannot be hashed.")
    return _timed(lambda: pwd_context.hash(password))


def verify_password(password: str, hashed_password: str) -> bool:
    # bcrypt would compare only the first 72 bytes, accepting the password plus any suffix.
    if _too_long(password):
        return False
    try:
        return _timed(lambda: pwd_context.verify(password, hashed_password))
    except ValueError:
        # passlib refuses NUL and unencodable text: no stored password contains them.
        return False


def needs_rehash(hashed_password: str) -> bool:
    """True when the hash was made at another cost than BCRYPT_ROUNDS: rehash it at login."""
    return pwd_context.needs_update(hashed_password)


def dummy_hash() -> str:
    """A real hash at the current cost, so a login for an unknown email costs one verify too."""
    return _dummy_hash(pwd_context.handler().default_rounds)


@lru_cache(maxsize=4)
def _dummy_hash(rounds: int) -> str:
    return pwd_context.handler().using(rounds=rounds).hash(secrets.token_urlsafe(16))


def _verify_against_dummy(password: str) -> bool:
    verify_password(password, dummy_hash())
    return False


# bcrypt is deliberately slow and releases the GIL: in a thread it never stalls the event loop.
# At most one hash per core at a time: more threads cannot hash faster, they only take CPU from
# the event loop (measured: a login storm moved /health's p99 x10 with 40 threads, x4 with 2).
_hashing_limiters: WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter] = (
    WeakKeyDictionary()
)
# A hash that would wait longer than this for a thread is refused at once (503): the client is
# better off retrying later, and a queue without a bound only ends in timeouts. At cost 12 on
# two cores about 55 hashes wait; at cost 4 thousands.
MAX_HASHING_WAIT_SECONDS = 10.0


def _hashing_limiter() -> CapacityLimiter:
    loop = asyncio.get_running_loop()  # a limiter belongs to one event loop
    if loop not in _hashing_limiters:
        _hashing_limiters[loop] = CapacityLimiter(os.cpu_count() or 1)
    return _hashing_limiters[loop]


async def _in_hashing_thread(function: Callable[..., T], *args: Any) -> T:
    limiter = _hashing_limiter()
    wait = limiter.statistics().tasks_waiting * _seconds_per_hash / limiter.total_tokens
    if wait > MAX_HASHING_WAIT_SECONDS:
        raise ServiceBusyError(retry_after=math.ceil(wait))
    return await to_thread.run_sync(function, *args, limiter=limiter)


async def hash_password_async(password: str) -> str:
    return await _in_hashing_thread(hash_password, password)


async def verify_password_async(password: str, hashed_password: str | None) -> bool:
    """Verify in a worker thread; `None` (no such user) checks a dummy hash, then fails."""
    if hashed_password is None:
        return await _in_hashing_thread(_verify_against_dummy, password)
    return await _in_hashing_thread(verify_password, password, hashed_password)


def create_access_token(
    subject: str, *, secret_key: str, expires_delta: timedelta | None = None, version: int = 0
) -> str:
    """`version` is the user's `token_version`: changing the password changes it (see deps)."""
    lifetime = DEFAULT_TOKEN_LIFETIME if expires_delta is None else expires_delta
    claims = {"sub": subject, "exp": datetime.now(UTC) + lifetime, "ver": version}
    return jwt.encode(claims, secret_key, algorithm=ALGORITHM)


@dataclass(frozen=True)
class AccessToken:
    """What a verified token says: whose it is, and which of their token versions."""

    user_id: int
    version: int


def decode_access_token(token: str, *, secret_key: str) -> AccessToken:
    """Return what the token says, or raise AuthenticationError for any token we did not issue."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise AuthenticationError()
    try:
        # Always an explicit list: the token's own `alg` header must never choose the check.
        claims = jwt.decode(
            token,
            secret_key,
            algorithms=[ALGORITHM],
            options={"require_exp": True, "require_sub": True},
        )
    except Exception as exc:
        # Decoding does no I/O: whatever fails here fails because of the token. python-jose
        # parses the header before the signature is checked, and some failures are not a
        # JWTError: RecursionError (deep nesting), OverflowError (an infinite `exp`), JWKError.
        raise AuthenticationError() from exc
    subject, version = claims.get("sub"), claims.get("ver")
    # Checked before int(), which accepts " 7", "+7", "٧" and fails on 5,000 digits (a 500).
    if not isinstance(subject, str) or not USER_ID_SUBJECT.fullmatch(subject):
        raise AuthenticationError()
    if int(subject) > MAX_ID or type(version) is not int:  # bool is an int subclass
        raise AuthenticationError()
    return AccessToken(user_id=int(subject), version=version)
