"""Wrong answers to notebook 00 that its check recognises."""

from fastapi.responses import JSONResponse, Response

from support.exercises import mistake


@mistake("health", code="returns-string")
async def health_returns_string():
    return "ok"


@mistake("health", code="returns-none")
async def health_forgets_return():
    {"status": "ok"}  # noqa: B018 - the mistake on show: the dict is built, never returned


@mistake("health", code="wrong-body", says="lower case")
async def health_wrong_value():
    return {"status": "OK"}


@mistake("health", code="extra-keys", says="'extra'", why="a key the task did not ask for")
async def health_extra_key():
    return {"status": "ok", "extra": 1}


@mistake("health", code="extra-keys", says="'version', 'database'", why="keys beyond the task")
async def health_reports_more():
    return {"status": "ok", "version": "1.0", "database": "up"}


@mistake("health", code="missing-status", why="the right value under another key")
async def health_wrong_key():
    return {"state": "ok"}


@mistake("health", code="wrong-status", why="a boolean where the string is asked")
async def health_status_true():
    return {"status": True}


@mistake("health", code="not-a-dict", why="a list where a JSON object is asked")
async def health_returns_list():
    return ["status", "ok"]


@mistake("health", code="returns-set", why="a comma instead of a colon makes a set")
async def health_returns_set():
    return {"status", "ok"}


@mistake("health", code="not-200")
async def health_answers_503():
    return JSONResponse({"status": "ok"}, status_code=503)  # "ok", but the status says down


@mistake("health", code="not-json")
async def health_plain_text():
    return Response('{"status": "ok"}')  # the right text, sent as plain text, not JSON
