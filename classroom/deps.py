from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Path, Request
from sqlalchemy.ext.asyncio import AsyncSession

from classroom.crud import get_class, learner_id_by_token
from classroom.database import get_db
from classroom.errors import AuthenticationError, NotFoundError, RateLimitedError
from classroom.ratelimit import RateLimiter
from classroom.security import CODE_PATTERN, bearer, digest, matches

# scope="function": the commit runs before the response is sent, so "stored" means stored.
SessionDep = Annotated[AsyncSession, Depends(get_db, scope="function")]
ClassCode = Annotated[str, Path(pattern=CODE_PATTERN, description="The class code, ABCD-EFGH")]
AuthorizationHeader = Annotated[str | None, Header(include_in_schema=False)]
MAX_KNOWN = 10_000  # remembered learners; past that the memory starts again, empty


@dataclass(frozen=True)
class ClassRef:
    id: int
    code: str
    key_hash: str


def limit(request: Request, limiter_name: str, key: str) -> None:
    limiter: RateLimiter = getattr(request.app.state, limiter_name)
    wait = limiter.allow(key)
    if wait:
        raise RateLimitedError(wait)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def limit_client_posts(request: Request) -> None:
    limit(request, "client_limiter", client_address(request))


# A class never changes while the service runs (its key changes only at start), nor does a
# learner's token: both are looked up once and remembered. A check then costs the database its
# writes alone, which is what keeps a room's posts fast on SQLite (benchmarks/classroom.py).
# Looked up in a session of their own, closed at once: a post then holds no connection while
# it waits for its write, and sixty first posts cannot take the whole pool and wait on it.
async def get_classroom(request: Request, code: ClassCode) -> ClassRef:
    known: dict[str, ClassRef] = request.app.state.known_classes
    found = known.get(code)
    if found is None:
        async with request.app.state.sessionmaker() as db:
            classroom = await get_class(db, code)
        if classroom is None:
            raise NotFoundError()
        found = known[code] = ClassRef(classroom.id, classroom.code, classroom.key_hash)
    return found


ClassDep = Annotated[ClassRef, Depends(get_classroom)]


async def get_learner_id(
    request: Request, classroom: ClassDep, authorization: AuthorizationHeader = None
) -> int:
    """The learner is whoever the token says, within this class: never a name or id sent in."""
    token = bearer(authorization)
    if token is None:
        raise AuthenticationError("Send the token you were given at join: Authorization: Bearer.")
    token_hash = digest(token)
    # Before the database: a flood costs a dictionary lookup, not a query.
    limit(request, "post_limiter", token_hash)
    known: dict[tuple[int, str], int] = request.app.state.known_learners
    learner_id = known.get((classroom.id, token_hash))
    if learner_id is None:
        async with request.app.state.sessionmaker() as db:
            learner_id = await learner_id_by_token(db, classroom.id, token_hash)
        if learner_id is None:  # unknown tokens are not remembered: guessing grows nothing
            raise AuthenticationError("Unknown token for this class: join it again.")
        if len(known) >= MAX_KNOWN:
            known.clear()
        known[(classroom.id, token_hash)] = learner_id
    return learner_id


CurrentLearnerId = Annotated[int, Depends(get_learner_id)]


async def get_instructor_class(
    classroom: ClassDep, authorization: AuthorizationHeader = None
) -> ClassRef:
    key = bearer(authorization)
    if key is None or not matches(key, classroom.key_hash):
        raise AuthenticationError(
            "The instructor's key is missing or wrong: open the link `python -m classroom` printed."
        )
    return classroom


InstructorClass = Annotated[ClassRef, Depends(get_instructor_class)]
