"""Other correct answers to notebook 02 · Models."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.database import UTCDateTime

if TYPE_CHECKING:
    from app.models import User


def define_note_with_sql_default(Base):
    class Note(Base):
        __tablename__ = "notes"

        id: Mapped[int] = mapped_column(primary_key=True)
        owner_id: Mapped[int] = mapped_column(
            ForeignKey("users.id", ondelete="CASCADE"), index=True
        )
        title: Mapped[str] = mapped_column(String(200))
        body: Mapped[str | None] = mapped_column(Text)
        created_at: Mapped[datetime] = mapped_column(
            UTCDateTime(timezone=True), server_default=text("CURRENT_TIMESTAMP")
        )
        owner: Mapped["User"] = relationship(back_populates="notes")

    return Note


async def change_email_refreshes_one_attribute(session, user, email):
    user.email = email
    await session.flush()
    await session.refresh(user, ["updated_at"])
    return user
