"""Wrong answers to notebook 00 that its check recognises."""

from fastapi.responses import JSONResponse, Response


async def health_returns_string():
    return "ok"


async def health_forgets_return():
    {"status": "ok"}  # noqa: B018 - the mistake on show: the dict is built, never returned


async def health_wrong_value():
    return {"status": "OK"}


async def health_answers_503():
    return JSONResponse({"status": "ok"}, status_code=503)  # "ok", but the status says down


async def health_plain_text():
    return Response('{"status": "ok"}')  # the right text, sent as plain text, not JSON
