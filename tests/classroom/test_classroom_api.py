"""The classroom's API: joining, posting outcomes, the board, and everything it refuses."""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path

import httpx
import pytest

from classroom.main import create_app
from classroom.schemas import BoardOut

STATIC = Path(__file__).resolve().parents[2] / "classroom" / "static"


def outcome(exercise: str = "00/health", status: str = "incorrect", code: str = "") -> dict:
    notebook, ident = exercise.split("/")
    return {
        "id": secrets.token_hex(16),
        "notebook": notebook,
        "exercise": ident,
        "status": status,
        "code": code,
    }


def cells(room, name: str) -> dict:
    learners = {learner["name"]: learner for learner in room.board().json()["learners"]}
    return learners[name]["cells"]


def test_a_learner_joins_posts_and_shows_on_the_board(room):
    token = room.join("Ada")
    reply = room.post(token, outcome("04/update", "incorrect", "exclude_unset"))
    assert reply.status_code == 200 and reply.json() == {"stored": 1, "duplicates": 0}

    board = room.board().json()
    BoardOut.model_validate(board)  # the shape the OpenAPI schema documents
    assert board["class_code"] == room.code
    assert [learner["name"] for learner in board["learners"]] == ["Ada"]
    assert cells(room, "Ada") == {
        "04/update": {"state": "tried", "attempts": 1, "code": "exclude_unset"}
    }
    update = next(ex for ex in board["exercises"] if ex["key"] == "04/update")
    assert (update["done"], update["tried"], update["not_started"]) == (0, 1, 0)
    assert (update["common_code"], update["common_count"]) == ("exclude_unset", 1)
    assert [row["name"] for row in board["stuck"]] == ["Ada"]


def test_done_stays_done_and_the_most_common_diagnosis_counts_learners(room):
    ada, bo, cy = room.join("Ada"), room.join("Bo"), room.join("Cy")
    room.post(ada, outcome("04/update", "correct"), outcome("04/update", "incorrect", "x"))
    for _ in range(5):  # one learner re-running a check does not outvote the room
        room.post(bo, outcome("04/update", "incorrect", "exclude_unset"))
    room.post(cy, outcome("04/update", "incorrect", "sets_every_field"))
    room.post(cy, outcome("04/update", "incorrect", "exclude_unset"))

    assert cells(room, "Ada")["04/update"]["state"] == "done"
    board = room.board().json()
    update = next(ex for ex in board["exercises"] if ex["key"] == "04/update")
    assert (update["done"], update["tried"], update["not_started"]) == (1, 2, 0)
    assert (update["common_code"], update["common_count"]) == ("exclude_unset", 2)
    assert {row["name"] for row in board["stuck"]} == {"Bo", "Cy"}
    assert board["version"] == 3 + 2 + 5 + 2  # learners + stored outcomes


def test_an_outcome_sent_twice_is_stored_once(room):
    token = room.join("Ada")
    sent = outcome("00/health", "correct")
    assert room.post(token, sent, sent).json() == {"stored": 1, "duplicates": 1}
    assert room.post(token, sent).json() == {"stored": 0, "duplicates": 1}
    assert room.board().json()["learners"][0]["checks"] == 1


def test_a_name_is_one_line_of_single_spaces(room):
    room.join(" Ada \n\t Lovelace ")
    assert room.board().json()["learners"][0]["name"] == "Ada Lovelace"


def test_names_are_unique_in_a_class_whatever_their_case(room):
    room.join("Ada Lovelace")
    reply = room.client.post(f"/c/{room.code}/learners", json={"name": "  ada   LOVELACE "})
    assert reply.status_code == 409
    assert "taken" in reply.json()["detail"]


def test_one_learner_cannot_touch_another_learners_record(room):
    ada, bo = room.join("Ada"), room.join("Bo")
    room.post(ada, outcome("00/health", "correct"))
    before = cells(room, "Ada")

    # The learner is the token's: a body naming someone else is refused, not obeyed.
    for extra in ({"name": "Ada"}, {"learner": 1}, {"learner_id": 1}, {"token": ada}):
        reply = room.post(bo, {**outcome("00/health", "incorrect"), **extra})
        assert reply.status_code == 422, extra
    body = {"outcomes": [outcome("00/health", "incorrect")], "name": "Ada"}
    reply = room.client.post(
        f"/c/{room.code}/outcomes", json=body, headers={"Authorization": f"Bearer {bo}"}
    )
    assert reply.status_code == 422

    # Bo's own outcome on the same exercise, even reusing an event id Ada sent, is Bo's.
    assert room.post(bo, outcome("00/health", "incorrect", "wrong-body")).status_code == 200
    assert cells(room, "Ada") == before
    assert cells(room, "Bo")["00/health"]["state"] == "tried"
    # A made-up token is nobody.
    forged = room.post(secrets.token_urlsafe(32), outcome("00/health", "correct"))
    assert forged.status_code == 401 and forged.headers["WWW-Authenticate"] == "Bearer"
    assert room.post("", outcome()).status_code == 401


def test_the_class_code_scopes_everything(make_class):
    first, second = make_class(), make_class()
    assert first.code != second.code
    token = first.join("Ada")
    second.join("Bo")

    # A token of one class means nothing in another; nor does an instructor's key.
    assert first.post(token, outcome(), code=second.code).status_code == 401
    assert first.board(key=first.key, code=second.code).status_code == 401
    assert [learner["name"] for learner in first.board().json()["learners"]] == ["Ada"]
    assert [learner["name"] for learner in second.board().json()["learners"]] == ["Bo"]
    # A class that does not exist, and a code that cannot be one.
    assert first.client.post("/c/ABCD-EFGH/learners", json={"name": "Cy"}).status_code == 404
    assert first.client.post("/c/nope/learners", json={"name": "Cy"}).status_code == 422
    assert first.client.get("/c/ABCD-EFGH/board/data").status_code in (401, 404)


def test_the_board_needs_the_instructors_key(room):
    token = room.join("Ada")
    assert room.client.get(f"/c/{room.code}/board/data").status_code == 401
    assert room.board(key="not-the-key").status_code == 401
    assert room.board(key=token).status_code == 401  # a learner cannot read the others
    assert room.board().status_code == 200
    # The page itself carries no data, so it needs no key: its script asks with one.
    page = room.client.get(f"/c/{room.code}/board")
    assert page.status_code == 200 and "Ada" not in page.text


BAD_NAMES = ["", "   ", "x" * 41, "Ada\x1b[31m", "Ada\x00", "bidi\u202eevil", 42, None]


@pytest.mark.parametrize("name", BAD_NAMES, ids=repr)
def test_join_refuses_names_that_cannot_be_shown(room, name):
    reply = room.client.post(f"/c/{room.code}/learners", json={"name": name})
    assert reply.status_code == 422
    assert reply.json()["code"] == "validation_error"
    assert "input" not in reply.text  # errors never echo what was sent


BAD_OUTCOMES = {
    "unknown exercise": {"exercise": "rm_rf"},
    "exercise of another notebook": {"notebook": "05", "exercise": "health"},
    "notebook not two digits": {"notebook": "4"},
    "status not allowed": {"status": "hacked"},
    "code too long": {"code": "x" * 65},
    "code with markup": {"code": "<img src=x>"},
    "event id not hex": {"id": "z" * 32},
    "missing status": {"status": None},
    "an extra field": {"source": "print('my code')"},
}


@pytest.mark.parametrize("change", BAD_OUTCOMES.values(), ids=BAD_OUTCOMES.keys())
def test_outcomes_are_validated(room, change):
    token = room.join("Ada")
    sent = {**outcome(), **change}
    sent = {k: v for k, v in sent.items() if v is not None}
    reply = room.post(token, sent)
    assert reply.status_code == 422, reply.text
    assert room.board().json()["learners"][0]["checks"] == 0


def test_batches_are_bounded(room):
    token = room.join("Ada")
    assert room.post(token).status_code == 422  # empty
    assert room.post(token, *[outcome() for _ in range(51)]).status_code == 422
    assert room.post(token, *[outcome() for _ in range(50)]).status_code == 200


def test_bodies_are_bounded_before_they_are_read(room):
    token = room.join("Ada")
    huge = b'{"outcomes": [' + b" " * 40_000 + b"]}"
    reply = room.client.post(
        f"/c/{room.code}/outcomes",
        content=huge,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert reply.status_code == 413


def test_posts_are_rate_limited_per_learner(make_class):
    room = make_class(POSTS_PER_MINUTE=3)
    ada, bo = room.join("Ada"), room.join("Bo")
    assert [room.post(ada, outcome()).status_code for _ in range(3)] == [200, 200, 200]
    limited = room.post(ada, outcome())
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) >= 1
    assert room.post(bo, outcome()).status_code == 200  # someone else's budget is their own


def test_joins_are_rate_limited_per_client(make_class):
    room = make_class(JOINS_PER_MINUTE=2)
    room.join("Ada")
    room.join("Bo")
    reply = room.client.post(f"/c/{room.code}/learners", json={"name": "Cy"})
    assert reply.status_code == 429 and "Retry-After" in reply.headers


def test_every_client_shares_one_budget(make_class):
    room = make_class(CLIENT_POSTS_PER_MINUTE=4)
    tokens = [room.join(name) for name in ("Ada", "Bo")]
    codes = [room.post(tokens[i % 2], outcome()).status_code for i in range(3)]
    assert codes == [200, 200, 429]


def test_markup_in_a_name_is_data_never_markup(room):
    names = ['<img src=x onerror="alert(1)">', "<script>alert(2)</script>"]
    for name in names:
        room.post(room.join(name), outcome())
    # Kept as typed, as JSON text: the page shows it as text (tests/classroom/test_browser.py).
    assert sorted(learner["name"] for learner in room.board().json()["learners"]) == names
    # The page's script only ever sets text, and the policy forbids inline script anyway.
    script = (STATIC / "board.js").read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script, sink
    page = room.client.get(f"/c/{room.code}/board")
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy
    assert "unsafe-inline" not in policy
    assert page.headers["X-Content-Type-Options"] == "nosniff"


def test_every_response_carries_the_security_headers(room):
    for path in ("/health", "/", f"/c/{room.code}", "/static/board.js", "/c/ABCD-EFGH"):
        reply = room.client.get(path)
        assert "default-src 'none'" in reply.headers["Content-Security-Policy"], path
        assert reply.headers["Cache-Control"] == "no-store", path


def test_the_join_page_shows_the_command(room):
    page = room.client.get(f"/c/{room.code}")
    assert page.status_code == 200
    assert f"python -m support join http://testserver/c/{room.code}" in page.text
    assert "never your code" in page.text


def test_there_is_no_page_that_loads_a_cdn(room):
    assert room.client.get("/docs").status_code == 404
    for name in ("board.html", "board.js", "classroom.css"):
        text = (STATIC / name).read_text()
        assert "http://" not in text and "https://" not in text, name


def test_a_room_posting_at_once_is_all_stored(make_class):
    """Forty first posts together: more than the connection pool holds (5 + 10). None may hold
    a connection while it waits for the write its outcome is grouped in, or the pool starves."""
    room = make_class()
    tokens = [room.join(f"learner {i}") for i in range(40)]
    app = create_app(room.settings)  # the TestClient's app is bound to the TestClient's loop

    async def post(client: httpx.AsyncClient, token: str) -> int:
        reply = await client.post(
            f"/c/{room.code}/outcomes",
            json={"outcomes": [outcome("01/get_db", "correct")]},
            headers={"Authorization": f"Bearer {token}"},
        )
        return reply.status_code

    async def post_all() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://room") as client,
        ):
            return await asyncio.wait_for(asyncio.gather(*(post(client, t) for t in tokens)), 20)

    assert asyncio.run(post_all()) == [200] * 40
    get_db = next(ex for ex in room.board().json()["exercises"] if ex["key"] == "01/get_db")
    assert get_db["done"] == 40
