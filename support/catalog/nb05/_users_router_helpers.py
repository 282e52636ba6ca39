"""The users_router check's set-up: the learner's router mounted on an app, on its own database."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from support.catalog.nb05._shared import _describe
from support.exercises import CheckContext, Incorrect, error_summary, where_in_answer


async def _router_from(ctx: CheckContext, make_users_router) -> Any:
    from fastapi import APIRouter
    from fastapi.exceptions import FastAPIError

    if isinstance(make_users_router, APIRouter):  # a router made at the top of a cell: fine too
        return make_users_router
    ctx.require_function(make_users_router, is_async=False, name="make_users_router")
    outcome = await ctx.attempt(make_users_router)
    if isinstance(outcome.error, FastAPIError) and "response field" in str(outcome.error):
        raise Incorrect(
            "FastAPI refused your route while decorating it: with no `response_model`, it takes "
            "the response's shape from the return annotation, and an ORM class such as `User` "
            "is not one. State the response's shape in the decorator, "
            "`response_model=UserResponse`: it also filters out the hash.",
            code="orm-class-as-response",
        )
    if outcome.raised:
        raise Incorrect(
            f"`make_users_router()` raised {error_summary(outcome.error)}"
            f"{where_in_answer(make_users_router, outcome.error)}. Fix it, run your cell again, "
            "then this check.",
            code="raised",
        )
    if not isinstance(outcome.value, APIRouter):
        raise Incorrect(
            f"`make_users_router()` returned {_describe(outcome.value)}, not an `APIRouter`. "
            "Make the router inside the function, decorate your route on it, and `return "
            "router` at the end.",
            code="not-a-router",
        )
    return outcome.value


class _ServedRouter:
    """The learner's router in an app of its own, its sessions on the check's database; what
    escapes the app is kept, as a server would log it."""

    def __init__(self, client: Any, router: Any, errors: list[BaseException]):
        self.client, self.router, self.errors = client, router, errors

    def post(self, body: dict[str, str]) -> Any:
        self.errors.clear()
        return self.client.post("/users/", json=body)

    def routes(self) -> str:
        from fastapi.routing import APIRoute

        found = [
            f"{' '.join(sorted(r.methods))} {r.path}"
            for r in self.router.routes
            if isinstance(r, APIRoute)
        ]
        return ", ".join(f"`{r}`" for r in found) if found else "no route at all"

    def error(self) -> str:
        return error_summary(self.errors[-1]) if self.errors else "an error"


@contextmanager
def _served_router(router: Any, Session) -> Iterator[_ServedRouter]:
    from fastapi import FastAPI, Request
    from fastapi.responses import JSONResponse
    from fastapi.testclient import TestClient

    from app.core.exceptions import AppError

    async def app_error(_: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=getattr(exc, "status_code", 500))

    app = FastAPI()
    app.include_router(router)
    app.add_exception_handler(AppError, app_error)
    app.state.sessionmaker = Session  # for a dependency that reads it, as the package's get_db
    engine = Session.kw["bind"]
    for call in _dependencies_of(router):  # the learner's own run, on the check's database
        override = _on_our_database(call, engine)
        if override is not None:
            app.dependency_overrides[call] = override
    errors: list[BaseException] = []

    async def server(scope: Any, receive: Any, send: Any) -> None:
        try:
            await app(scope, receive, send)
        except Exception as exc:  # a server logs what escapes the app; we keep it
            errors.append(exc)

    with TestClient(server, raise_server_exceptions=False) as client:
        yield _ServedRouter(client, router, errors)


def _dependencies_of(router: Any) -> list[Callable[..., Any]]:
    from fastapi.routing import APIRoute

    found: list[Callable[..., Any]] = []
    waiting = [r.dependant for r in router.routes if isinstance(r, APIRoute)]
    while waiting:
        dependant = waiting.pop()
        for sub in dependant.dependencies:
            if sub.call is not None and sub.call not in found:
                found.append(sub.call)
            waiting.append(sub)
    return found


def _on_our_database(call: Callable[..., Any], engine: Any) -> Callable[..., Any] | None:
    """The dependency, unchanged but for the session it hands out: pointed at the check's
    database before the route uses it. FastAPI reads the original's parameters (`wraps`)."""
    from sqlalchemy.ext.asyncio import AsyncSession

    def ours(value: Any) -> Any:
        if isinstance(value, AsyncSession):
            value.bind = engine
            value.sync_session.bind = engine.sync_engine
        return value

    if inspect.isasyncgenfunction(call):

        async def from_async_generator(*args: Any, **kwargs: Any) -> Any:
            async with asynccontextmanager(call)(*args, **kwargs) as value:
                yield ours(value)

        wrapper: Callable[..., Any] = from_async_generator
    elif inspect.isgeneratorfunction(call):

        def from_generator(*args: Any, **kwargs: Any) -> Any:
            with contextmanager(call)(*args, **kwargs) as value:
                yield ours(value)

        wrapper = from_generator
    elif inspect.iscoroutinefunction(call):

        async def from_coroutine(*args: Any, **kwargs: Any) -> Any:
            return ours(await call(*args, **kwargs))

        wrapper = from_coroutine
    elif inspect.isfunction(call):

        def from_function(*args: Any, **kwargs: Any) -> Any:
            return ours(call(*args, **kwargs))

        wrapper = from_function
    else:
        return None  # a class or another callable object: left as it is
    return functools.wraps(call)(wrapper)
