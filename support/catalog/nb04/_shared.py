"""What notebook 04's checks share: an owner for the items they store."""

from __future__ import annotations

from typing import Any


async def _add_owner(db: Any, email: str = "ada@example.com") -> Any:
    from app.models import User

    # The checks only need a row: the hash is never verified here.
    owner = User(email=email, hashed_password="not-a-real-hash")  # noqa: S106
    db.add(owner)
    await db.flush()
    return owner
