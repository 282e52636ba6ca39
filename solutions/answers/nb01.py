"""Answers to notebook 01 · The database session."""

from collections.abc import AsyncGenerator

from fastapi import Request
from sqlalchemy import CheckConstraint, Column, Integer, String
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import declarative_base

# The notebook's table, so the answers run here exactly as they do in the notebook.
Base = declarative_base()


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = (CheckConstraint("balance >= 0", name="balance_not_negative"),)
    id = Column(Integer, primary_key=True)
    owner = Column(String, unique=True, nullable=False)
    balance = Column(Integer, nullable=False)


async def get_db(request: Request) -> AsyncGenerator[AsyncSession, None]:
    async with request.app.state.sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except Exception:
            await session.rollback()
            raise


def make_sessionmaker(engine):
    return async_sessionmaker(engine, expire_on_commit=False)


async def transfer(Session, from_id: int, to_id: int, amount: int) -> None:
    async with Session.begin() as session:
        sender = await session.get(Account, from_id)
        receiver = await session.get(Account, to_id)
        if sender is None or receiver is None:
            raise LookupError("no such account")
        sender.balance -= amount
        receiver.balance += amount
