"""Wrong answers to notebook 08 that its checks recognise."""

import sqlalchemy as sa

# --------------------------------------------------------------------------------------------
# priority_upgrade


def upgrade_without_server_default(op) -> None:
    op.add_column("items", sa.Column("priority", sa.Integer(), nullable=False))


def upgrade_with_python_default(op) -> None:
    # `default=` is applied by SQLAlchemy on inserts; the rows already there get nothing.
    op.add_column("items", sa.Column("priority", sa.Integer(), nullable=False, default=3))


def upgrade_with_integer_server_default(op) -> None:
    op.add_column("items", sa.Column("priority", sa.Integer(), nullable=False, server_default=3))


def upgrade_nullable(op) -> None:
    op.add_column("items", sa.Column("priority", sa.Integer(), server_default="3"))
    with op.batch_alter_table("items") as batch:
        batch.create_check_constraint("ck_items_priority_range", "priority BETWEEN 1 AND 5")


def upgrade_without_check(op) -> None:
    op.add_column("items", sa.Column("priority", sa.Integer(), nullable=False, server_default="3"))


def upgrade_constraint_outside_batch(op) -> None:
    op.add_column("items", sa.Column("priority", sa.Integer(), nullable=False, server_default="3"))
    op.create_check_constraint("ck_items_priority_range", "items", "priority BETWEEN 1 AND 5")


def upgrade_check_after_batch(op) -> None:
    with op.batch_alter_table("items") as batch:
        batch.add_column(sa.Column("priority", sa.Integer(), nullable=False, server_default="3"))
    batch.create_check_constraint("priority_range", "priority BETWEEN 1 AND 5")


def upgrade_full_name_without_f(op) -> None:
    # The naming convention applies to this name too: ck_items_ck_items_priority_range.
    with op.batch_alter_table("items") as batch:
        batch.add_column(sa.Column("priority", sa.Integer(), nullable=False, server_default="3"))
        batch.create_check_constraint("ck_items_priority_range", "priority BETWEEN 1 AND 5")


def upgrade_unnamed_check(op) -> None:
    with op.batch_alter_table("items") as batch:
        batch.add_column(
            sa.Column(
                "priority",
                sa.Integer(),
                sa.CheckConstraint("priority BETWEEN 1 AND 5"),
                nullable=False,
                server_default="3",
            )
        )


# --------------------------------------------------------------------------------------------
# priority_downgrade


def downgrade_plain_drop_column(op) -> None:
    op.drop_column("items", "priority")


def downgrade_keeps_the_constraint(op) -> None:
    with op.batch_alter_table("items") as batch:
        batch.drop_column("priority")


def downgrade_column_first(op) -> None:
    with op.batch_alter_table("items") as batch:
        batch.drop_column("priority")
        batch.drop_constraint(op.f("ck_items_priority_range"), type_="check")


def downgrade_full_name_without_f(op) -> None:
    with op.batch_alter_table("items") as batch:
        batch.drop_constraint("ck_items_priority_range", type_="check")
        batch.drop_column("priority")


def downgrade_drops_the_table(op) -> None:
    op.drop_table("items")


# --------------------------------------------------------------------------------------------
# priority_test


def test_priority_without_asserts(client) -> None:
    client.post("/items/", json={"title": "Water the plants"})
    client.post("/items/", json={"title": "Nap", "priority": 6})


def test_priority_comparisons_without_assert(client) -> None:
    created = client.post("/items/", json={"title": "Water the plants"})
    created.status_code == 201  # noqa: B015 - the mistake: computed, then thrown away
    created.json()["priority"] == 3  # noqa: B015
    client.post("/items/", json={"title": "Nap", "priority": 6}).status_code == 422  # noqa: B015


def test_priority_not_201(client) -> None:
    assert client.post("/items/", json={"title": "Water the plants"}).json()["priority"] == 3
    assert client.post("/items/", json={"title": "Fix", "priority": 5}).json()["priority"] == 5
    for out_of_range in (0, 6):
        refused = client.post("/items/", json={"title": "Nap", "priority": out_of_range})
        assert refused.status_code != 201


def test_priority_missing_title(client) -> None:
    created = client.post("/items/", json={"priority": 5})
    assert created.status_code == 201


def test_priority_happy_path_only(client) -> None:
    created = client.post("/items/", json={"title": "Fix the leak", "priority": 5})
    assert created.status_code == 201
    assert created.json()["priority"] == 5


def test_priority_upper_bound_only(client) -> None:
    assert client.post("/items/", json={"title": "Water the plants"}).json()["priority"] == 3
    assert client.post("/items/", json={"title": "Fix", "priority": 5}).json()["priority"] == 5
    assert client.post("/items/", json={"title": "Nap", "priority": 6}).status_code == 422


def test_priority_expects_400(client) -> None:
    assert client.post("/items/", json={"title": "Water the plants"}).status_code == 201
    assert client.post("/items/", json={"title": "Nap", "priority": 6}).status_code == 400
