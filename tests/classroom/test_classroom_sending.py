"""The learner's side of the classroom: joining, and sending in the background.

A check must answer at once whatever the classroom does (down, silent, busy), and nothing it
could not send is lost. Times are printed, never asserted: the claims asserted are "returned
without raising" and "kept, then sent".
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest

from support import classroom_client, outbox, progress


@dataclass(frozen=True)
class Feedback:
    status: str
    message: str = ""
    exercise_id: str = ""
    code: str = ""


def wait_for(condition: Callable[[], bool], seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def board(served) -> dict:
    reply = httpx.get(
        f"{served.base_url}/c/{served.code}/board/data",
        headers={"Authorization": f"Bearer {served.key}"},
        timeout=5,
    )
    reply.raise_for_status()
    return reply.json()


def checks_of(served, name: str) -> int:
    return {learner["name"]: learner["checks"] for learner in board(served)["learners"]}.get(
        name, 0
    )


def timed_record(feedback: Feedback, notebook: str) -> float:
    start = time.perf_counter()
    progress.record(feedback, notebook=notebook)
    return time.perf_counter() - start


def test_a_check_with_the_classroom_down_answers_at_once_and_is_sent_later(
    workbook, serve_classroom
):
    served = serve_classroom()
    port = int(served.base_url.rsplit(":", 1)[1])
    classroom_client.join(served.join_link, "Ada")
    served.stop()  # the port is closed now

    took = timed_record(Feedback("incorrect", "", "update", "exclude_unset"), "04")
    print(f"record() with the classroom down: {took * 1e6:.0f} µs")  # measured, not asserted
    kept = outbox.pending()
    assert [(o["exercise"], o["status"], o["code"]) for o in kept] == [
        ("update", "incorrect", "exclude_unset")
    ]
    attempt = outbox.flush()  # what the thread does, once more, in the foreground
    assert attempt.sent == 0 and attempt.pending == 1 and "unreachable" in attempt.problem

    again = serve_classroom(port)  # the same database: the same class, a new instructor's key
    assert again.code == served.code
    progress.record(Feedback("correct", "", "update"), notebook="04")  # wakes the sender
    assert wait_for(lambda: not outbox.pending()), outbox.flush()
    assert checks_of(again, "Ada") == 2
    ada = board(again)["learners"][0]
    assert ada["cells"]["04/update"] == {"state": "done", "attempts": 2, "code": "exclude_unset"}


def test_a_classroom_that_never_answers_does_not_delay_a_check(workbook):
    with socket.socket() as silent:  # accepts connections into its backlog, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        base = f"http://127.0.0.1:{silent.getsockname()[1]}"
        workbook.mkdir(parents=True)
        member = {
            "link": f"{base}/c/ABCD-EFGH",
            "base_url": base,
            "class_code": "ABCD-EFGH",
            "name": "Ada",
            "token": "t",
            "joined_at": "2000-01-01T00:00:00+00:00",
        }
        (workbook / "classroom.json").write_text(json.dumps(member))

        took = timed_record(Feedback("incorrect", "", "health"), "00")
        print(f"record() with a silent classroom: {took * 1e6:.0f} µs")
        start = time.perf_counter()
        attempt = outbox.flush()
        print(f"one send to the silent classroom gave up after {time.perf_counter() - start:.2f} s")
        assert attempt.sent == 0 and len(outbox.pending()) == 1


def test_joining_from_the_environment_sends_from_then_on(workbook, serve_classroom, monkeypatch):
    served = serve_classroom()
    progress.record(Feedback("correct", "", "health"), notebook="00")  # before: never sent
    monkeypatch.setenv("WORKBOOK_CLASSROOM", served.join_link)
    monkeypatch.setenv("WORKBOOK_NAME", "Grace")
    progress.record(Feedback("incorrect", "", "get_db", "commits_early"), notebook="01")
    sender = outbox._senders[str(workbook)]
    assert wait_for(lambda: checks_of(served, "Grace") == 1), sender.last_result
    assert wait_for(lambda: not outbox.pending())
    grace = board(served)["learners"][0]
    assert grace["cells"] == {
        "01/get_db": {"state": "tried", "attempts": 1, "code": "commits_early"}
    }
    assert classroom_client.membership().name == "Grace"


def test_a_name_taken_by_the_environment_gets_a_suffix(workbook, serve_classroom, monkeypatch):
    served = serve_classroom()
    httpx.post(f"{served.join_link}/learners", json={"name": "Grace"}, timeout=5)
    monkeypatch.setenv("WORKBOOK_CLASSROOM", served.join_link)
    monkeypatch.setenv("WORKBOOK_NAME", "Grace")
    progress.record(Feedback("correct", "", "health"), notebook="00")
    assert wait_for(lambda: classroom_client.membership() is not None)
    assert classroom_client.membership().name.startswith("Grace-")


def test_only_checks_after_joining_are_sent_and_a_resend_is_stored_once(workbook, serve_classroom):
    served = serve_classroom()
    progress.record(Feedback("correct", "", "health"), notebook="00")
    classroom_client.join(served.join_link, "Ada")
    progress.record(Feedback("incorrect", "", "transfer"), notebook="01")
    assert wait_for(lambda: not outbox.pending())
    assert checks_of(served, "Ada") == 1

    (workbook / "classroom.sent").write_text('{"offset": 0}')  # as if the answer was lost
    assert outbox.flush().sent == 1  # sent again...
    assert checks_of(served, "Ada") == 1  # ...and recognised


def test_exactly_five_fields_leave_the_machine():
    line = json.dumps(
        {
            "time": "2030-01-01T00:00:00.000000+00:00",
            "notebook": "04",
            "exercise": "update",
            "status": "incorrect",
            "code": "<b>not an id</b> with spaces and more " + "x" * 80,
            "id": "0" * 32,
            "message": "your code: def update(...)",
            "source": "print('secret')",
        }
    ).encode()
    sent = outbox._outbound(line, joined_at="2029-01-01T00:00:00+00:00")
    assert set(sent) == {"id", "notebook", "exercise", "status", "code"}
    assert len(sent["code"]) == 64 and "<" not in sent["code"] and " " not in sent["code"]


def test_leaving_stops_sending(workbook, serve_classroom):
    served = serve_classroom()
    classroom_client.join(served.join_link, "Ada")
    assert classroom_client.leave()
    progress.record(Feedback("correct", "", "health"), notebook="00")
    assert outbox.pending() == []
    time.sleep(0.5)
    assert checks_of(served, "Ada") == 0


@pytest.mark.parametrize(
    ("link", "says"),
    [
        ("ftp://host/c/ABCD-EFGH", "not a join link"),
        ("http://host:8100/board", "not a join link"),
        ("http://127.0.0.1:9/c/ABCD-EFGH", "Could not reach"),
    ],
)
def test_joining_says_what_is_wrong(workbook, link, says):
    with pytest.raises(classroom_client.JoinError, match=says):
        classroom_client.join(link, "Ada")
    assert classroom_client.membership() is None


def test_the_join_command(workbook, serve_classroom, capsys):
    from support.progress_cli import main

    served = serve_classroom()
    assert main(["join", served.join_link, "--name", "Ada"]) == 0
    assert f"Joined class {served.code} as 'Ada'" in capsys.readouterr().out
    assert main(["join", served.join_link, "--name", "ada"]) == 1
    assert "taken" in capsys.readouterr().err
    assert (workbook / "classroom.json").stat().st_mode & 0o077 == 0  # the token is private
    assert main(["progress"]) == 0
    assert f"Class {served.code} as 'Ada': everything sent." in capsys.readouterr().out
    assert main(["leave"]) == 0 and classroom_client.membership() is None
