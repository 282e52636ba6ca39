"""Ids never reused on SQLite; a token version per user.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from collections.abc import Sequence
from typing import Literal

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite gives a new row the highest id + 1 unless the table was created with AUTOINCREMENT,
# which no ALTER can add: batch mode copies the table into a new one, rows and ids included.
# Reflection does not see AUTOINCREMENT, so every later batch copy must pass this again.
AUTOINCREMENT = {"sqlite_autoincrement": True}


def _recreate() -> Literal["always", "auto"]:
    # PostgreSQL sequences never reuse an id: there, only the new column is added, in place.
    return "always" if op.get_bind().dialect.name == "sqlite" else "auto"


def upgrade() -> None:
    with op.batch_alter_table("users", recreate=_recreate(), table_kwargs=AUTOINCREMENT) as batch:
        # Existing tokens carry no version: they stop working, and their users log in again.
        batch.add_column(
            sa.Column("token_version", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
    with op.batch_alter_table("items", recreate=_recreate(), table_kwargs=AUTOINCREMENT):
        pass


def downgrade() -> None:
    with op.batch_alter_table("items", recreate=_recreate()):
        pass
    with op.batch_alter_table("users", recreate=_recreate()) as batch:
        batch.drop_column("token_version")
