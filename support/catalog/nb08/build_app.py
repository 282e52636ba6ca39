"""Notebook 08 · The assembled service, exercise `build_app`: its check and hints."""

from __future__ import annotations

import inspect
import sqlite3
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from typing import Any

from support.exercises import CheckContext, Incorrect, describe, error_summary

HINTS = [
    "Building the app only describes it: the engine is made but connects at its first query. "
    "What must happen when the server starts (the tables) or stops (closing connections) goes "
    "in the lifespan, before and after its `yield`. Everything a request needs later hangs on "
    "`app.state`.",
    "`make_engine(settings.DATABASE_URL)` and `make_sessionmaker(engine)` (notebook 01); in "
    "the lifespan, `async with engine.begin() as connection: await "
    "connection.run_sync(Base.metadata.create_all)` when `settings.CREATE_TABLES`, and `await "
    "engine.dispose()` after the `yield`; `FastAPI(lifespan=lifespan)`; "
    "`register_exception_handlers(app)`; `app.include_router(module.router)` for `health`, "
    "`auth`, `users` and `items`.",
    "The shape:\n"
    "engine = make_engine(...)\n\n"
    "@asynccontextmanager\n"
    "async def lifespan(application: FastAPI):\n"
    "    if ...: create the tables in `engine.begin()`\n"
    "    yield\n"
    "    await engine.dispose()\n\n"
    "application = FastAPI(lifespan=lifespan)\n"
    "application.state.settings = ...        # and .engine, .sessionmaker, .login_throttle\n"
    "register_exception_handlers(...); include the four routers\n"
    "return application",
]

SIGNUP = {"email": "ada@example.com", "password": "correct horse battery"}
# Path and method each router must serve, as the package's routers declare them.
ROUTES = {
    "health": ("GET", "/health"),
    "auth": ("POST", "/auth/token"),
    "users": ("POST", "/users/"),
    "items": ("GET", "/items/"),
}
ERROR_SHAPE = {"code", "detail", "errors"}


def _settings(url: str, *, create_tables: bool, failures: int = 4) -> Any:
    from app.core.config import Settings

    return Settings(
        _env_file=None,
        ENVIRONMENT="development",
        DATABASE_URL=url,
        CREATE_TABLES=create_tables,
        LOGIN_FAILURES_PER_ACCOUNT=failures,
        LOGIN_FAILURES_PER_CLIENT=failures * 5,
        LOGIN_FAILURE_WINDOW_SECONDS=60 * failures,
    )


def _file_of(url: str) -> Path:
    from sqlalchemy import make_url

    return Path(make_url(url).database or "")


def _tables(url: str) -> set[str]:
    """The tables in the SQLite file, read without SQLAlchemy (and without creating the file)."""
    path = _file_of(url)
    if not path.exists():
        return set()
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        found = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in found if not name.startswith("sqlite_")}
    finally:
        connection.close()


def _require_routers(client: Any) -> None:
    """Each router's route answers something other than 404 (none of them may be a 404)."""
    missing = [
        m for m, (method, path) in ROUTES.items() if client.request(method, path).status_code == 404
    ]
    if missing:
        listed = ", ".join(f"`{ROUTES[m][0]} {ROUTES[m][1]}` ({m})" for m in missing)
        include = "; ".join(f"`.include_router({m}.router)`" for m in missing)
        raise Incorrect(
            f"Your app answers 404 to {listed}: include each router on your app, {include} "
            "(each router carries its own prefix: pass none).",
            code="router-missing",
        )


def _the_engine(app: Any) -> Any:
    """The engine the app's sessions use (the sessionmaker's bind), else `app.state.engine`."""
    sessionmaker = getattr(app.state, "sessionmaker", None)
    kw = getattr(sessionmaker, "kw", None)
    engine = kw.get("bind") if isinstance(kw, dict) else None
    return engine if engine is not None else getattr(app.state, "engine", None)


def _body(reply: Any) -> Any:
    try:
        return reply.json()
    except ValueError:
        return None


def _answered(reply: Any) -> str:
    body = _body(reply)
    if isinstance(body, dict):
        return f"{reply.status_code} with the keys {sorted(body)}"
    return f"{reply.status_code}"


class _AsUvicornCalls:
    """The factory called as uvicorn and the tests call it: what it returns is never awaited
    (`ctx.call` awaits an awaitable result). Keeps the factory's code and name, so a failure
    still quotes the learner's own line."""

    def __init__(self, factory: Any) -> None:
        self.factory = factory
        self.__code__ = getattr(factory, "__code__", None)
        self.__name__ = getattr(factory, "__name__", "build_app")

    def __call__(self, settings: Any) -> list[Any]:
        return [self.factory(settings)]


async def _build(ctx: CheckContext, build_app: Any, settings: Any, name: str) -> Any:
    (result,) = await ctx.call(_AsUvicornCalls(build_app), settings)
    return _built(result, name)


def _built(result: Any, name: str) -> Any:
    from fastapi import FastAPI

    if inspect.isawaitable(result):
        if inspect.iscoroutine(result):
            result.close()
        raise Incorrect(
            f"`{name}(settings)` returned a coroutine: define it with plain `def`. uvicorn and "
            "the tests call the factory without `await`; only the lifespan inside is async.",
            code="returns-coroutine",
        )
    if not isinstance(result, FastAPI):
        raise Incorrect(
            f"`{name}(settings)` returned {describe(result)}: end it with `return` and "
            "the `FastAPI` app it built.",
            code="not-an-app",
        )
    return result


@contextmanager
def _commits_to(url: str) -> Iterator[list[Any]]:
    """The commits made on `url` by any engine while the block runs (the engine may be made
    only in the lifespan, so the listener is on the Engine class)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    commits: list[Any] = []

    def seen(connection: Any) -> None:
        if str(connection.engine.url) == url:
            commits.append(connection)

    event.listen(Engine, "commit", seen)
    try:
        yield commits
    finally:
        event.remove(Engine, "commit", seen)


def _before_startup(app: Any, settings: Any, name: str) -> None:
    if getattr(app.router, "on_startup", None) or getattr(app.router, "on_shutdown", None):
        raise Incorrect(
            "Your app runs code through `@app.on_event(...)`: FastAPI deprecated it for the "
            "lifespan, and an app given a lifespan ignores those handlers. Put the startup "
            "code before the `yield` of one `@asynccontextmanager` function, the shutdown code "
            "after it, and pass it as `FastAPI(lifespan=lifespan)`.",
            code="on-event",
        )
    if _file_of(settings.DATABASE_URL).exists():
        raise Incorrect(
            f"`{name}(settings)` opened the database before the app started: the SQLite file "
            "exists already. Building must not connect (an import, a test or a CLI command "
            "builds the app too): create the tables in the lifespan, before its `yield`.",
            code="connects-at-build",
        )
    engine = _the_engine(app)
    if engine is not None and str(engine.url) != settings.DATABASE_URL:
        raise Incorrect(
            "The app's engine points at another database than `settings.DATABASE_URL`: make "
            "it from the settings the factory receives, not `get_settings()` or a URL of your "
            "own, so that each test and each notebook gets its own database.",
            code="wrong-database",
        )


def _after_startup(app: Any, settings: Any, name: str) -> Any:
    """The app's state once the lifespan has run; the engine it uses."""
    from sqlalchemy.ext.asyncio import AsyncEngine

    if not {"users", "items"} <= _tables(settings.DATABASE_URL):
        raise Incorrect(
            "After startup, with `CREATE_TABLES=True`, the database has no tables. In the "
            "lifespan, before `yield`: `async with engine.begin() as connection: await "
            "connection.run_sync(Base.metadata.create_all)` (`begin()` commits; `connect()` "
            "would roll them back on PostgreSQL). And give the app its lifespan: "
            "`FastAPI(lifespan=lifespan)`.",
            code="no-tables",
        )
    missing = [
        attr
        for attr in ("settings", "sessionmaker", "login_throttle")
        if getattr(app.state, attr, None) is None
    ]
    if missing:
        readers = {
            "settings": "`get_current_user` reads the secret key from it",
            "sessionmaker": "`get_db` opens each request's session with it",
            "login_throttle": "the login route counts failed attempts in it",
        }
        said = "; ".join(f"`app.state.{a}`: {readers[a]}" for a in missing)
        raise Incorrect(
            f"The app has no {', '.join(f'`app.state.{a}`' for a in missing)}, and every "
            f"request that needs it would be a 500. {said}.",
            code="state-missing",
        )
    if app.state.settings is not settings:
        raise Incorrect(
            "`app.state.settings` is not the settings the factory received: store those, "
            "`app.state.settings = settings`, or a test's secret key and database are "
            "not the ones its requests use.",
            code="other-settings",
        )
    sessionmaker = app.state.sessionmaker
    kw = getattr(sessionmaker, "kw", None)
    if isinstance(kw, dict) and kw.get("expire_on_commit", True):
        raise Incorrect(
            "`app.state.sessionmaker` expires every object at commit: the route's response, "
            "read after `get_db` commits, would need a lazy load, which async SQLAlchemy "
            "refuses. Use `make_sessionmaker(engine)` (notebook 01), which sets "
            "`expire_on_commit=False`.",
            code="expire-on-commit",
        )
    bind = kw.get("bind") if isinstance(kw, dict) else None
    if isinstance(kw, dict) and (
        not isinstance(bind, AsyncEngine) or str(bind.url) != settings.DATABASE_URL
    ):
        raise Incorrect(
            "The sessions are not bound to an async engine on `settings.DATABASE_URL`: "
            "`make_sessionmaker(engine)`, with the engine made from the settings.",
            code="sessions-not-bound",
        )
    throttle = app.state.login_throttle
    wanted = {
        "account": settings.LOGIN_FAILURES_PER_ACCOUNT,
        "client": settings.LOGIN_FAILURES_PER_CLIENT,
    }
    if getattr(throttle, "limits", None) != wanted or getattr(throttle, "window", None) != (
        settings.LOGIN_FAILURE_WINDOW_SECONDS
    ):
        raise Incorrect(
            "The login throttle does not use the settings' limits: give `LoginThrottle` "
            "`per_account=settings.LOGIN_FAILURES_PER_ACCOUNT`, "
            "`per_client=settings.LOGIN_FAILURES_PER_CLIENT` and "
            "`window_seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS`, so a deployment can "
            "change them without a code change.",
            code="throttle-not-from-settings",
        )
    engine = _the_engine(app)
    return engine if isinstance(engine, AsyncEngine) else None


async def _foreign_keys_on(engine: Any) -> bool:
    from sqlalchemy import text

    async with engine.connect() as connection:
        return bool(await connection.scalar(text("PRAGMA foreign_keys")))


def _round_trip_failed(app: Any, what: str, reply: Any, expected: str) -> Incorrect:
    from sqlalchemy.ext.asyncio import async_sessionmaker

    sessionmaker = getattr(app.state, "sessionmaker", None)
    if not isinstance(sessionmaker, async_sessionmaker):
        why = (
            f"`app.state.sessionmaker` is {describe(sessionmaker)}, and `get_db` calls it once "
            "per request for a new session: store the factory, `make_sessionmaker(engine)`, "
            "not a session made from it."
        )
    else:
        why = "Compare yours with the package's `create_app`: what does yours leave out?"
    return Incorrect(
        f"`{what}` on your app answered {_answered(reply)}, not {expected}. {why}",
        code="round-trip-failed",
    )


def _round_trip(app: Any, client: Any) -> None:
    """Sign up, log in, read /users/me; then a request without a token, in the one shape."""
    created = client.post("/users/", json=SIGNUP)
    if created.status_code != 201:
        raise _round_trip_failed(app, "POST /users/", created, "201")
    form = {"username": SIGNUP["email"], "password": SIGNUP["password"]}
    login = client.post("/auth/token", data=form)
    token = (_body(login) or {}).get("access_token") if login.status_code == 200 else None
    if not isinstance(token, str):
        raise _round_trip_failed(app, "POST /auth/token", login, "200 with a token")
    me = client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
    if me.status_code != 200:
        raise _round_trip_failed(app, "GET /users/me", me, "200")
    anonymous = client.get("/users/me")
    body = _body(anonymous)
    if anonymous.status_code != 401 or not (isinstance(body, dict) and set(body) == ERROR_SHAPE):
        raise Incorrect(
            f"`GET /users/me` without a token answered {_answered(anonymous)}: it should be "
            "401 in the one error shape, `code`, `detail` and `errors`. Register the package's "
            "handlers on your app: `register_exception_handlers(...)` (notebook 07).",
            code="no-error-handlers",
        )


def _started(stack: ExitStack, app: Any, settings: Any) -> Any:
    """A TestClient inside `with`, so the lifespan has run; its failure said, not raised."""
    from fastapi.testclient import TestClient

    try:
        return stack.enter_context(TestClient(app, raise_server_exceptions=False))
    except Exception as exc:
        tables = "True" if settings.CREATE_TABLES else "False"
        advice = (
            " A lifespan must reach its `yield` whatever the settings say: the `yield` goes "
            "after the `if`, not inside it."
            if "didn't yield" in str(exc)
            else ""
        )
        raise Incorrect(
            f"Your app failed to start with `CREATE_TABLES={tables}`: its lifespan raised "
            f"{error_summary(exc)}.{advice}",
            code="startup-failed",
        ) from exc


async def check(ctx: CheckContext, build_app: Any) -> None:
    from sqlalchemy import event

    from support.notebook import fresh_database_url

    name = "build_app"
    if inspect.iscoroutinefunction(build_app):
        raise Incorrect(
            f"`{name}` is an `async def`: uvicorn and the tests call the factory without "
            "`await`, and would get a coroutine instead of an app. Define it with plain `def`; "
            "only the lifespan inside is `async`.",
            code="is-async",
        )
    ctx.require_function(build_app, is_async=False, name=name)
    engines: list[Any] = []
    try:
        settings = _settings(fresh_database_url("check-app"), create_tables=True)
        app = await _build(ctx, build_app, settings, name)
        engines.append(_the_engine(app))
        _before_startup(app, settings, name)
        disposed: list[Any] = []
        with ExitStack() as stack:
            with _commits_to(settings.DATABASE_URL) as commits:
                client = _started(stack, app, settings)
            _require_routers(client)
            engine = _after_startup(app, settings, name)
            if not commits:
                raise Incorrect(
                    "The tables are there, but nothing was committed at startup: you created "
                    "them inside `engine.connect()`, which rolls back when the block ends. "
                    "SQLite keeps the tables anyway (it commits a CREATE TABLE by itself); "
                    "PostgreSQL rolls them back and the service starts with none. Use "
                    "`async with engine.begin() as connection:`, which commits.",
                    code="tables-not-committed",
                )
            if engine is None:  # no engine to look at: the round trip says what fails
                _round_trip(app, client)
            engines.append(engine)
            event.listen(engine.sync_engine, "engine_disposed", disposed.append)
            if not await _foreign_keys_on(engine):
                raise Incorrect(
                    "Your engine leaves SQLite's foreign keys off, so deleting a user would "
                    "leave their items behind: make it with `make_engine` (notebook 02), which "
                    "switches them on, not `create_async_engine`.",
                    code="plain-engine",
                )
            _round_trip(app, client)
        if not {"users", "items"} <= _tables(settings.DATABASE_URL):
            raise Incorrect(
                "After shutdown the tables are gone: your lifespan drops them. A server stops "
                "at every deploy and restart, and each time every user and item would be "
                "lost. Shutdown only closes connections, `await engine.dispose()`; a test that "
                "wants an empty database starts from a new one.",
                code="drops-tables",
            )
        if not disposed:
            raise Incorrect(
                "After shutdown the engine still holds its connections: end the lifespan with "
                "`await engine.dispose()` after the `yield`. Without it every app a test "
                "suite builds leaves open connections (and, on SQLite, threads) behind.",
                code="not-disposed",
            )

        quiet = _settings(fresh_database_url("check-app"), create_tables=False)
        second = await _build(ctx, build_app, quiet, name)
        engines.append(_the_engine(second))
        with ExitStack() as stack:
            _started(stack, second, quiet).get("/health")
        if _tables(quiet.DATABASE_URL):
            raise Incorrect(
                "With `CREATE_TABLES=False` your app still created the tables: run "
                "`create_all` only `if settings.CREATE_TABLES:`. In production the schema "
                "comes from Alembic's migrations (step 4), and `create_all` would make tables "
                "that no revision knows about.",
                code="ignores-create-tables",
            )
    finally:
        for engine in {id(e): e for e in engines if e is not None}.values():
            dispose = getattr(engine, "dispose", None)
            if dispose is not None:
                with suppress(Exception):  # clean-up only: never raise into the learner
                    await ctx.attempt(dispose)
