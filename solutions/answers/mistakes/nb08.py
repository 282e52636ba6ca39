"""Wrong answers to notebook 08 that its checks recognise."""

import inspect

import sqlalchemy as sa
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from answers import nb08 as answers
from app.api.routes import auth, health, items, users
from app.api.routes.auth import LoginThrottle
from app.core.config import get_settings
from app.core.database import Base, make_engine, make_sessionmaker
from app.core.exceptions import register_exception_handlers
from support.exercises import edited, mistake

BATCH = 'op.batch_alter_table("items", table_kwargs={"sqlite_autoincrement": True})'
NAME = 'op.f("ck_items_priority_range")'
RANGE = '"priority BETWEEN 1 AND 5"'


def _upgrade(name: str, *edits: tuple[str, str]):
    return edited(answers.upgrade, *edits, name=name)


# --------------------------------------------------------------------------------------------
# build_app


def _build(name: str, *edits: tuple[str, str], using: dict | None = None):
    return edited(answers.build_app, *edits, name=name, using=using)


ENGINE = "    engine = make_engine(settings.DATABASE_URL)\n"
CREATE_ALL = "                await connection.run_sync(Base.metadata.create_all)\n"
TABLES = """        if settings.CREATE_TABLES:
            async with engine.begin() as connection:  # begin(): the CREATE TABLEs are committed
                await connection.run_sync(Base.metadata.create_all)
"""
THROTTLE = """    application.state.login_throttle = LoginThrottle(
        per_account=settings.LOGIN_FAILURES_PER_ACCOUNT,
        per_client=settings.LOGIN_FAILURES_PER_CLIENT,
        window_seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS,
    )
"""

build_app_async = mistake("build_app", code="is-async", why="an `async def` factory")(
    _build("build_app_async", ("def build_app(", "async def build_app("))
)
build_app_returns_nothing = mistake("build_app", code="not-an-app", why="no `return`")(
    _build("build_app_returns_nothing", ("    return application\n", ""))
)
build_app_creates_tables_at_build = mistake(
    "build_app", code="connects-at-build", why="`create_all` with a sync engine, while building"
)(
    _build(
        "build_app_creates_tables_at_build",
        (TABLES, ""),
        (
            ENGINE,
            ENGINE + "    sync_url = sa.make_url(settings.DATABASE_URL).set(drivername='sqlite')\n"
            "    Base.metadata.create_all(sa.create_engine(sync_url))\n",
        ),
    )
)
build_app_global_settings = mistake(
    "build_app", code="wrong-database", why="the engine from `get_settings()`"
)(
    _build(
        "build_app_global_settings",
        (ENGINE, "    engine = make_engine(get_settings().DATABASE_URL)\n"),
        using={"get_settings": get_settings},
    )
)
build_app_forgets_auth = mistake("build_app", code="router-missing", why="no auth router")(
    _build("build_app_forgets_auth", ("(health, auth, users, items)", "(health, users, items)"))
)
build_app_no_lifespan = mistake(
    "build_app", code="no-tables", why="a lifespan written but not given to `FastAPI()`"
)(_build("build_app_no_lifespan", ("FastAPI(lifespan=lifespan)", "FastAPI()")))
build_app_forgets_settings = mistake(
    "build_app", code="state-missing", why="no `app.state.settings`"
)(_build("build_app_forgets_settings", ("    application.state.settings = settings\n", "")))
build_app_forgets_throttle = mistake("build_app", code="state-missing", why="no login throttle")(
    _build("build_app_forgets_throttle", (THROTTLE, ""))
)
build_app_fixed_throttle = mistake(
    "build_app", code="throttle-not-from-settings", why="the throttle's limits hard-coded"
)(
    _build(
        "build_app_fixed_throttle",
        (
            THROTTLE,
            "    application.state.login_throttle = LoginThrottle(\n"
            "        per_account=5, per_client=20, window_seconds=300\n    )\n",
        ),
    )
)
build_app_plain_sessionmaker = mistake(
    "build_app", code="expire-on-commit", why="`async_sessionmaker(engine)`: expires on commit"
)(
    _build(
        "build_app_plain_sessionmaker",
        ("make_sessionmaker(engine)", "async_sessionmaker(engine)"),
        using={"async_sessionmaker": async_sessionmaker},
    )
)
build_app_plain_engine = mistake(
    "build_app", code="plain-engine", why="`create_async_engine`: SQLite's foreign keys off"
)(
    _build(
        "build_app_plain_engine",
        (ENGINE, "    engine = create_async_engine(settings.DATABASE_URL)\n"),
        using={"create_async_engine": create_async_engine},
    )
)
build_app_no_handlers = mistake(
    "build_app", code="no-error-handlers", why="no `register_exception_handlers`"
)(_build("build_app_no_handlers", ("    register_exception_handlers(application)\n", "")))
build_app_never_disposes = mistake(
    "build_app", code="not-disposed", why="no `engine.dispose()` at shutdown"
)(_build("build_app_never_disposes", ("        await engine.dispose()", "        pass")))
build_app_dispose_not_awaited = mistake(
    "build_app", code="not-disposed", why="`engine.dispose()` without `await`"
)(_build("build_app_dispose_not_awaited", ("await engine.dispose()", "engine.dispose()")))
build_app_always_creates = mistake(
    "build_app", code="ignores-create-tables", why="`create_all` whatever the settings say"
)(_build("build_app_always_creates", ("if settings.CREATE_TABLES:", "if True:")))


build_app_tables_in_connect = mistake(
    "build_app", code="tables-not-committed", why="`engine.connect()`: rolled back on PostgreSQL"
)(
    _build(
        "build_app_tables_in_connect",
        ("engine.begin() as connection", "engine.connect() as connection"),
    )
)
build_app_drops_tables = mistake("build_app", code="drops-tables", why="`drop_all` at shutdown")(
    _build(
        "build_app_drops_tables",
        (
            "        await engine.dispose()",
            "        async with engine.begin() as connection:\n"
            "            await connection.run_sync(Base.metadata.drop_all)\n"
            "        await engine.dispose()",
        ),
    )
)


@mistake("build_app", code="on-event", why="`@app.on_event` instead of a lifespan")
def build_app_on_event(settings):
    engine = make_engine(settings.DATABASE_URL)
    application = FastAPI()

    @application.on_event("startup")
    async def create_tables() -> None:
        if settings.CREATE_TABLES:
            async with engine.begin() as connection:
                await connection.run_sync(Base.metadata.create_all)

    @application.on_event("shutdown")
    async def close_connections() -> None:
        await engine.dispose()

    application.state.settings = settings
    application.state.engine = engine
    application.state.sessionmaker = make_sessionmaker(engine)
    application.state.login_throttle = LoginThrottle(
        per_account=settings.LOGIN_FAILURES_PER_ACCOUNT,
        per_client=settings.LOGIN_FAILURES_PER_CLIENT,
        window_seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS,
    )
    register_exception_handlers(application)
    for module in (health, auth, users, items):
        application.include_router(module.router)
    return application


@mistake("build_app", code="returns-coroutine", why="a `def` returning an `async def`'s call")
def build_app_returns_coroutine(settings):
    async def build():
        return answers.build_app(settings)

    return build()


build_app_global_settings_on_state = mistake(
    "build_app", code="other-settings", why="`app.state.settings = get_settings()`"
)(
    _build(
        "build_app_global_settings_on_state",
        ("application.state.settings = settings", "application.state.settings = get_settings()"),
        using={"get_settings": get_settings},
    )
)
build_app_unbound_sessions = mistake(
    "build_app", code="sessions-not-bound", why="a sessionmaker with no engine"
)(
    _build(
        "build_app_unbound_sessions",
        ("make_sessionmaker(engine)", "async_sessionmaker(expire_on_commit=False)"),
        using={"async_sessionmaker": async_sessionmaker},
    )
)
build_app_one_session = mistake(
    "build_app", code="round-trip-failed", why="one session on `app.state`, not the factory"
)(_build("build_app_one_session", ("make_sessionmaker(engine)", "make_sessionmaker(engine)()")))
build_app_second_engine = mistake(
    "build_app", code="not-disposed", why="the sessions on a second engine, never disposed"
)(
    _build(
        "build_app_second_engine",
        ("make_sessionmaker(engine)", "make_sessionmaker(make_engine(settings.DATABASE_URL))"),
    )
)
build_app_yield_inside_if = mistake(
    "build_app", code="startup-failed", why="`yield` inside `if settings.CREATE_TABLES:`"
)(
    _build(
        "build_app_yield_inside_if",
        (CREATE_ALL + "        yield\n", CREATE_ALL + "            yield\n"),
    )
)


# --------------------------------------------------------------------------------------------
# priority_upgrade


@mistake("priority_upgrade", code="no-server-default")
def upgrade_without_server_default(op) -> None:
    op.add_column("items", sa.Column("priority", sa.Integer(), nullable=False))


@mistake("priority_upgrade", code="no-server-default")
def upgrade_with_python_default(op) -> None:
    # `default=` is applied by SQLAlchemy on inserts; the rows already there get nothing.
    op.add_column("items", sa.Column("priority", sa.Integer(), nullable=False, default=3))


upgrade_batch_without_server_default = mistake(
    "priority_upgrade", code="batch-no-server-default", why="batch mode, no `server_default`"
)(_upgrade("upgrade_batch_without_server_default", (', server_default="3"', "")))
upgrade_batch_with_python_default = mistake(
    "priority_upgrade", code="no-default-for-new-rows", why="batch mode, `default=3`"
)(_upgrade("upgrade_batch_with_python_default", ('server_default="3"', "default=3")))


@mistake("priority_upgrade", code="integer-server-default")
def upgrade_with_integer_server_default(op) -> None:
    op.add_column("items", sa.Column("priority", sa.Integer(), nullable=False, server_default=3))


@mistake("priority_upgrade", code="nullable")
def upgrade_nullable(op) -> None:
    op.add_column("items", sa.Column("priority", sa.Integer(), server_default="3"))
    with op.batch_alter_table("items") as batch:
        batch.create_check_constraint("ck_items_priority_range", "priority BETWEEN 1 AND 5")


@mistake("priority_upgrade", code="no-check")
def upgrade_without_check(op) -> None:
    op.add_column("items", sa.Column("priority", sa.Integer(), nullable=False, server_default="3"))


@mistake("priority_upgrade", code="constraint-outside-batch")
def upgrade_constraint_outside_batch(op) -> None:
    op.add_column("items", sa.Column("priority", sa.Integer(), nullable=False, server_default="3"))
    op.create_check_constraint("ck_items_priority_range", "items", "priority BETWEEN 1 AND 5")


@mistake("priority_upgrade", code="batch-closed")
def upgrade_check_after_batch(op) -> None:
    with op.batch_alter_table("items") as batch:
        batch.add_column(sa.Column("priority", sa.Integer(), nullable=False, server_default="3"))
    batch.create_check_constraint("priority_range", "priority BETWEEN 1 AND 5")


upgrade_full_name_without_f = mistake("priority_upgrade", code="double-prefix")(
    # The naming convention applies to this name too: ck_items_ck_items_priority_range.
    _upgrade("upgrade_full_name_without_f", (NAME, '"ck_items_priority_range"'))
)


@mistake("priority_upgrade", code="unnamed-constraint")
def upgrade_unnamed_check(op) -> None:
    with op.batch_alter_table("items") as batch:
        batch.add_column(
            sa.Column(
                "priority",
                sa.Integer(),
                sa.CheckConstraint("priority BETWEEN 1 AND 5"),
                nullable=False,
                server_default="3",
            )
        )


@mistake("priority_upgrade", code="rebuilt-table-lost-schema")
def upgrade_rebuilds_items_by_hand(op) -> None:
    # What batch mode does, by hand: but the new table has no foreign key and no index.
    op.rename_table("items", "items_old")
    op.create_table(
        "items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
        sa.Column("priority", sa.Integer(), nullable=False, server_default="3"),
        sa.CheckConstraint("priority BETWEEN 1 AND 5", name="priority_range"),
    )
    op.execute(
        "INSERT INTO items (id, owner_id, title, description, created_at, updated_at) "
        "SELECT id, owner_id, title, description, created_at, updated_at FROM items_old"
    )
    op.drop_table("items_old")


@mistake("priority_upgrade", code="rows-lost")
def upgrade_recreates_empty_table(op) -> None:
    op.drop_table("items")  # and every item with it
    op.create_table(
        "items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("owner_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE")),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
        sa.Column("priority", sa.Integer(), nullable=False, server_default="3"),
        sa.CheckConstraint("priority BETWEEN 1 AND 5", name="priority_range"),
    )


upgrade_priority_as_string = mistake("priority_upgrade", code="not-integer")(
    _upgrade("upgrade_priority_as_string", ("sa.Integer()", "sa.String(1)"))
)


upgrade_default_1 = mistake("priority_upgrade", code="existing-not-3")(
    # 1, "the lowest": the task says 3
    _upgrade("upgrade_default_1", ('server_default="3"', 'server_default="1"'))
)


upgrade_drops_the_default = mistake("priority_upgrade", code="no-default-for-new-rows")(
    # "the default was only for the old rows"
    _upgrade(
        "upgrade_drops_the_default",
        (
            RANGE + ")\n",
            RANGE + ")\n"
            '    with op.batch_alter_table("items") as batch:\n'
            '        batch.alter_column("priority", existing_type=sa.Integer(), '
            "server_default=None)\n",
        ),
    )
)


upgrade_check_excludes_ends = mistake("priority_upgrade", code="refuses-valid")(
    _upgrade("upgrade_check_excludes_ends", (RANGE, '"priority > 1 AND priority < 5"'))
)


upgrade_other_constraint_name = mistake("priority_upgrade", code="wrong-constraint-name")(
    _upgrade("upgrade_other_constraint_name", (NAME, '"priority_check"'))
)


upgrade_loses_autoincrement = mistake("priority_upgrade", code="autoincrement-lost")(
    # the copy is made without AUTOINCREMENT
    _upgrade("upgrade_loses_autoincrement", (BATCH, 'op.batch_alter_table("items")'))
)


# --------------------------------------------------------------------------------------------
# priority_downgrade

DROP_CONSTRAINT = '        batch.drop_constraint(op.f("ck_items_priority_range"), type_="check")\n'
DROP_COLUMN = '        batch.drop_column("priority")\n'


def _downgrade(name: str, *edits: tuple[str, str]):
    return edited(answers.downgrade, *edits, name=name)


@mistake("priority_downgrade", code="not-batch")
def downgrade_plain_drop_column(op) -> None:
    op.drop_column("items", "priority")


downgrade_keeps_the_constraint = mistake("priority_downgrade", code="constraint-kept")(
    _downgrade("downgrade_keeps_the_constraint", (DROP_CONSTRAINT, ""))
)


@mistake("priority_downgrade", code="drops-table")
def downgrade_drops_the_table(op) -> None:
    op.drop_table("items")


downgrade_column_first = mistake("priority_downgrade", code="column-dropped-first")(
    _downgrade(
        "downgrade_column_first", (DROP_CONSTRAINT + DROP_COLUMN, DROP_COLUMN + DROP_CONSTRAINT)
    )
)


downgrade_full_name_without_f = mistake("priority_downgrade", code="full-name-without-f")(
    _downgrade("downgrade_full_name_without_f", (NAME, '"ck_items_priority_range"'))
)


downgrade_short_name_without_type = mistake(
    "priority_downgrade", code="constraint-not-found", why="a short name without `type_=`"
)(
    edited(
        answers.downgrade,
        (
            'batch.drop_constraint(op.f("ck_items_priority_range"), type_="check")',
            'batch.drop_constraint("priority_range")',
        ),
        name="downgrade_short_name_without_type",
    )
)
downgrade_misspelled_name = mistake(
    "priority_downgrade", code="constraint-not-found", why="a name the table does not have"
)(
    edited(
        answers.downgrade,
        ('op.f("ck_items_priority_range")', 'op.f("ck_items_priority")'),
        name="downgrade_misspelled_name",
    )
)
downgrade_column_after_batch = mistake("priority_downgrade", code="batch-closed")(
    # after the block: Alembic has already rebuilt the table
    _downgrade("downgrade_column_after_batch", (DROP_COLUMN, '    batch.drop_column("priority")\n'))
)


@mistake("priority_downgrade", code="table-differs")
def downgrade_rebuilds_items_by_hand(op) -> None:
    op.rename_table("items", "items_old")
    op.create_table(  # no foreign key, no index: the table is not what it was
        "items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
    )
    op.execute(
        "INSERT INTO items (id, owner_id, title, description, created_at, updated_at) "
        "SELECT id, owner_id, title, description, created_at, updated_at FROM items_old"
    )
    op.drop_table("items_old")


downgrade_loses_autoincrement = mistake("priority_downgrade", code="autoincrement-lost")(
    # the copy is made without AUTOINCREMENT
    _downgrade("downgrade_loses_autoincrement", (BATCH, 'op.batch_alter_table("items")'))
)


# --------------------------------------------------------------------------------------------
# priority_test

_SOURCE = inspect.getsource(answers.test_priority)
# The answer's lines that check the default, and those that check the accepted edges.
DEFAULT = _SOURCE[_SOURCE.index("    created = ") : _SOURCE.index("    for at_the_edge")]
EDGES = _SOURCE[_SOURCE.index("    for at_the_edge") : _SOURCE.index("    for out_of_range")]


def _test(name: str, *edits: tuple[str, str]):
    return edited(answers.test_priority, *edits, name=name)


@mistake("priority_test", code="never-asserts")
def test_priority_without_asserts(client) -> None:
    client.post("/items/", json={"title": "Water the plants"})
    client.post("/items/", json={"title": "Nap", "priority": 6})


@mistake("priority_test", code="never-asserts")
def test_priority_comparisons_without_assert(client) -> None:
    created = client.post("/items/", json={"title": "Water the plants"})
    created.status_code == 201  # noqa: B015 - the mistake: computed, then thrown away
    created.json()["priority"] == 3  # noqa: B015
    client.post("/items/", json={"title": "Nap", "priority": 6}).status_code == 422  # noqa: B015


@mistake("priority_test", code="inexact-status-400")
def test_priority_not_201(client) -> None:
    assert client.post("/items/", json={"title": "Water the plants"}).json()["priority"] == 3
    assert client.post("/items/", json={"title": "Fix", "priority": 5}).json()["priority"] == 5
    for out_of_range in (0, 6):
        refused = client.post("/items/", json={"title": "Nap", "priority": out_of_range})
        assert refused.status_code != 201


@mistake("priority_test", code="fails-on-correct-service")
def test_priority_missing_title(client) -> None:
    created = client.post("/items/", json={"priority": 5})
    assert created.status_code == 201


@mistake("priority_test", code="misses-no-upper-bound")
def test_priority_happy_path_only(client) -> None:
    created = client.post("/items/", json={"title": "Fix the leak", "priority": 5})
    assert created.status_code == 201
    assert created.json()["priority"] == 5


@mistake("priority_test", code="misses-no-lower-bound")
def test_priority_upper_bound_only(client) -> None:
    assert client.post("/items/", json={"title": "Water the plants"}).json()["priority"] == 3
    assert client.post("/items/", json={"title": "Fix", "priority": 5}).json()["priority"] == 5
    assert client.post("/items/", json={"title": "Nap", "priority": 6}).status_code == 422


@mistake("priority_test", code="fails-on-correct-service")
def test_priority_expects_400(client) -> None:
    assert client.post("/items/", json={"title": "Water the plants"}).status_code == 201
    assert client.post("/items/", json={"title": "Nap", "priority": 6}).status_code == 400


@mistake("priority_test", code="misses-upper-boundary")
def test_priority_far_outside_only(client) -> None:
    assert client.post("/items/", json={"title": "Water the plants"}).json()["priority"] == 3
    for valid in (1, 5):
        created = client.post("/items/", json={"title": "Fix", "priority": valid})
        assert created.json()["priority"] == valid
    for far_out in (-1, 10):  # no boundary values: an off-by-one bound goes unnoticed
        assert client.post("/items/", json={"title": "Nap", "priority": far_out}).status_code == 422


@mistake("priority_test", code="inexact-status-low")
def test_priority_exact_status_at_one_end(client) -> None:
    assert client.post("/items/", json={"title": "Water the plants"}).json()["priority"] == 3
    for valid in (1, 5):
        created = client.post("/items/", json={"title": "Fix", "priority": valid})
        assert created.json()["priority"] == valid
    assert client.post("/items/", json={"title": "Nap", "priority": 6}).status_code == 422
    assert client.post("/items/", json={"title": "Nap", "priority": 0}).status_code != 201


@mistake("priority_test", code="misses-refused-1")
def test_priority_top_of_range_only(client) -> None:
    created = client.post("/items/", json={"title": "Water the plants"})
    assert created.status_code == 201
    assert created.json()["priority"] == 3
    assert client.post("/items/", json={"title": "Fix", "priority": 5}).json()["priority"] == 5
    for out_of_range in (0, 6):
        assert (
            client.post("/items/", json={"title": "Nap", "priority": out_of_range}).status_code
            == 422
        )


@mistake("priority_test", code="passes-always-500")
def test_priority_refusals_only(client) -> None:
    for out_of_range in (0, 6):
        refused = client.post("/items/", json={"title": "Nap", "priority": out_of_range})
        assert refused.status_code != 201  # a service that answers 500 to all passes this


@mistake("priority_test", code="inexact-status-high")
def test_priority_exact_status_at_the_bottom_only(client) -> None:
    assert client.post("/items/", json={"title": "Water the plants"}).json()["priority"] == 3
    for valid in (1, 5):
        created = client.post("/items/", json={"title": "Fix", "priority": valid})
        assert created.json()["priority"] == valid
    assert client.post("/items/", json={"title": "Nap", "priority": 0}).status_code == 422
    assert client.post("/items/", json={"title": "Nap", "priority": 6}).status_code != 201


test_priority_default_and_refusals_only = mistake("priority_test", code="misses-ignored-priority")(
    _test("test_priority_default_and_refusals_only", (EDGES, ""))
)


test_priority_minus_one = mistake("priority_test", code="misses-lower-boundary")(
    # -1, not 0: the bottom boundary is not tested
    _test("test_priority_minus_one", ("(0, 6)", "(-1, 6)"))
)


test_priority_bottom_of_range_only = mistake("priority_test", code="misses-refused-5")(
    _test("test_priority_bottom_of_range_only", ("(1, 5)", "(1,)"))
)


test_priority_always_sends_priority = mistake("priority_test", code="misses-wrong-default")(
    _test("test_priority_always_sends_priority", (DEFAULT, ""))
)
