from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.database import release_connection
from app.core.exceptions import AuthenticationError, ConflictError
from app.core.security import hash_password_async, needs_rehash, verify_password_async
from app.crud.user import user_crud
from app.models.user import User
from app.schemas.user import UserCreate, UserUpdate

EMAIL_TAKEN = "Email already registered."
BAD_CREDENTIALS = "Incorrect email or password."

# Each function below reads what it needs, then releases its database connection before it
# hashes: during a login storm, waiting hashes must not hold every connection of the pool.


async def register_user(db: AsyncSession, user_in: UserCreate) -> User:
    if await user_crud.get_by_email(db, user_in.email) is not None:
        raise ConflictError(EMAIL_TAKEN)
    await release_connection(db)
    hashed_password = await hash_password_async(user_in.password)
    try:
        return await user_crud.create(db, user_in, hashed_password=hashed_password)
    except IntegrityError as exc:
        # Two registrations can both pass the check above; the unique index decides.
        raise ConflictError(EMAIL_TAKEN) from exc


async def authenticate_user(db: AsyncSession, email: str, password: str) -> User:
    user = await user_crud.get_by_email(db, email)
    await release_connection(db)
    # An unknown email still pays for one verify, so the response time does not reveal it.
    password_ok = await verify_password_async(password, user.hashed_password if user else None)
    if user is None or not password_ok:
        raise AuthenticationError(BAD_CREDENTIALS)
    if needs_rehash(user.hashed_password):
        # BCRYPT_ROUNDS changed since this hash was made: only now is the password at hand.
        new_hash = await hash_password_async(password)
        await user_crud.update(db, user, {"hashed_password": new_hash})
    return user


async def update_user(db: AsyncSession, user: User, user_in: UserUpdate) -> User:
    changes = user_in.model_dump(exclude_unset=True)
    new_email = changes.get("email")
    if new_email not in (None, user.email) and await user_crud.get_by_email(db, new_email):
        raise ConflictError(EMAIL_TAKEN)
    if "password" in changes:
        await release_connection(db)
        changes["hashed_password"] = await hash_password_async(changes.pop("password"))
        # Tokens carry the version they were issued with: every one issued before now is refused.
        changes["token_version"] = user.token_version + 1
    try:
        return await user_crud.update(db, user, changes)
    except IntegrityError as exc:
        raise ConflictError(EMAIL_TAKEN) from exc
