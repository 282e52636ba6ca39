"""Wrong answers to notebook 00 that its check recognises."""

from fastapi.responses import JSONResponse, Response

from support.exercises import mistake


@mistake("health", code="returns-string")
async def health_returns_string():
    return "ok"


@mistake("health", code="returns-none")
async def health_forgets_return():
    {"status": "ok"}  # noqa: B018 - the mistake on show: the dict is built, never returned


@mistake("health", code="wrong-body")
async def health_wrong_value():
    return {"status": "OK"}


@mistake("health", code="not-200")
async def health_answers_503():
    return JSONResponse({"status": "ok"}, status_code=503)  # "ok", but the status says down


@mistake("health", code="not-json")
async def health_plain_text():
    return Response('{"status": "ok"}')  # the right text, sent as plain text, not JSON
