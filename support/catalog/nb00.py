"""Notebook 00 · Start here: one warm-up exercise that shows how checks work."""

from __future__ import annotations

from answers import nb00 as answers
from answers.mistakes import nb00 as mistakes
from support.catalog import Lesson
from support.exercises import CheckContext, Exercise, Incorrect, Mistake

LESSON = Lesson(
    number="00",
    title="Start here",
    filename="00_start_here.ipynb",
    teaching_minutes=10,
    exercise_minutes=5,
    objectives=(
        "Use an exercise's check, hints and solution.",
        "Run the doctor and read its table.",
        "Follow one request through the layers of the finished package.",
    ),
    package_files=("app/api/routes/health.py",),
)


async def check_health(ctx: CheckContext, health) -> None:
    from fastapi import FastAPI
    from fastapi.encoders import jsonable_encoder
    from fastapi.testclient import TestClient

    ctx.require_function(health, is_async=False, name="health")
    # What FastAPI will send: a model or a dict both become the same JSON.
    body = jsonable_encoder(await ctx.call(health))
    if body is None:
        raise Incorrect(
            "`health()` returned `None`, so the response body would be `null`. "
            "Add `return` in front of the dictionary."
        )
    if isinstance(body, str):
        raise Incorrect(
            f"`health()` returned the string {body!r}. Return a dictionary, "
            '`{"status": "ok"}`: FastAPI turns it into a JSON object.'
        )
    if body != {"status": "ok"}:
        raise Incorrect(
            f'`health()` returned {body!r}; it should be exactly {{"status": "ok"}}, in lower case.'
        )
    # Then for real: mounted on an app and called over HTTP, in-process.
    app = FastAPI()
    app.get("/health")(health)
    with TestClient(app) as client:
        reply = client.get("/health")
    if reply.status_code != 200 or reply.json() != {"status": "ok"}:
        raise Incorrect(f"`GET /health` answered {reply.status_code} {reply.text}; expected 200.")


EXERCISES = [
    Exercise(
        id="health",
        title="A health endpoint",
        check=check_health,
        answer=answers.health,
        hints=[
            "A route function returns plain Python data; FastAPI turns a `dict` into JSON.",
            'The whole body is one line: `return {"status": "ok"}`.',
        ],
        mistakes=[
            Mistake(mistakes.health_returns_string, says="Return a dictionary"),
            Mistake(mistakes.health_forgets_return, says="Add `return`"),
            Mistake(mistakes.health_wrong_value, says="lower case"),
        ],
        kind="function",
        success='FastAPI will answer `GET /health` with `{"status": "ok"}`.',
    ),
]
