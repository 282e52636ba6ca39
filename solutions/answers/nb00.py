"""Answers to notebook 00 · Start here."""


async def health() -> dict[str, str]:
    return {"status": "ok"}
