"""The learner's own progress: the log every check appends to, and the summary it gives."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from support import progress
from support.catalog import NUMBERS, exercises_for
from support.progress_cli import main


@dataclass(frozen=True)
class Feedback:  # the engine's Feedback, as far as record() reads it
    status: str
    message: str = ""
    exercise_id: str = ""
    code: str = ""


def test_record_appends_one_line_per_check(workbook):
    progress.record(Feedback("incorrect", "why", "update", code="exclude_unset"), notebook="04")
    progress.record(Feedback("correct", "yes", "update"), notebook="04")
    lines = (workbook / "progress.jsonl").read_text().splitlines()
    first, second = (json.loads(line) for line in lines)
    assert {k: first[k] for k in ("notebook", "exercise", "status", "code")} == {
        "notebook": "04",
        "exercise": "update",
        "status": "incorrect",
        "code": "exclude_unset",
    }
    assert first["time"].endswith("+00:00") and len(first["id"]) == 32
    assert second["status"] == "correct" and second["code"] == ""
    assert "message" not in first  # the message may quote the learner's code: not kept


def test_record_finds_the_notebook_when_not_told(workbook):
    progress.record(Feedback("correct", "", "health"))
    progress.record(Feedback("correct", "", "list_items"))  # in 04 and 05: left blank
    entries = list(progress.read_log())
    assert [e["notebook"] for e in entries] == ["00", ""]


def test_feedback_without_a_code_attribute_is_recorded(workbook):
    class OldFeedback:
        status, message, exercise_id = "correct", "", "health"

    progress.record(OldFeedback(), notebook="00")
    assert next(progress.read_log())["code"] == ""


def test_record_never_raises(tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("WORKBOOK_DIR", str(blocked / "workbook"))  # cannot be created
    progress.record(Feedback("correct", "", "health"), notebook="00")
    progress.record(None, notebook=None)  # garbage in: still nothing raised
    progress.record(object())


def test_record_is_cheap(workbook):
    progress.record(Feedback("correct", "", "health"), notebook="00")  # the folder exists now
    start = time.perf_counter()
    for _ in range(200):
        progress.record(Feedback("incorrect", "", "health", "wrong-body"), notebook="00")
    each = (time.perf_counter() - start) / 200
    print(f"record(): {each * 1e6:.0f} µs per check, not joined")  # measured, not asserted


def test_damaged_lines_are_skipped(workbook):
    workbook.mkdir(parents=True)
    good = {"notebook": "00", "exercise": "health", "status": "correct", "code": "", "time": "t"}
    (workbook / "progress.jsonl").write_text(
        "not json\n" + json.dumps(good) + "\n[1, 2]\n" + '{"status": "weird"}\n' + '{"trunc'
    )
    assert [e["exercise"] for e in progress.read_log()] == ["health"]


def test_summary_counts_done_tried_and_not_started(workbook):
    for exercise, status in [
        ("get_db", "incorrect"),
        ("get_db", "correct"),
        ("transfer", "incorrect"),
        ("make_sessionmaker", "not attempted"),
    ]:
        progress.record(Feedback(status, "", exercise), notebook="01")
    rows = {row.number: row for row in progress.summary()}
    assert rows["01"].done == ("get_db",)
    assert rows["01"].tried == ("transfer",)
    assert rows["01"].not_started == ("make_sessionmaker",)
    assert rows["00"].done == () and rows["00"].not_started == ("health",)


def test_progress_command_prints_the_summary(workbook, capsys):
    progress.record(Feedback("correct", "", "health"), notebook="00")
    progress.record(Feedback("incorrect", "", "transfer"), notebook="01")
    assert main(["progress"]) == 0
    out = capsys.readouterr().out
    assert "00 Start here" in out and "done 1/1" in out
    assert "tried: transfer" in out and "not started: get_db, make_sessionmaker" in out
    total = sum(len(list(exercises_for(number))) for number in NUMBERS)
    assert f"1 of {total} exercises done, 1 tried, {total - 2} not started." in out
