"""Items: every route, pagination, behaviour 8 (timestamps) and 9 (object-level authorization)."""

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

Headers = dict[str, str]


@pytest.fixture
def ann(signup: Callable[..., Headers]) -> Headers:
    return signup("ann@example.com")


@pytest.fixture
def bob(signup: Callable[..., Headers]) -> Headers:
    return signup("bob@example.com")


def create(client: TestClient, headers: Headers, title: str, **extra: object) -> dict:
    response = client.post("/items/", headers=headers, json={"title": title, **extra})
    assert response.status_code == 201, response.text
    return response.json()


def assert_utc(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    assert moment.utcoffset() == timedelta(0), f"{value!r} is not a UTC timestamp"
    return moment


def test_create_and_read_an_item(client: TestClient, ann: Headers) -> None:
    me = client.get("/users/me", headers=ann).json()

    item = create(client, ann, "Write tests", description="All ten behaviours")
    read = client.get(f"/items/{item['id']}", headers=ann)

    assert read.status_code == 200
    assert read.json() == item
    assert item["title"] == "Write tests"
    assert item["description"] == "All ten behaviours"
    assert item["owner_id"] == me["id"]
    assert_utc(item["created_at"])
    assert item["updated_at"] is None


def test_items_need_a_token(client: TestClient) -> None:
    for response in (client.get("/items/"), client.post("/items/", json={"title": "x"})):
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"title": ""},
        {"title": "x" * 201},
        {"title": None},
        {"title": "nul\x00"},
        {"title": "ok", "owner_id": 2},
    ],
    ids=["no-title", "empty", "too-long", "null", "nul-char", "owner-id"],
)
def test_invalid_items_are_a_422(client: TestClient, ann: Headers, body: dict) -> None:
    assert client.post("/items/", headers=ann, json=body).status_code == 422


def test_list_is_paginated_in_id_order(client: TestClient, ann: Headers, bob: Headers) -> None:
    ids = [create(client, ann, f"item {n}")["id"] for n in range(5)]
    create(client, bob, "not ann's")

    first = client.get("/items/", headers=ann, params={"limit": 2}).json()
    middle = client.get("/items/", headers=ann, params={"offset": 2, "limit": 2}).json()
    past_end = client.get("/items/", headers=ann, params={"offset": 10}).json()

    assert [item["id"] for item in first["items"]] == ids[:2]
    assert (first["total"], first["offset"], first["limit"]) == (5, 0, 2)
    assert [item["id"] for item in middle["items"]] == ids[2:4]
    assert (middle["total"], middle["offset"], middle["limit"]) == (5, 2, 2)
    assert past_end == {"items": [], "total": 5, "offset": 10, "limit": 20}


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "ten"}, {"offset": 2**31}],
)
def test_list_rejects_bad_paging(client: TestClient, ann: Headers, params: dict) -> None:
    response = client.get("/items/", headers=ann, params=params)

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][0] == "query"


def test_partial_update_keeps_what_was_not_sent(client: TestClient, ann: Headers) -> None:
    item = create(client, ann, "Title", description="Old")

    response = client.patch(f"/items/{item['id']}", headers=ann, json={"description": "New"})

    assert response.status_code == 200
    updated = response.json()
    assert (updated["title"], updated["description"]) == ("Title", "New")
    assert updated["created_at"] == item["created_at"]
    assert assert_utc(updated["updated_at"]) >= assert_utc(updated["created_at"])
    assert client.get(f"/items/{item['id']}", headers=ann).json() == updated


def test_null_description_clears_it_but_null_title_is_refused(
    client: TestClient, ann: Headers
) -> None:
    item = create(client, ann, "Title", description="Old")

    cleared = client.patch(f"/items/{item['id']}", headers=ann, json={"description": None})
    refused = client.patch(f"/items/{item['id']}", headers=ann, json={"title": None})

    assert cleared.status_code == 200
    assert cleared.json()["description"] is None
    assert refused.status_code == 422


def test_delete_an_item(client: TestClient, ann: Headers) -> None:
    item = create(client, ann, "Doomed")

    deleted = client.delete(f"/items/{item['id']}", headers=ann)

    assert deleted.status_code == 204
    assert deleted.content == b""
    assert client.get(f"/items/{item['id']}", headers=ann).status_code == 404
    assert client.delete(f"/items/{item['id']}", headers=ann).status_code == 404


@pytest.mark.parametrize("item_id", ["0", "-1", str(2**31), "abc"])
def test_impossible_item_ids_are_a_422(client: TestClient, ann: Headers, item_id: str) -> None:
    assert client.get(f"/items/{item_id}", headers=ann).status_code == 422


def test_another_users_item_is_not_found(client: TestClient, ann: Headers, bob: Headers) -> None:
    item = create(client, ann, "Ann's", description="private")
    missing_id = item["id"] + 100

    attempts = {
        "read": client.get(f"/items/{item['id']}", headers=bob),
        "update": client.patch(f"/items/{item['id']}", headers=bob, json={"title": "Bob's now"}),
        "delete": client.delete(f"/items/{item['id']}", headers=bob),
    }
    nonexistent = client.get(f"/items/{missing_id}", headers=bob)

    for response in attempts.values():
        assert response.status_code == 404
        # Exactly what a missing item answers: nothing tells Bob that Ann's item exists.
        assert response.json() == nonexistent.json()
    assert client.get(f"/items/{item['id']}", headers=ann).json() == item
    assert client.get("/items/", headers=bob).json()["total"] == 0


def test_deleting_a_user_deletes_their_items(client: TestClient, ann: Headers, sql) -> None:
    create(client, ann, "one")
    create(client, ann, "two")

    sql("DELETE FROM users WHERE email = 'ann@example.com'")

    assert sql("SELECT count(*) FROM items") == [(0,)]
