"""Notebook 00 · Start here, exercise `health`: its check and hints."""

from __future__ import annotations

from support.exercises import CheckContext, Incorrect

HINTS = [
    "A route function returns plain Python data, and FastAPI turns it into the JSON "
    "body of the response: you do not build the JSON yourself.",
    "Return a `dict`: FastAPI sends a dictionary as a JSON object, with `200 OK`. Not a "
    "string, and no `json.dumps(...)`.",
    'The body is a single `return` of a dictionary with one key, `"status"`, whose '
    "value is the lower-case string the task names.",
]


async def check(ctx: CheckContext, health) -> None:
    from fastapi import FastAPI
    from fastapi.encoders import jsonable_encoder
    from fastapi.testclient import TestClient
    from starlette.responses import Response

    ctx.require_function(health, is_async=False, name="health")
    result = await ctx.call(health)
    if isinstance(result, set):  # before encoding, which would make it a list
        raise Incorrect(
            "`health()` returned a set, not a dictionary: a comma between two strings makes a "
            'set. A dictionary pairs a key with its value by a colon: `"status": "ok"`.',
            code="returns-set",
        )
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
        raise _what_differs(body)
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


def _what_differs(body: object) -> Incorrect:
    """Name the one thing that differs from exactly {"status": "ok"}."""
    if not isinstance(body, dict):
        return Incorrect(
            f"`health()` returned {body!r}, which is not a dictionary. Return "
            '`{"status": "ok"}`: FastAPI turns a dictionary into a JSON object.',
            code="not-a-dict",
        )
    if "status" not in body:
        return Incorrect(
            f'`health()` returned {body!r}, which has no `"status"` key. '
            'A health answer is exactly `{"status": "ok"}`.',
            code="missing-status",
        )
    extra = [repr(key) for key in body if key != "status"]
    if extra:
        return Incorrect(
            f'`health()` returned {body!r}: besides `"status"` it has the extra '
            f"key{'s' * (len(extra) > 1)} {', '.join(extra)}. A health answer is exactly "
            '`{"status": "ok"}`: remove ' + ("them." if len(extra) > 1 else "it."),
            code="extra-keys",
        )
    value = body["status"]
    if isinstance(value, str) and value.strip().lower() == "ok":
        return Incorrect(
            f'`health()` returned {body!r}; the value of `"status"` should be exactly "ok", '
            "in lower case and with no spaces.",
            code="wrong-body",
        )
    return Incorrect(
        f'`health()` returned {body!r}; the value of `"status"` should be the string "ok", '
        f"not {value!r}.",
        code="wrong-status",
    )


def _json_or_text(raw: bytes) -> object:
    import json

    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")
