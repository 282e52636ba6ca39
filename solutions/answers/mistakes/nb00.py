"""Wrong answers to notebook 00 that its check recognises."""


async def health_returns_string():
    return "ok"


async def health_forgets_return():
    {"status": "ok"}  # noqa: B018 - the mistake on show: the dict is built, never returned


async def health_wrong_value():
    return {"status": "OK"}
