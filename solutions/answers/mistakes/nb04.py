"""Wrong answers to notebook 04 that its checks recognise."""

from sqlalchemy import func, select

from app.models import Item, User

MAX_LIMIT = 100

# --- update ------------------------------------------------------------------------------


async def update_sets_every_field(db, db_obj, obj_in):
    for field, value in obj_in.model_dump().items():  # unset fields come out as None
        setattr(db_obj, field, value)
    await db.flush()
    return db_obj


async def update_skips_none(db, db_obj, obj_in):
    for field, value in obj_in.model_dump(exclude_none=True).items():
        setattr(db_obj, field, value)
    await db.flush()
    return db_obj


async def update_without_flush(db, db_obj, obj_in):
    for field, value in obj_in.model_dump(exclude_unset=True).items():
        setattr(db_obj, field, value)
    return db_obj


async def update_forgets_return(db, db_obj, obj_in):
    for field, value in obj_in.model_dump(exclude_unset=True).items():
        setattr(db_obj, field, value)
    await db.flush()


async def update_commits(db, db_obj, obj_in):
    for field, value in obj_in.model_dump(exclude_unset=True).items():
        setattr(db_obj, field, value)
    await db.commit()
    return db_obj


# --- list_items --------------------------------------------------------------------------


async def list_items_unordered(db, *, offset=0, limit=20):
    limit = max(0, min(limit, MAX_LIMIT))
    query = select(Item).offset(max(offset, 0)).limit(limit)
    return list((await db.scalars(query)).all())


async def list_items_swapped(db, *, offset=0, limit=20):
    limit = max(0, min(limit, MAX_LIMIT))
    query = select(Item).order_by(Item.id).offset(limit).limit(max(offset, 0))
    return list((await db.scalars(query)).all())


async def list_items_offset_as_page(db, *, offset=0, limit=20):
    limit = max(0, min(limit, MAX_LIMIT))
    query = select(Item).order_by(Item.id).offset(offset * limit).limit(limit)
    return list((await db.scalars(query)).all())


async def list_items_uncapped(db, *, offset=0, limit=20):
    query = select(Item).order_by(Item.id).offset(offset).limit(limit)
    return list((await db.scalars(query)).all())


async def list_items_capped_above_only(db, *, offset=0, limit=20):
    query = select(Item).order_by(Item.id).offset(max(offset, 0)).limit(min(limit, MAX_LIMIT))
    return list((await db.scalars(query)).all())


async def list_items_sliced_in_python(db, *, offset=0, limit=20):
    offset = max(offset, 0)
    limit = max(0, min(limit, MAX_LIMIT))
    items = (await db.scalars(select(Item).order_by(Item.id))).all()
    return list(items[offset : offset + limit])


async def list_items_offset_unclamped(db, *, offset=0, limit=20):
    limit = max(0, min(limit, MAX_LIMIT))  # SQLite reads OFFSET -5 as 0; PostgreSQL refuses it
    query = select(Item).order_by(Item.id).offset(offset).limit(limit)
    return list((await db.scalars(query)).all())


async def list_items_ordered_by_created_at(db, *, offset=0, limit=20):
    offset = max(offset, 0)
    limit = max(0, min(limit, MAX_LIMIT))
    query = select(Item).order_by(Item.created_at).offset(offset).limit(limit)
    return list((await db.scalars(query)).all())


async def list_items_ordered_by_owner(db, *, offset=0, limit=20):
    offset = max(offset, 0)
    limit = max(0, min(limit, MAX_LIMIT))
    query = select(Item).order_by(Item.owner_id).offset(offset).limit(limit)
    return list((await db.scalars(query)).all())


# --- get_by_email ------------------------------------------------------------------------


async def get_by_email_exact(db, email):
    result = await db.execute(select(User).where(User.email == email))
    return result.scalar_one_or_none()


async def get_by_email_lowers_column_only(db, email):
    result = await db.execute(select(User).where(func.lower(User.email) == email))
    return result.scalar_one_or_none()


async def get_by_email_ilike(db, email):
    result = await db.execute(select(User).where(User.email.ilike(email)))
    return result.scalar_one_or_none()


async def get_by_email_scalar_one(db, email):
    result = await db.execute(select(User).where(User.email == email.lower()))
    return result.scalar_one()


async def get_by_email_filters_in_python(db, email):
    users = (await db.scalars(select(User))).all()
    return next((user for user in users if user.email == email.lower()), None)


async def get_by_email_lowers_both_sides(db, email):
    # Right answers, but lower(email) cannot use the index on email: a full scan per login.
    result = await db.execute(select(User).where(func.lower(User.email) == email.lower()))
    return result.scalar_one_or_none()
