"""Answers to notebook 08 · The assembled service."""

import sqlalchemy as sa


def upgrade(op) -> None:
    # SQLite cannot add a constraint to an existing table: batch mode rebuilds the table.
    # Reflection does not see AUTOINCREMENT (revision 0002): the copy must be told again.
    with op.batch_alter_table("items", table_kwargs={"sqlite_autoincrement": True}) as batch:
        # server_default, not default: the database fills the rows that already exist.
        batch.add_column(sa.Column("priority", sa.Integer(), nullable=False, server_default="3"))
        # op.f: the name is final. Without it the naming convention adds a second "ck_items_".
        batch.create_check_constraint(op.f("ck_items_priority_range"), "priority BETWEEN 1 AND 5")


def downgrade(op) -> None:
    # The reverse order: on PostgreSQL, dropping the column first would drop its constraint too.
    with op.batch_alter_table("items", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_constraint(op.f("ck_items_priority_range"), type_="check")
        batch.drop_column("priority")


def test_priority(client) -> None:
    created = client.post("/items/", json={"title": "Water the plants"})
    assert created.status_code == 201
    assert created.json()["priority"] == 3
    for at_the_edge in (1, 5):
        accepted = client.post("/items/", json={"title": "Fix the leak", "priority": at_the_edge})
        assert accepted.status_code == 201
        assert accepted.json()["priority"] == at_the_edge
    for out_of_range in (0, 6):
        rejected = client.post("/items/", json={"title": "Nap", "priority": out_of_range})
        assert rejected.status_code == 422
