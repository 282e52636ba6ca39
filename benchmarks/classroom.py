"""``make bench`` (classroom part): 60 learners, each sending a check's outcome every second.

A real ``python -m classroom`` (one uvicorn process, as an instructor runs it) on loopback; in
this process, 60 simulated learners join, then each posts one outcome a second for 60 seconds
on its own keep-alive connection, on a fixed schedule (a slow answer does not slow the
sender), while an instructor's page reads the board's JSON every second, as the page does.
Reported:

- outcomes sent, acknowledged as stored, and found on the board at the end: none may be lost;
- the post's latency, p50 and p99 (target: p99 under 50 ms);
- how current the page is: for each outcome, from its acknowledgement to the end of the first
  board read that counts it, polling as the page does (target: within 2 s); and the board
  read's own latency;
- what ``record()`` costs a check on the learner's side, alone and while joined.

Bounded and local: 127.0.0.1 only, a fixed number of learners and seconds. Figures are
printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import HOST, Connection, free_port  # benchmarks/bench.py: the raw keep-alive client

ROOT = Path(__file__).resolve().parent.parent
BOARD_LINE = re.compile(r"/c/([A-Z0-9]{4}-[A-Z0-9]{4})/board#key=(\S+)")
PAGE_POLL = 1.0  # the instructor's page asks for the board every second; so does the bench
# A plausible day: mostly wrong answers, some right, a few checks of the untouched stub.
STATUSES = ["incorrect"] * 5 + ["correct"] * 4 + ["not attempted"]
EXERCISES = [("00", "health"), ("01", "get_db"), ("01", "transfer"), ("04", "update")]


@dataclass
class Learner:
    name: str
    token: str = ""
    acked: list[float] = field(default_factory=list)  # when each stored outcome was answered
    latencies: list[float] = field(default_factory=list)
    failures: dict[int, int] = field(default_factory=dict)
    seen: int = 0  # how many of its outcomes the poller has seen on the board
    reconnects: list[float] = field(default_factory=list)  # idle seconds before each


def serve(port: int, database_url: str, log: Path) -> tuple[subprocess.Popen[bytes], str, str]:
    """The classroom, its output going to a file (a pipe nobody reads would fill and block it)."""
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "classroom", "--host", HOST, "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and server.poll() is None:
        found = BOARD_LINE.search(log.read_text("utf-8", "replace"))
        if found:
            try:
                asyncio.run(_get(port, "/health"))
                return server, found.group(1), found.group(2)
            except OSError:
                pass
        time.sleep(0.1)
    server.kill()
    raise SystemExit("the classroom did not start:\n" + log.read_text("utf-8", "replace"))


async def _get(port: int, path: str) -> int:
    conn = await Connection(port).open()
    try:
        status, _ = await conn.request("GET", path)
        return status
    finally:
        conn.close()


def post_body(outcome: dict[str, str]) -> bytes:
    return json.dumps({"outcomes": [outcome]}).encode()


async def join(port: int, code: str, learner: Learner) -> None:
    conn = await Connection(port).open()
    try:
        body = json.dumps({"name": learner.name}).encode()
        headers = {"Content-Type": "application/json"}
        status, reply = await conn.request("POST", f"/c/{code}/learners", headers, body)
        assert status == 201, (status, reply)
        learner.token = json.loads(reply)["token"]
    finally:
        conn.close()


async def send_checks(
    port: int, code: str, learner: Learner, start: float, offset: float, seconds: int
) -> None:
    conn = await Connection(port).open()
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {learner.token}"}
    last = time.perf_counter()
    try:
        for tick in range(seconds):
            await asyncio.sleep(max(0.0, start + offset + tick - time.perf_counter()))
            notebook, exercise = EXERCISES[tick % len(EXERCISES)]
            outcome = {
                "id": secrets.token_hex(16),
                "notebook": notebook,
                "exercise": exercise,
                "status": STATUSES[(tick + len(learner.name)) % len(STATUSES)],
                "code": "bench-diagnosis",
            }
            path, body = f"/c/{code}/outcomes", post_body(outcome)
            sent = time.perf_counter()
            try:
                status, reply = await conn.request("POST", path, headers, body)
            except (ConnectionError, asyncio.IncompleteReadError):
                # The server closed the connection: a client opens another and sends the same
                # outcome again (its event id makes that harmless). Timed from the first try.
                learner.reconnects.append(sent - last)
                conn.close()
                conn = await Connection(port).open()
                status, reply = await conn.request("POST", path, headers, body)
            answered = last = time.perf_counter()
            learner.latencies.append(answered - sent)
            if status == 200 and json.loads(reply)["stored"] == 1:
                learner.acked.append(answered)
            else:
                learner.failures[status] = learner.failures.get(status, 0) + 1
    finally:
        conn.close()


async def watch_board(
    port: int, code: str, key: str, learners: dict[str, Learner], stop: asyncio.Event
) -> tuple[list[float], list[float]]:
    """Polls the board; for each outcome, the delay from its acknowledgement to being seen."""
    conn = await Connection(port).open()
    headers = {"Authorization": f"Bearer {key}"}
    lags: list[float] = []
    reads: list[float] = []
    try:
        while not stop.is_set():
            asked = time.perf_counter()
            status, body = await conn.request("GET", f"/c/{code}/board/data", headers)
            now = time.perf_counter()
            reads.append(now - asked)
            assert status == 200, status
            for row in json.loads(body)["learners"]:
                learner = learners[row["name"]]
                for index in range(learner.seen, min(row["checks"], len(learner.acked))):
                    # Stored before it was acknowledged: a read that began earlier may count
                    # it before the acknowledgement arrives, so the lag is at least zero.
                    lags.append(max(0.0, now - learner.acked[index]))
                learner.seen = max(learner.seen, min(row["checks"], len(learner.acked)))
            with contextlib.suppress(TimeoutError):
                pause = max(0.0, PAGE_POLL - (time.perf_counter() - asked))
                await asyncio.wait_for(stop.wait(), pause)
        conn.close()
        conn = await Connection(port).open()  # the count at the end, on a fresh connection
        status, body = await conn.request("GET", f"/c/{code}/board/data", headers)
        final = {row["name"]: row["checks"] for row in json.loads(body)["learners"]}
        for name, learner in learners.items():
            learner.seen = final.get(name, 0)
    finally:
        conn.close()
    return lags, reads


async def run(port: int, code: str, key: str, count: int, seconds: int) -> dict[str, object]:
    learners = {f"learner-{i:02d}": Learner(f"learner-{i:02d}") for i in range(count)}
    await asyncio.gather(*(join(port, code, learner) for learner in learners.values()))
    stop = asyncio.Event()
    watcher = asyncio.create_task(watch_board(port, code, key, learners, stop))
    start = time.perf_counter() + 0.5
    await asyncio.gather(
        *(
            send_checks(port, code, learner, start, index / count, seconds)
            for index, learner in enumerate(learners.values())
        )
    )
    stop.set()
    lags, reads = await watcher
    failures: dict[int, int] = {}
    for learner in learners.values():
        for status, n in learner.failures.items():
            failures[status] = failures.get(status, 0) + n
    return {
        "sent": sum(len(learner.latencies) for learner in learners.values()),
        "acked": sum(len(learner.acked) for learner in learners.values()),
        "on_board": sum(learner.seen for learner in learners.values()),
        "failures": failures,
        "reconnects": [x for learner in learners.values() for x in learner.reconnects],
        "latencies": [x for learner in learners.values() for x in learner.latencies],
        "lags": lags,
        "reads": reads,
    }


def record_cost(link: str | None, folder: Path, rounds: int = 2000) -> float:
    """Microseconds per ``record()``, in a fresh interpreter with its own working folder."""
    env = {**os.environ, "WORKBOOK_DIR": str(folder)}
    env.pop("WORKBOOK_CLASSROOM", None)
    if link:
        env.update(WORKBOOK_CLASSROOM=link, WORKBOOK_NAME="record-cost")
    script = f"""
import time
from support.progress import record
class Feedback:
    status, message, exercise_id, code = "incorrect", "", "update", "sets-every-field"
record(Feedback(), notebook="04")
time.sleep(0.5)  # the sender's thread started and joined: measure the steady state
start = time.perf_counter()
for _ in range({rounds}):
    record(Feedback(), notebook="04")
print((time.perf_counter() - start) / {rounds} * 1e6)
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip())


def _reconnects(idle: list[float]) -> str:
    if not idle:
        return "none"
    return f"{len(idle)} (resent on a new one; idle {min(idle):.1f}-{max(idle):.1f} s before)"


def quantile(samples: list[float], q: int) -> float:
    if len(samples) < 2:
        return 0.0
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=60, choices=range(1, 201), metavar="N")
    parser.add_argument("--seconds", type=int, default=60, choices=range(1, 601), metavar="S")
    parser.add_argument(
        "--database-url", help="default: a new SQLite file; a PostgreSQL one is wiped first"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="workbook-classroom-bench-") as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{(Path(tmp) / 'bench.sqlite3').as_posix()}"
        if args.database_url:
            wipe = [sys.executable, "-m", "classroom", "--wipe", "--yes"]
            subprocess.run(wipe, cwd=ROOT, env={**os.environ, "DATABASE_URL": url}, check=True)
        port = free_port()
        log = Path(os.environ.get("CLASSROOM_BENCH_LOG") or Path(tmp) / "classroom.log")
        server, code, key = serve(port, url, log)
        try:
            figures = asyncio.run(run(port, code, key, args.learners, args.seconds))
            alone = record_cost(None, Path(tmp) / "alone")
            joined = record_cost(f"http://{HOST}:{port}/c/{code}", Path(tmp) / "joined")
        finally:
            server.terminate()
            server.wait(10)
            errors = log.read_text("utf-8", "replace").split("--wipe\n", 1)[-1].strip()

    lags, reads, latencies = figures["lags"], figures["reads"], figures["latencies"]
    lost = figures["acked"] - figures["on_board"]
    worst_lag = max(lags, default=0.0)
    p50, p99 = quantile(latencies, 50), quantile(latencies, 99)
    rows = [
        ("outcomes sent", f"{figures['sent']}"),
        ("acknowledged as stored", f"{figures['acked']}"),
        ("on the board at the end", f"{figures['on_board']}  (lost: {lost})"),
        ("refused", f"{figures['failures'] or 'none'}"),
        ("connections closed by the server", _reconnects(figures["reconnects"])),
        (
            "POST outcome p50 / p99 / max",
            f"{p50:.1f} / {p99:.1f} / {max(latencies) * 1000:.1f} ms  (target: p99 < 50 ms)",
        ),
        (
            "stored -> on the page",
            f"p50 {quantile(lags, 50):.0f} ms, p99 {quantile(lags, 99):.0f} ms, max "
            f"{worst_lag * 1000:.0f} ms  (polling every {PAGE_POLL:.0f} s; target: 2 s)",
        ),
        ("board JSON read p50 / p99", f"{quantile(reads, 50):.1f} / {quantile(reads, 99):.1f} ms"),
        ("record() per check", f"{alone:.0f} µs alone, {joined:.0f} µs joined"),
    ]
    print(
        f"classroom: {args.learners} learners x 1 outcome/s for {args.seconds} s, one uvicorn "
        f"process, {url.split(':', 1)[0]}, loopback"
    )
    for label, value in rows:
        print(f"  {label:34}{value}")
    if errors:
        print("the classroom logged:\n" + errors[-3000:])
    return 0 if lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
