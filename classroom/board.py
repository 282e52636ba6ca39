"""The instructor's board, from the class's learner and cell rows: pure, so it is easy to test.

Built as plain dicts from plain rows: the page asks every second, and ORM objects and response
models for a room's worth of cells cost more than the query (the shape is `schemas.BoardOut`,
which a test holds this to).
"""

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from classroom.course import EXERCISES, NOTEBOOKS, exercise_key
from classroom.models import DONE, OPENED, TRIED

STATE_NAMES = {OPENED: "opened", TRIED: "tried", DONE: "done"}
TITLES = {exercise_key(nb, ident): title for nb, ident, title in EXERCISES}
MAX_STUCK = 10


class LearnerRow(Protocol):
    id: int
    name: str
    name_key: str


class CellRow(Protocol):
    learner_id: int
    exercise_key: str
    state: int
    last_code: str
    attempts: int
    first_at: datetime
    last_at: datetime


def build_board(
    class_code: str, learners: Sequence[LearnerRow], cells: Sequence[CellRow], now: datetime
) -> dict[str, Any]:
    by_learner: dict[int, list[CellRow]] = {learner.id: [] for learner in learners}
    for cell in cells:
        by_learner.setdefault(cell.learner_id, []).append(cell)
    ordered = sorted(learners, key=lambda learner: (learner.name_key, learner.id))
    return {
        "class_code": class_code,
        "now": now.isoformat(),
        "version": len(learners) + sum(cell.attempts for cell in cells),
        "notebooks": NOTEBOOKS,
        "exercises": _exercises(cells, len(learners)),
        "learners": [_learner(learner, by_learner[learner.id]) for learner in ordered],
        "stuck": _stuck(ordered, by_learner, now),
    }


def _learner(learner: LearnerRow, cells: list[CellRow]) -> dict[str, Any]:
    last_seen = max((cell.last_at for cell in cells), default=None)
    return {
        "name": learner.name,
        # Every stored outcome counts once in one cell: the cells add up to the checks.
        "checks": sum(cell.attempts for cell in cells),
        "last_seen": last_seen.isoformat() if last_seen else None,
        "cells": {
            cell.exercise_key: {
                "state": STATE_NAMES[cell.state],
                "attempts": cell.attempts,
                "code": cell.last_code,
            }
            for cell in cells
        },
    }


def _exercises(cells: Sequence[CellRow], learner_count: int) -> list[dict[str, Any]]:
    done: Counter[str] = Counter()
    tried: Counter[str] = Counter()
    # One vote per learner (their latest diagnosis): someone re-running a check ten times
    # must not outvote the rest of the room.
    codes: dict[str, Counter[str]] = {}
    for cell in cells:
        if cell.state == DONE:
            done[cell.exercise_key] += 1
        elif cell.state == TRIED:
            tried[cell.exercise_key] += 1
        if cell.last_code:
            codes.setdefault(cell.exercise_key, Counter())[cell.last_code] += 1
    rows = []
    for notebook, ident, title in EXERCISES:
        key = exercise_key(notebook, ident)
        common = codes.get(key, Counter()).most_common(1)
        rows.append(
            {
                "key": key,
                "notebook": notebook,
                "id": ident,
                "title": title,
                "done": done[key],
                "tried": tried[key],
                "not_started": learner_count - done[key] - tried[key],
                "common_code": common[0][0] if common else "",
                "common_count": common[0][1] if common else 0,
            }
        )
    return rows


def _stuck(
    learners: Sequence[LearnerRow], by_learner: dict[int, list[CellRow]], now: datetime
) -> list[dict[str, Any]]:
    """Learners whose latest check was on an exercise they have not solved, tried for longest.

    Someone who tried an exercise, left it and solved three more is not stuck: only the
    exercise of their latest check counts.
    """
    stuck = []
    for learner in learners:
        cells = by_learner[learner.id]
        if not cells:
            continue
        current = max(cells, key=lambda cell: cell.last_at)
        if current.state != TRIED:
            continue
        stuck.append(
            {
                "name": learner.name,
                "exercise": current.exercise_key,
                "title": TITLES.get(current.exercise_key, ""),
                "since": current.first_at.isoformat(),
                "seconds": max(0, int((now - current.first_at).total_seconds())),
                "attempts": current.attempts,
                "code": current.last_code,
            }
        )
    stuck.sort(key=lambda row: -row["seconds"])
    return stuck[:MAX_STUCK]
