"""Notebook 08 · The assembled service, exercise `priority_test`: its check and hints."""

import inspect
from collections.abc import Callable
from typing import Any, NamedTuple

from support.exercises import CheckContext, Incorrect, error_summary, where_in_answer

HINTS = [
    "A test catches only the bugs it looks for. List what the service promises (what "
    "happens without a priority, with a valid one, at each end of the range) and give "
    "each promise one request and an `assert`.",
    '`response = client.post("/items/", json={...})` sends a request; '
    "`response.status_code` is its status and `response.json()` its body as a dict. "
    "A line `assert <condition>` fails the test when the condition is false (a bare "
    "comparison does nothing). A created item answers 201 with its `priority`; a "
    "refused one, 422.",
    'The shape: post `{"title": ...}` with no priority and assert 201 and a priority '
    "of 3; for each of 1 and 5 (`for value in (1, 5):`), post it and assert 201 and "
    "that very priority back; for each of 0 and 6, post it and assert the status is "
    "422.",
]


def _priority_service(
    *,
    low: int | None = 1,
    high: int | None = 5,
    default: int = 3,
    keeps_priority: bool = True,
    always_fails: bool = False,
    refuses_with: tuple[int, int] = (422, 422),
):
    """A small in-memory items service with a `priority` field, right or broken on purpose.
    ``refuses_with`` is the status for a priority below the range, and for one above it."""
    from fastapi import FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from pydantic import BaseModel, ConfigDict, Field

    class PriorityItemCreate(BaseModel):
        model_config = ConfigDict(extra="forbid")
        title: str = Field(min_length=1, max_length=200)
        priority: int = Field(default, ge=low, le=high)

    service = FastAPI()
    stored: list[dict[str, Any]] = []

    if refuses_with != (422, 422):

        @service.exception_handler(RequestValidationError)
        async def refuse(request: Request, exc: RequestValidationError) -> JSONResponse:
            sent = [e.get("input") for e in exc.errors() if e["loc"][-1] == "priority"]
            below = bool(sent) and isinstance(sent[0], int) and sent[0] < 1
            above = bool(sent) and isinstance(sent[0], int) and sent[0] > 5
            status = refuses_with[0] if below else refuses_with[1] if above else 422
            return JSONResponse({"detail": "Refused."}, status_code=status)

    @service.post("/items/", status_code=201)
    async def create_item(item_in: PriorityItemCreate) -> Any:
        if always_fails:
            return JSONResponse({"detail": "Internal server error."}, status_code=500)
        priority = item_in.priority if keeps_priority else default
        item = {"id": len(stored) + 1, "title": item_in.title, "priority": priority}
        stored.append(item)
        return item

    return service


class _Broken(NamedTuple):
    """A service broken on purpose, what a test that passes against it misses, and its code."""

    service: dict[str, Any]
    message: str
    code: str


_EXACT = (
    "a test that only checks that a request was not accepted (`!= 201`, `>= 400`) cannot tell "
    "the two apart. Assert the exact status the service promises for every priority outside "
    "1 to 5: 422."
)


# In the order they are tried: the first one a test passes against is the one reported.
BROKEN_SERVICES: list[_Broken] = [
    _Broken(
        service={"always_fails": True},
        message="Your test passed against a service that answers every request with 500: it "
        "never looks at the responses, so it cannot fail. Add `assert` statements on the "
        "status code and on the returned priority.",
        code="passes-always-500",
    ),
    _Broken(
        service={"high": None},
        message="Your test passed against a service that accepts priority 6: a test that cannot "
        "catch that bug proves nothing about it. Post a priority of 6 and assert the status "
        "is 422.",
        code="misses-no-upper-bound",
    ),
    _Broken(
        service={"low": None},
        message="Your test passed against a service that accepts priority 0. Test both ends of "
        "the range: post a priority of 0 too, and assert the status is 422.",
        code="misses-no-lower-bound",
    ),
    _Broken(
        service={"high": 6},
        message="Your test passed against a service that accepts priority 6 and refuses only "
        "from 7 on (an off-by-one bound, `le=6`). Test the values right at the boundary, "
        "where off-by-one bugs live: post a priority of 6 and assert 422.",
        code="misses-upper-boundary",
    ),
    _Broken(
        service={"low": 0},
        message="Your test passed against a service that accepts priority 0 and refuses only "
        "from -1 down (an off-by-one bound, `ge=0`). Test the values right at the boundary, "
        "where off-by-one bugs live: post a priority of 0 and assert 422.",
        code="misses-lower-boundary",
    ),
    _Broken(
        service={"refuses_with": (400, 400)},
        message="Your test passed against a service that refuses priorities 0 and 6 with 400, "
        f"not 422: {_EXACT}",
        code="inexact-status-400",
    ),
    _Broken(
        service={"refuses_with": (400, 422)},
        message="Your test passed against a service that refuses priority 0 with 400 (and 6 "
        f"with 422): {_EXACT}",
        code="inexact-status-low",
    ),
    _Broken(
        service={"refuses_with": (422, 400)},
        message="Your test passed against a service that refuses priority 6 with 400 (and 0 "
        f"with 422): {_EXACT}",
        code="inexact-status-high",
    ),
    _Broken(
        service={"keeps_priority": False},
        message="Your test passed against a service that ignores the priority the client sends "
        "and always stores 3. Post a priority of 5 and assert the response's `priority` is 5.",
        code="misses-ignored-priority",
    ),
    _Broken(
        service={"high": 4},
        message="Your test passed against a service that refuses priority 5, the top of the "
        "range. Post a priority of 5 and assert it is created (201) with priority 5.",
        code="misses-refused-5",
    ),
    _Broken(
        service={"low": 2},
        message="Your test passed against a service that refuses priority 1, the bottom of the "
        "range. Post a priority of 1 and assert it is created (201) with priority 1.",
        code="misses-refused-1",
    ),
    _Broken(
        service={"default": 1},
        message="Your test passed against a service that gives new items priority 1 by "
        "default. Post an item without a priority and assert the response's `priority` is 3.",
        code="misses-wrong-default",
    ),
]


def _run_test(
    test: Callable[[Any], Any], exchanges: list[str] | None = None, **broken: Any
) -> Exception | None:
    """Run the learner's test on a fresh service; the exception it raised, if it failed.
    Each request and its answer are described in ``exchanges``."""
    from fastapi.testclient import TestClient

    def record(reply: Any) -> None:
        reply.read()
        if exchanges is not None:
            exchanges.append(_describe_exchange(reply))

    with TestClient(_priority_service(**broken), raise_server_exceptions=False) as client:
        client.event_hooks = {"request": [], "response": [record]}
        try:
            test(client)
        except Exception as exc:
            return exc
    return None


def _describe_exchange(reply: Any) -> str:
    """`POST /items/ {"priority": 5} answered 422 (body.title: Field required)`"""
    sent = reply.request.content.decode(errors="replace") if reply.request.content else ""
    said = ""
    try:
        detail = reply.json().get("detail")
    except ValueError:
        detail = None
    if isinstance(detail, list) and detail and isinstance(detail[0], dict):
        where = ".".join(str(part) for part in detail[0].get("loc", ()))
        said = f" ({where}: {detail[0].get('msg', '')})"
    request = f"{reply.request.method} {reply.request.url.path}"
    return f"`{request} {sent}`".replace(" `", "`") + f" answered {reply.status_code}{said}"


async def check(ctx: CheckContext, test: Any) -> None:
    if inspect.iscoroutinefunction(test):
        raise Incorrect(
            "Define `test_priority` with plain `def`: `TestClient` is synchronous, and a test "
            "written with `async def` would never run its body.",
            code="async-def",
        )
    ctx.require_function(test, is_async=False, name="test_priority")
    exchanges: list[str] = []
    failed = _run_test(test, exchanges)
    if failed is not None:
        last = f" The last request, {exchanges[-1]}." if exchanges else ""
        raise Incorrect(
            f"Your test failed against the correct service with {error_summary(failed)}"
            f"{where_in_answer(test, failed)}, and a test must pass when the code is right."
            f"{last} The correct service answers 201 with priority 3 by default, the "
            "priority sent from 1 to 5, and 422 outside that range (or without a title).",
            code="fails-on-correct-service",
        )
    outcomes = [(_run_test(test, **broken.service), broken) for broken in BROKEN_SERVICES]
    never_fails_by_assert = not any(isinstance(failed, AssertionError) for failed, _ in outcomes)
    if never_fails_by_assert and any(failed is None for failed, _ in outcomes):
        raise Incorrect(
            "Your test never asserts: it passes against a broken service because nothing in it "
            "can fail. A comparison on a line of its own, like `r.status_code == 422`, is "
            "computed and thrown away: write `assert r.status_code == 422`.",
            code="never-asserts",
        )
    for failed, broken in outcomes:
        if failed is None:
            raise Incorrect(broken.message, code=broken.code)
