"""Notebook 00 · Start here: one warm-up exercise that shows how checks work."""

from __future__ import annotations

from answers import nb00 as answers
from answers.alternatives import nb00 as alternatives
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
    from starlette.responses import Response

    ctx.require_function(health, is_async=False, name="health")
    result = await ctx.call(health)
    # What FastAPI will send: a model or a dict become the same JSON; a response, its own body.
    body = _json_or_text(result.body) if isinstance(result, Response) else jsonable_encoder(result)
    if body is None:
        raise Incorrect(
            "`health()` returned `None`, so the response body would be `null`. "
            "Add `return` in front of the dictionary.",
            code="returns-none",
        )
    if isinstance(body, str):
        raise Incorrect(
            f"`health()` returned the string {body!r}. Return a dictionary, "
            '`{"status": "ok"}`: FastAPI turns it into a JSON object.',
            code="returns-string",
        )
    if body != {"status": "ok"}:
        raise Incorrect(
            f"`health()` returned {body!r}; it should be exactly "
            '{"status": "ok"}, in lower case.',
            code="wrong-body",
        )
    # Then for real: mounted on an app and called over HTTP, in-process.
    app = FastAPI()
    app.get("/health")(health)
    with TestClient(app, raise_server_exceptions=False) as client:
        reply = client.get("/health")
    if reply.status_code != 200:
        raise Incorrect(
            f"`GET /health` answered {reply.status_code} {reply.text}; a live service answers "
            "200 OK. Return the dictionary and let FastAPI choose the status.",
            code="not-200",
        )
    if not reply.headers.get("content-type", "").startswith("application/json"):
        raise Incorrect(
            f"`GET /health` answered with the content type {reply.headers.get('content-type')!r}, "
            "so clients and monitors do not read it as JSON. Return the dictionary: FastAPI "
            "sends it as `application/json`.",
            code="not-json",
        )


def _json_or_text(raw: bytes) -> object:
    import json

    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


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
            Mistake(mistakes.health_returns_string, code="returns-string"),
            Mistake(mistakes.health_forgets_return, code="returns-none"),
            Mistake(mistakes.health_wrong_value, code="wrong-body"),
            Mistake(mistakes.health_answers_503, code="not-200"),
            Mistake(mistakes.health_plain_text, code="not-json"),
        ],
        alternatives=[alternatives.health_json_response, alternatives.health_sync],
        kind="function",
        success='FastAPI will answer `GET /health` with `{"status": "ok"}`.',
    ),
]
