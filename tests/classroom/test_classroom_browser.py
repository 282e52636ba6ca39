"""The instructor's page in a real browser: Debian's chromium driven by Playwright, against a
real `python -m classroom`, with a class of simulated learners posting over HTTP.

Without /usr/bin/chromium this module is skipped, with the reason; with REQUIRE_BROWSER=1 (CI)
it fails instead. Playwright never downloads a browser here. CLASSROOM_SCREENSHOT=path.png
keeps a screenshot of the board.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from classroom.course import EXERCISES

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EVIL = '<img src=x onerror="window.__pwned=1">'
LEARNERS = [
    "Ada Lovelace", "Bo Zhang", "Chen Wei", "Dara Okafor", "Emeka Obi", "Fatima Zahra",
    "Grace Hopper", "Hiro Tanaka", "Inès Moreau", "Jonas Berg", "Kofi Mensah", EVIL,
]  # fmt: skip
# Where each learner is: how many exercises done, then the one they are on (tried, attempts).
PROGRESS = [9, 4, 12, 3, 9, 16, 20, 1, 9, 6, 3, 0]
DIAGNOSES = {
    "00/health": ["wrong-body", "returns-string"],
    "01/get_db": ["commit-before-yield", "no-rollback"],
    "01/make_sessionmaker": ["expire-on-commit"],
    "01/transfer": ["not-atomic", "no-check-constraint"],
    "02/define_note": ["no-foreign-key"],
    "02/change_email": ["lazy-load-after-commit"],
    "03/password_ok": ["counts-characters"],
    "03/UserResponse": ["leaks-password-hash"],
    "03/ItemUpdate": ["required-fields"],
    "04/update": ["sets-every-field", "exclude-unset-missing"],
    "04/list_items": ["no-order-by", "unbounded-limit"],
}


def require_browser() -> Any:
    reason = None
    if not CHROMIUM.exists():
        reason = f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    else:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            reason = "the playwright package is not installed (pip install playwright)"
    if reason is not None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}; REQUIRE_BROWSER=1 makes a missing browser a failure")
        pytest.skip(reason)
    return sync_playwright


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_playwright = require_browser()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    opened = context.new_page()
    problems: list[str] = []
    opened.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    opened.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    opened.problems = problems
    yield opened
    context.close()


class Learner:
    def __init__(self, client: httpx.Client, code: str, name: str) -> None:
        self.client, self.code, self.name = client, code, name
        reply = client.post(f"/c/{code}/learners", json={"name": name})
        reply.raise_for_status()
        self.token = reply.json()["token"]

    def check(self, key: str, status: str, code: str = "") -> None:
        notebook, exercise = key.split("/")
        outcome = {
            "id": secrets.token_hex(16),
            "notebook": notebook,
            "exercise": exercise,
            "status": status,
            "code": code,
        }
        reply = self.client.post(
            f"/c/{self.code}/outcomes",
            json={"outcomes": [outcome]},
            headers={"Authorization": f"Bearer {self.token}"},
        )
        reply.raise_for_status()


KEYS = [f"{notebook}/{ident}" for notebook, ident, _ in EXERCISES]


def simulate_class(served: Any) -> dict[str, Learner]:
    """Twelve learners at different points of the course, as their checks would put them."""
    client = httpx.Client(base_url=served.base_url, timeout=10)
    learners = {}
    for index, (name, done) in enumerate(zip(LEARNERS, PROGRESS, strict=True)):
        learner = learners[name] = Learner(client, served.code, name)
        for key in KEYS[:done]:
            if (index + len(key)) % 3 == 0:  # some got it wrong first
                learner.check(key, "incorrect", DIAGNOSES.get(key, ["wrong-answer"])[0])
            learner.check(key, "correct")
        current = KEYS[done]
        learner.check(current, "not attempted")
        diagnoses = DIAGNOSES.get(current, ["wrong-answer"])
        for attempt in range(1 + index % 3):
            learner.check(current, "incorrect", diagnoses[(index + attempt) % len(diagnoses)])
        if index % 5 == 1 and done + 1 < len(
            KEYS
        ):  # ran ahead to the next exercise's check, on the untouched stub
            learner.check(KEYS[done + 1], "not attempted")
    return learners


def age_the_class(database: Path) -> None:
    """Move each learner's checks back in time, as if the workshop had run for an hour."""
    stored = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy keeps a datetime in SQLite
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT learner_id, exercise_key, first_at, last_at FROM cells")
        for learner_id, key, first_at, last_at in rows.fetchall():
            minutes = (learner_id * 7) % 41 + 2
            first = datetime.strptime(first_at, stored) - timedelta(minutes=minutes)
            last = datetime.strptime(last_at, stored) - timedelta(minutes=minutes // 2)
            connection.execute(
                "UPDATE cells SET first_at = ?, last_at = ?"
                " WHERE learner_id = ? AND exercise_key = ?",
                (first.strftime(stored), last.strftime(stored), learner_id, key),
            )


def cell(page: Any, name: str, key: str) -> Any:
    return page.locator(f'td[data-learner="{name}"][data-exercise="{key}"]')


def test_the_board_shows_the_class_and_updates_without_reload(page, serve_classroom, tmp_path):
    served = serve_classroom()
    learners = simulate_class(served)
    age_the_class(tmp_path / "served.sqlite3")

    page.goto(served.board_url)
    page.locator("#grid tbody tr").nth(len(LEARNERS) - 1).wait_for(timeout=10_000)
    assert page.locator("#grid tbody tr").count() == len(LEARNERS)
    assert page.locator("#grid thead th.exercise").count() == len(KEYS)
    assert cell(page, "Grace Hopper", "00/health").get_attribute("data-state") == "done"
    assert cell(page, "Hiro Tanaka", KEYS[1]).get_attribute("data-state") == "tried"
    assert cell(page, "Hiro Tanaka", KEYS[5]).get_attribute("data-state") == "none"
    # Stuck: each learner whose latest check failed (not those who ran ahead to a stub), at most
    # the ten stuck longest.
    ran_ahead = [i % 5 == 1 and done + 1 < len(KEYS) for i, done in enumerate(PROGRESS)]
    assert page.locator("#stuck li").count() == min(10, ran_ahead.count(False))
    assert "#key=" not in page.url  # taken off the address bar, which may be projected

    # Markup in a name is shown as text, and nothing it says runs.
    assert page.locator("#grid th.name", has_text=EVIL).count() == 1
    assert page.locator("#grid img, #stuck img").count() == 0
    assert page.evaluate("window.__pwned") is None

    if os.environ.get("CLASSROOM_SCREENSHOT"):
        page.wait_for_timeout(1200)  # one more poll, so "updated" is fresh
        page.screenshot(path=os.environ["CLASSROOM_SCREENSHOT"], full_page=True)

    # A check and a join, and the page follows by itself: same document, no reload.
    page.evaluate("window.__same_document = true")
    target = cell(page, "Bo Zhang", KEYS[4])
    assert target.get_attribute("data-state") == "tried"
    start = time.monotonic()
    learners["Bo Zhang"].check(KEYS[4], "correct")
    page.locator(
        f'td[data-learner="Bo Zhang"][data-exercise="{KEYS[4]}"][data-state="done"]'
    ).wait_for(timeout=5_000)
    print(f"the page showed the check {time.monotonic() - start:.2f} s after it was stored")
    Learner(learners["Ada Lovelace"].client, served.code, "Latecomer").check(KEYS[0], "incorrect")
    cell(page, "Latecomer", KEYS[0]).wait_for(timeout=5_000)
    assert page.evaluate("window.__same_document") is True
    assert page.problems == []


def test_the_board_without_the_key_shows_no_one(page, serve_classroom):
    served = serve_classroom()
    simulate_class(served)
    page.goto(f"{served.base_url}/c/{served.code}/board")
    page.locator("#problem").wait_for(timeout=10_000)
    assert "instructor's key" in page.locator("#problem").text_content()
    assert page.locator("#grid tbody tr").count() == 0
    assert "Ada" not in page.content()
