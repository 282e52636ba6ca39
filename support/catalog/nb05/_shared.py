"""What notebook 05's checks share: the learner's route function mounted on a real app, on a
fresh database; its parameters, and the answers read."""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from support.exercises import Incorrect, error_summary, where_in_answer


def _depends_of(param: inspect.Parameter) -> Any | None:
    from fastapi import params

    if isinstance(param.default, params.Depends):
        return param.default
    for extra in getattr(param.annotation, "__metadata__", ()):
        if isinstance(extra, params.Depends):
            return extra
    return None


def _session_parameter(fn: Callable[..., Any], name: str) -> tuple[str, Callable[..., Any]]:
    """The parameter that receives the session from a dependency, and that dependency."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        parameters = []
    for param in parameters:
        depends = _depends_of(param)
        if depends is not None and depends.dependency is not None:
            return param.name, depends.dependency
    raise Incorrect(
        f"`{name}` has no session parameter. Declare `db: SessionDep` so that FastAPI opens "
        "one session per request and hands it to the route.",
        code="no-session-parameter",
    )


def _require_parameters(fn: Callable[..., Any], name: str, wanted: Sequence[str], why: str) -> None:
    present = inspect.signature(fn).parameters
    for parameter in wanted:
        if parameter not in present:
            raise Incorrect(
                f"`{name}` needs a parameter named `{parameter}`: {why}", code="missing-parameter"
            )


_UNEXPECTED_KEYWORD = re.compile(r"([\w.]+)\(\) got an unexpected keyword argument '(\w+)'")

_CRUD_NAMES = {"CRUDBase.get": "item_crud.get", "CRUDBase.list": "item_crud.list"}

_CRUD_SIGNATURES = {
    "item_crud.get": "`item_crud.get(db, item_id)`",
    "item_crud.list": "`item_crud.list(db, offset=offset, limit=limit)`",
}


def _raised(fn: Callable[..., Any], exc: BaseException) -> Incorrect:
    found = _UNEXPECTED_KEYWORD.search(str(exc)) if isinstance(exc, TypeError) else None
    if found is None:
        return Incorrect(
            f"`{fn.__name__}` raised {error_summary(exc)}{where_in_answer(fn, exc)}. Fix it, "
            "run your cell again, then this check.",
            code="raised",
        )
    called = _CRUD_NAMES.get(found[1], found[1])
    usage = _CRUD_SIGNATURES.get(called)
    return Incorrect(
        f"`{fn.__name__}` called `{called}` with `{found[2]}=`, a keyword it does not have."
        + (f" Its call is {usage}." if usage else " Use the names its signature declares."),
        code="wrong-keyword",
    )


async def _seed_items(Session, count: int) -> list[int]:
    """`count` items whose ids have gaps, as in any table rows were deleted from: a page is
    the n-th rows in id order, never the rows whose id is n."""
    from app.models import Item, User

    async with Session() as db:
        owner = User(email="owner@example.com", hashed_password="-")  # noqa: S106
        db.add(owner)
        await db.flush()
        ids = [n + n // 3 for n in range(1, count + 1)]  # 1, 2, 4, 5, 6, 8, 9, 10, 12, ...
        db.add_all(
            [Item(id=id_, owner_id=owner.id, title=f"Item {n}") for n, id_ in enumerate(ids, 1)]
        )
        await db.commit()
    return ids


_DEFAULT_IN_ANNOTATED = re.compile(r"default value cannot be set in `Annotated` for '(\w+)'")


class _Served:
    """The learner's route on a real app, reached through its own session dependency.

    FastAPI resolves the dependency the route declares, as in the notebook; only the session it
    yields is pointed at the check's database. Every request is then checked for what a session
    dependency owes a route: an `AsyncSession`, a new one per request, closed afterwards.
    """

    def __init__(self, client: Any, name: str, fn: Callable[..., Any], session_name: str):
        self.client, self.name, self.session_name = client, name, session_name
        self.own = set(inspect.signature(fn).parameters) - {session_name}
        self.sessions: list[Any] = []  # what the route received, request by request

    def get(self, url: str) -> Any:
        from sqlalchemy.ext.asyncio import AsyncSession

        before = len(self.sessions)
        reply = self.client.get(url)
        if len(self.sessions) == before:
            self._route_never_ran(url, reply)
            return reply
        session = self.sessions[-1]
        if not isinstance(session, AsyncSession):
            raise Incorrect(
                f"`{self.name}`'s `{self.session_name}` got {_describe(session)} from its "
                "dependency, not an `AsyncSession`. Declare it `db: SessionDep`.",
                code="not-a-session",
            )
        if any(session is earlier for earlier in self.sessions[:before]):
            raise Incorrect(
                f"Two requests to `{self.name}` got the same session from its dependency, so "
                "they share one transaction: one request's rollback throws away the other's "
                "writes. A session dependency opens a new session for every request and "
                "closes it after: declare `db: SessionDep`, whose `get_db` does.",
                code="same-session",
            )
        # From the second request on: the first one alone cannot tell a session left open from
        # one shared by every request.
        open_ = [s for s in self.sessions if isinstance(s, AsyncSession) and s.in_transaction()]
        if before and open_:
            raise Incorrect(
                f"After `GET {url}` the session `{self.name}` got still held its transaction "
                "and its connection: its dependency never closed it, so every request keeps "
                "one connection out of the pool. Declare `db: SessionDep`, whose `get_db` "
                "opens the session with `async with` and closes it after the request.",
                code="session-left-open",
            )
        return reply

    def _route_never_ran(self, url: str, reply: Any) -> None:
        """FastAPI answered before calling the route: fine for a bad path or query parameter
        of the route's own, not when the session dependency itself failed."""
        body = _json(reply)
        errors = body.get("detail") if isinstance(body, dict) else None
        own = (
            reply.status_code == 422
            and isinstance(errors, list)
            and all(isinstance(e, dict) and e.get("loc", [None])[-1] in self.own for e in errors)
        )
        if not own:
            raise Incorrect(
                f"`GET {url}` answered {reply.status_code} {reply.text[:200]} before `{self.name}` "
                f"ran: FastAPI could not get `{self.session_name}` from its dependency. Declare "
                "`db: SessionDep`, the notebook's alias, whose `get_db` yields one session per "
                "request.",
                code="dependency-failed",
            )


@asynccontextmanager
async def _mounted(
    fn: Callable[..., Any], name: str, path: str, response_model: Any, Session, session_name: str
) -> AsyncIterator[_Served]:
    """The learner's route at `path` on a fresh app, served through its own session dependency
    with the sessions pointed at the check's database."""
    from fastapi import APIRouter, FastAPI, Request
    from fastapi.responses import JSONResponse
    from fastapi.testclient import TestClient
    from sqlalchemy.ext.asyncio import AsyncSession

    from app.core.exceptions import AppError

    async def app_error(_: Request, exc: Exception) -> JSONResponse:
        status = getattr(exc, "status_code", 500)
        return JSONResponse({"detail": str(exc)}, status_code=status)

    engine = Session.kw["bind"]
    served: _Served | None = None

    @functools.wraps(fn)  # FastAPI reads the parameters, and so the dependency, of `fn`
    async def route(*args: Any, **kwargs: Any) -> Any:
        session = kwargs.get(session_name)
        if served is not None:
            served.sessions.append(session)
        if isinstance(session, AsyncSession):  # whatever database the dependency opened, ours
            session.bind = engine
            session.sync_session.bind = engine.sync_engine
        return await fn(*args, **kwargs)

    router = APIRouter()
    try:
        router.get(path, response_model=response_model)(route)
    except Exception as exc:
        default_inside = _DEFAULT_IN_ANNOTATED.search(str(exc))
        if not default_inside:
            raise  # the check's own message names FastAPI's complaint
        parameter = default_inside[1]
        default = {"offset": "0", "limit": "20"}.get(parameter, "<default>")
        raise Incorrect(
            f"FastAPI refused the default of `{parameter}` inside `Query(...)`: within "
            "`Annotated`, `Query` carries only the rules. Put the default after `=`, as for "
            f"any parameter: `{parameter}: Annotated[int, Query(<your bounds>)] = {default}`.",
            code="default-inside-query",
        ) from exc
    app = FastAPI()
    app.include_router(router)
    app.add_exception_handler(AppError, app_error)
    app.state.sessionmaker = Session  # for a dependency that reads it, as the package's get_db
    with TestClient(app, raise_server_exceptions=False) as client:
        served = _Served(client, name, fn, session_name)
        try:
            yield served
        finally:  # a session the dependency left open goes back to the pool, on the app's loop
            for session in served.sessions:
                if isinstance(session, AsyncSession):
                    client.portal.call(session.close)


def _from_a_query(exc: BaseException | None) -> bool:
    """An error a query can end in: the database's, or the 404 for a row it did not find."""
    from sqlalchemy.exc import DBAPIError
    from starlette.exceptions import HTTPException

    return isinstance(exc, (DBAPIError, HTTPException))


def _require_session_used(db: Any, name: str, session_name: str) -> None:
    if not db.in_transaction():  # a session that ran a query has begun its transaction
        raise Incorrect(
            f"`{name}` never used the session it was given in `{session_name}`: it opened "
            "another one (`AsyncSessionLocal()`?), outside the request's transaction and, in "
            "tests, on the wrong database. Query with the session FastAPI hands the route: "
            f"`await item_crud.get({session_name}, ...)`.",
            code="ignores-session",
        )


def _field(entry: Any, name: str) -> Any:
    """A field of what a route returned: an ORM object, a model or a dict all count."""
    return entry.get(name) if isinstance(entry, dict) else getattr(entry, name, None)


def _describe(value: Any) -> str:
    if value is None:
        return "`None`"
    if inspect.iscoroutine(value):
        return "a `coroutine`"
    return f"a `{type(value).__name__}`"


def _json(reply) -> Any:
    try:
        return reply.json()
    except ValueError:
        return None
