"""A class, its learners, every outcome they sent, and one cell per learner and exercise.

`outcomes` is the log (its unique event id makes a resent outcome harmless); `cells` is what the
board reads, kept current by an upsert as each outcome arrives, so the page's query stays as
small as the grid however many checks a day brings.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from classroom.database import Base, UTCDateTime

# A cell's state, ordered so that a later outcome can only raise it: done stays done.
OPENED, TRIED, DONE = 0, 1, 2
STATE_OF_STATUS = {"not attempted": OPENED, "incorrect": TRIED, "correct": DONE}


class Classroom(Base):
    __tablename__ = "classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    # Only a hash: whoever reads the database file still cannot open the instructor's page.
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True))


class Learner(Base):
    __tablename__ = "learners"
    __table_args__ = (UniqueConstraint("class_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    name_key: Mapped[str] = mapped_column(String(40))  # "Ada" and "ada " are one name
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True))


class Outcome(Base):
    __tablename__ = "outcomes"
    __table_args__ = (UniqueConstraint("learner_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(String(32))
    notebook: Mapped[str] = mapped_column(String(2))
    exercise: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True))


class Cell(Base):
    __tablename__ = "cells"

    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), primary_key=True
    )
    exercise_key: Mapped[str] = mapped_column(String(70), primary_key=True)  # "04/update"
    state: Mapped[int] = mapped_column(Integer)
    last_status: Mapped[str] = mapped_column(String(16))
    last_code: Mapped[str] = mapped_column(String(64))  # the latest diagnosis, kept once done
    attempts: Mapped[int] = mapped_column(Integer)
    first_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True))
    last_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(timezone=True))
