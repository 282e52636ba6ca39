import asyncio
import os
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from anyio import CapacityLimiter, to_thread
from jose import JWTError, jwt
from jose.exceptions import JWKError
from passlib.context import CryptContext

from app.core.exceptions import AuthenticationError

ALGORITHM = "HS256"
# bcrypt ignores every byte after the 72nd: longer passwords are refused, never silently cut.
MAX_PASSWORD_BYTES = 72
DEFAULT_TOKEN_LIFETIME = timedelta(minutes=30)
T = TypeVar("T")

pwd_context = CryptContext(schemes=["bcrypt"], deprecated="auto", bcrypt__rounds=12)


def set_password_cost(rounds: int) -> None:
    """Apply `Settings.BCRYPT_ROUNDS` to new hashes; `create_app` calls this."""
    pwd_context.update(bcrypt__rounds=rounds)


def _too_long(password: str) -> bool:
    return len(password.encode("utf-8", "surrogatepass")) > MAX_PASSWORD_BYTES


def hash_password(password: str) -> str:
    if _too_long(password):
        raise ValueError(f"Passwords longer than {MAX_PASSWORD_BYTES} bytes cannot be hashed.")
    return pwd_context.hash(password)


def verify_password(password: str, hashed_password: str) -> bool:
    # bcrypt would compare only the first 72 bytes, accepting the password plus any suffix.
    if _too_long(password):
        return False
    try:
        return pwd_context.verify(password, hashed_password)
    except ValueError:
        # passlib refuses NUL and unencodable text: no stored password contains them.
        return False


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


def _hashing_limiter() -> CapacityLimiter:
    loop = asyncio.get_running_loop()  # a limiter belongs to one event loop
    if loop not in _hashing_limiters:
        _hashing_limiters[loop] = CapacityLimiter(os.cpu_count() or 1)
    return _hashing_limiters[loop]


async def _in_hashing_thread(function: Callable[..., T], *args: Any) -> T:
    return await to_thread.run_sync(function, *args, limiter=_hashing_limiter())


async def hash_password_async(password: str) -> str:
    return await _in_hashing_thread(hash_password, password)


async def verify_password_async(password: str, hashed_password: str | None) -> bool:
    """Verify in a worker thread; `None` (no such user) checks a dummy hash, then fails."""
    if hashed_password is None:
        return await _in_hashing_thread(_verify_against_dummy, password)
    return await _in_hashing_thread(verify_password, password, hashed_password)


def create_access_token(
    subject: str, *, secret_key: str, expires_delta: timedelta | None = None
) -> str:
    lifetime = DEFAULT_TOKEN_LIFETIME if expires_delta is None else expires_delta
    claims = {"sub": subject, "exp": datetime.now(UTC) + lifetime}
    return jwt.encode(claims, secret_key, algorithm=ALGORITHM)


def decode_access_token(token: str, *, secret_key: str) -> str:
    """Return the token's subject, or raise AuthenticationError for any token we did not issue."""
    try:
        # Always an explicit list: the token's own `alg` header must never choose the check.
        claims = jwt.decode(
            token,
            secret_key,
            algorithms=[ALGORITHM],
            options={"require_exp": True, "require_sub": True},
        )
    except (JWTError, JWKError) as exc:  # JWKError is not a JWTError
        raise AuthenticationError() from exc
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise AuthenticationError()
    return subject
