"""Other correct answers to notebook 08 · The assembled service."""

import sqlalchemy as sa


def upgrade_with_sql_default(op) -> None:
    keep_ids_unique = {"sqlite_autoincrement": True}
    with op.batch_alter_table("items", table_kwargs=keep_ids_unique) as batch:
        batch.add_column(
            sa.Column("priority", sa.Integer(), nullable=False, server_default=sa.text("3"))
        )
        batch.create_check_constraint("priority_range", "priority >= 1 AND priority <= 5")


def test_priority_in_loops(client) -> None:
    created = client.post("/items/", json={"title": "Water the plants"})
    assert created.status_code == 201 and created.json()["priority"] == 3
    for priority in (1, 2, 5):
        reply = client.post("/items/", json={"title": "Fix", "priority": priority})
        assert reply.status_code == 201, reply.text
        assert reply.json()["priority"] == priority
    for priority in (0, 6, -1, 100):
        assert (
            client.post("/items/", json={"title": "Nap", "priority": priority}).status_code == 422
        )
