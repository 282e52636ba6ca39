import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from app.api.deps import SessionDep, SettingsDep
from app.core.exceptions import AuthenticationError, TooManyRequestsError
from app.core.security import create_access_token
from app.schemas.error import BODY_ERRORS, BUSY, documented
from app.schemas.token import Token
from app.services.users import authenticate_user

router = APIRouter(prefix="/auth", tags=["auth"])

# A flood of made-up emails must not grow memory without end: past this many keys the least
# recently failed are forgotten (each client address adds at most its own limit per window).
MAX_TRACKED_KEYS = 100_000
MAX_EMAIL_LENGTH = 320


class LoginThrottle:
    """Failed logins per account and per client address, over a sliding window, in this process.

    Several workers or servers each keep their own counts, so a client gets the limit once per
    process. To share them, keep the same per-key lists where every process reaches them, e.g. in
    Redis, one sorted set per key: ZREMRANGEBYSCORE (drop what left the window), ZCARD (count),
    ZADD (this attempt) and EXPIRE, in one MULTI/EXEC. Behind a proxy, start uvicorn with
    `--forwarded-allow-ips` set to the proxy's address, or every client shares the proxy's.
    The per-account limit also lets anyone lock an account for a window by failing on purpose:
    that is the price of stopping a guesser who spreads guesses over many addresses.
    """

    def __init__(
        self,
        *,
        per_account: int,
        per_client: int,
        window_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = {"account": per_account, "client": per_client}
        self.window = window_seconds
        self.clock = clock
        self._failures: OrderedDict[tuple[str, str], deque[float]] = OrderedDict()

    @contextmanager
    def attempt(self, email: str, client: str) -> Iterator[None]:
        """429 while the account or the client is over its limit; else count this attempt.

        Counted before the password is checked, so guesses sent all at once count too, and
        taken back unless the password was wrong.
        """
        now = self.clock()
        keys = [("account", email.strip().lower()[:MAX_EMAIL_LENGTH]), ("client", client)]
        wait = max(self._wait(key, now) for key in keys)
        if wait > 0:
            raise TooManyRequestsError(retry_after=math.ceil(wait))
        for key in keys:
            self._failures.setdefault(key, deque()).append(now)
            self._failures.move_to_end(key)  # least recently failed first
        self._forget_idle(now)
        wrong_password = False
        try:
            yield
        except AuthenticationError:
            wrong_password = True
            raise
        finally:
            if not wrong_password:
                for key in keys:
                    self._take_back(key, now)

    def _wait(self, key: tuple[str, str], now: float) -> float:
        failures = self._failures.get(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        limit = self.limits[key[0]]
        return failures[-limit] + self.window - now if len(failures) >= limit else 0.0

    def _forget_idle(self, now: float) -> None:
        while self._failures:
            key, failures = next(iter(self._failures.items()))
            idle = not failures or failures[-1] <= now - self.window
            if not idle and len(self._failures) <= MAX_TRACKED_KEYS:
                return
            del self._failures[key]

    def _take_back(self, key: tuple[str, str], at: float) -> None:
        failures = self._failures.get(key)
        if failures and at in failures:
            failures.remove(at)


@router.post(
    "/token",
    response_model=Token,
    responses={
        **BODY_ERRORS,
        **documented(401, "Incorrect email or password"),
        **documented(429, "Too many failed logins: retry after Retry-After seconds"),
        **BUSY,
    },
)
async def login(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
) -> Token:
    """OAuth2 password flow (form-encoded, as Swagger sends it); the email goes in `username`."""
    throttle: LoginThrottle = request.app.state.login_throttle
    client = request.client.host if request.client else "unknown"
    with throttle.attempt(form.username, client):
        user = await authenticate_user(db, form.username, form.password)
    access_token = create_access_token(
        str(user.id),
        secret_key=settings.SECRET_KEY,
        expires_delta=timedelta(minutes=settings.ACCESS_TOKEN_EXPIRE_MINUTES),
        version=user.token_version,
    )
    return Token(access_token=access_token)
