"""Other correct answers to notebook 04 · CRUD."""

from sqlalchemy import select

from app.models import Item, User

MAX_LIMIT = 100


async def list_items_with_slice(db, *, offset=0, limit=20):
    offset = max(offset, 0)
    limit = max(0, min(limit, MAX_LIMIT))
    query = select(Item).order_by(Item.id.asc()).slice(offset, offset + limit)
    return list((await db.execute(query)).scalars())


async def get_by_email_with_scalar(db, email):
    # As the package writes it: a stray space is not part of anyone's address.
    return await db.scalar(select(User).where(User.email == email.strip().lower()))
