"""Reads and writes. Writes flush, never commit: committing is the session dependency's job."""

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row, case, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert

from classroom.course import exercise_key
from classroom.errors import ConflictError
from classroom.models import DONE, STATE_OF_STATUS, Cell, Classroom, Learner, Outcome
from classroom.schemas import OutcomeIn
from classroom.security import digest, new_class_code, new_secret


@functools.cache
def _writes(dialect_name: str) -> tuple[Insert, Insert]:
    """The two statements outcomes need, built once; their values come as parameters.

    INSERT ... ON CONFLICT reads the same in SQLite and PostgreSQL, but each dialect builds
    its own. The log's RETURNING says which outcomes were new (a resent one is not).
    """
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    log = (
        dialect.insert(Outcome)
        .on_conflict_do_nothing(index_elements=["learner_id", "event_id"])
        .returning(Outcome.learner_id, Outcome.event_id)
    )
    cell = dialect.insert(Cell)
    new = cell.excluded
    # In SQL, so outcomes of one learner arriving together cannot lose each other's update,
    # and a later outcome can only raise a cell's state: done stays done.
    cell = cell.on_conflict_do_update(
        index_elements=["learner_id", "exercise_key"],
        set_={
            "state": case((new.state > Cell.state, new.state), else_=Cell.state),
            "last_status": new.last_status,
            "last_code": case(
                (new.last_status == "incorrect", new.last_code), else_=Cell.last_code
            ),
            "attempts": Cell.attempts + 1,
            "last_at": new.last_at,
            "done_at": func.coalesce(Cell.done_at, new.done_at),
        },
    )
    return log, cell


async def get_class(db: AsyncSession, code: str) -> Classroom | None:
    return await db.scalar(select(Classroom).where(Classroom.code == code))


async def latest_class(db: AsyncSession) -> Classroom | None:
    query = select(Classroom).order_by(Classroom.created_at.desc(), Classroom.id.desc()).limit(1)
    return await db.scalar(query)


async def create_class(db: AsyncSession, now: datetime) -> tuple[Classroom, str]:
    key = new_secret()
    classroom = Classroom(code=new_class_code(), key_hash=digest(key), created_at=now)
    db.add(classroom)
    await db.flush()
    return classroom, key


async def new_instructor_key(db: AsyncSession, classroom: Classroom) -> str:
    """A fresh key at every start: only its hash is stored, so the old one cannot be shown."""
    key = new_secret()
    classroom.key_hash = digest(key)
    await db.flush()
    return key


async def create_learner(
    db: AsyncSession, class_id: int, name: str, now: datetime
) -> tuple[Learner, str]:
    name_key = name.casefold()
    taken = select(Learner.id).where(Learner.class_id == class_id, Learner.name_key == name_key)
    if await db.scalar(taken) is not None:
        raise ConflictError(
            "That name is taken in this class: choose another (add an initial, say)."
        )
    token = new_secret()
    learner = Learner(
        class_id=class_id,
        name=name,
        name_key=name_key,
        token_hash=digest(token),
        joined_at=now,
    )
    db.add(learner)
    await db.flush()  # two joins racing for one name: the unique constraint answers 409
    return learner, token


async def learner_id_by_token(db: AsyncSession, class_id: int, token_hash: str) -> int | None:
    query = select(Learner.id).where(Learner.token_hash == token_hash, Learner.class_id == class_id)
    return await db.scalar(query)


@dataclass(frozen=True)
class Posted:
    """One request's outcomes: whose they are (from the token, never the body) and when."""

    learner_id: int
    outcomes: Sequence[OutcomeIn]
    received_at: datetime


async def store_outcomes(db: AsyncSession, posts: Sequence[Posted]) -> list[int]:
    """Log what is new and update the learners' cells; returns, per post, how many were new.

    Three statements whatever the number of posts (`classroom/writer.py` groups a room's
    concurrent posts into one call). Only each post's own learner's rows are touched.
    """
    log, cell = _writes(db.get_bind().dialect.name)
    logged = [
        {
            "learner_id": post.learner_id,
            "event_id": outcome.id,
            "notebook": outcome.notebook,
            "exercise": outcome.exercise,
            "status": outcome.status,
            "code": outcome.code,
            "received_at": post.received_at,
        }
        for post in posts
        for outcome in post.outcomes
    ]
    if not logged:
        return [0 for _ in posts]
    connection = await db.connection()
    new = {tuple(row) for row in await connection.execute(log, logged)}
    counts, cells = [], []
    for post in posts:
        stored = 0
        for outcome in post.outcomes:
            if (post.learner_id, outcome.id) not in new:
                continue  # sent before: the client did not hear our answer and sent it again
            new.discard((post.learner_id, outcome.id))  # the same id twice in one post: once
            stored += 1
            state = STATE_OF_STATUS[outcome.status]
            cells.append(
                {
                    "learner_id": post.learner_id,
                    "exercise_key": exercise_key(outcome.notebook, outcome.exercise),
                    "state": state,
                    "last_status": outcome.status,
                    "last_code": outcome.code if outcome.status == "incorrect" else "",
                    "attempts": 1,
                    "first_at": post.received_at,
                    "last_at": post.received_at,
                    "done_at": post.received_at if state == DONE else None,
                }
            )
        counts.append(stored)
    if cells:
        # Row by row (the driver's executemany), in order: a multi-row upsert that touches one
        # cell twice is an error on PostgreSQL.
        await connection.execute(cell, cells)
    return counts


async def board_rows(db: AsyncSession, class_id: int) -> tuple[Sequence[Row], Sequence[Row]]:
    """Plain rows, not ORM objects: the board is read every second (see classroom/board.py)."""
    learners = await db.execute(
        select(Learner.id, Learner.name, Learner.name_key).where(Learner.class_id == class_id)
    )
    cells = await db.execute(
        select(
            Cell.learner_id,
            Cell.exercise_key,
            Cell.state,
            Cell.last_code,
            Cell.attempts,
            Cell.first_at,
            Cell.last_at,
        )
        .join(Learner, Learner.id == Cell.learner_id)
        .where(Learner.class_id == class_id)
    )
    return learners.all(), cells.all()
