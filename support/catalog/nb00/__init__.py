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
    teaching_minutes=12,
    exercise_minutes=5,
    objectives=(
        "Use an exercise's `check()`, `hint()` and `solution()`.",
        "See your progress with `python -m support progress`.",
        "Run the doctor and read its table.",
        "Follow one request through the layers of the finished package in `solutions/app/`.",
    ),
    package_files=("app/api/routes/health.py",),
    key_points=(
        "Run the setup cell first; running it again, then the cells below, starts you over on a "
        "fresh database.",
        "`ex.<name>.check(answer)` says *not attempted*, *incorrect* (and what to fix), or "
        "*correct*; `hint()`, `hint(2)`, `hint(3)` and `solution()` are there when you need them.",
        "`python -m support progress` shows, per notebook, what you have done, tried and not "
        "started.",
        "`make doctor` tells you whether your machine is ready, and how to fix it if not.",
        "A request flows route → dependencies → service → CRUD → model → database, and back out "
        "through a schema.",
    ),
    builds_on="nothing: start here",
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
            "A route function returns plain Python data, and FastAPI turns it into the JSON "
            "body of the response: you do not build the JSON yourself.",
            "Return a `dict`: FastAPI sends a dictionary as a JSON object, with `200 OK`. Not a "
            "string, and no `json.dumps(...)`.",
            'The body is a single `return` of a dictionary with one key, `"status"`, whose '
            "value is the lower-case string the task names.",
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
