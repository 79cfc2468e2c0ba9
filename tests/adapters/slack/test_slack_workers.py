"""Two `classbot run slack` workers in HTTP mode on one db, as behind a load balancer.

- The same Events API event delivered to both workers, and again with X-Slack-Retry-Num, is answered once.
- Trivia runs in one worker at a time (the scheduler lease); killing that worker (SIGKILL, so it
  cannot release the lease) moves trivia posting to the other once the lease expires.
- Both on SQLite and on PostgreSQL (the `db` fixture, tests/databases.py): one database shared by the workers.

Time: trivia reads CLASSBOT_TEST_CLOCK_FILE (a test hook); the lease runs on real time, kept short
here (CLASSBOT_SCHEDULER_LEASE_SECONDS). Nothing is asserted about how long anything took: the
test polls for each outcome with a generous timeout.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
import time
from pathlib import Path

import aiohttp

from tests.databases import Database
from tests.fakes.slack_course import write_course
from tests.fakes.slack_server import APP_ID, BOT_USER_ID, TEAM_ID, ApiCall, FakeSlack, sign
from tests.pg import pg_dsn  # noqa: F401

REPO = Path(__file__).resolve().parents[3]
SECRET = "s3cret"
TICK = 0.3
LEASE = 2.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Worker:
    """One `classbot run slack` HTTP worker, as a subprocess logging to a file."""

    def __init__(self, slack: FakeSlack, tmp_path: Path, name: str, db: Database):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/slack/events"
        self.log = tmp_path / f"{name}.log"
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CLASSBOT_", "TRIVIA_"))}
        self.env = {
            **clean,
            "PYTHONPATH": str(REPO),
            "SLACK_BOT_TOKEN": slack.bot_token,
            "SLACK_API_URL": slack.api_url,
            "SLACK_MODE": "http",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_HOST": "127.0.0.1",
            "SLACK_PORT": str(self.port),
            **db.env(),
            "CLASSBOT_KNOWLEDGE": str(tmp_path / "courses" / "moon"),
            "CLASSBOT_ASK_COOLDOWN": "0",
            "CLASSBOT_COURSE_WATCH_SECONDS": "0",
            "CLASSBOT_SCHEDULER_TICK_SECONDS": str(TICK),
            "CLASSBOT_SCHEDULER_LEASE_SECONDS": str(LEASE),
            "CLASSBOT_TEST_CLOCK_FILE": str(tmp_path / "clock"),
        }
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> Worker:
        with self.log.open("ab") as err:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", "slack", env=self.env, cwd=self.log.parent,
                stdout=asyncio.subprocess.DEVNULL, stderr=err,
            )  # fmt: skip
        for _ in range(300):  # until it listens (a bare TCP connect: no request is sent)
            assert self.proc.returncode is None, self.log.read_text()
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.close()
                return self
            except OSError:
                await asyncio.sleep(0.1)
        raise AssertionError("the worker did not start listening")

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), 20)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()


def mention(event_id: str, question: str) -> str:
    ts = f"{int(time.time())}.{abs(hash(event_id)) % 1000000:06d}"
    return json.dumps({
        "token": "verification-token", "team_id": TEAM_ID, "api_app_id": APP_ID, "type": "event_callback",
        "event_id": event_id, "event_time": int(time.time()),
        "event": {"type": "app_mention", "user": "U1", "text": f"<@{BOT_USER_ID}> {question}", "ts": ts,
                  "channel": "C1", "event_ts": ts},
        "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
    })  # fmt: skip


async def deliver(worker: Worker, body: str, retry: int | None = None) -> int:
    headers = {"Content-Type": "application/json", **sign(SECRET, body)}
    if retry is not None:
        headers["X-Slack-Retry-Num"] = str(retry)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    async with aiohttp.ClientSession() as http, http.post(worker.url, data=body, headers=headers) as resp:
        return resp.status


def answers(slack: FakeSlack, words: str) -> list[ApiCall]:
    return slack.find("chat.postMessage", lambda c: words in c.all_text() and not is_trivia(c))


def is_trivia(call: ApiCall) -> bool:
    return any(str(b.get("action_id", "")).startswith("trivia_choice") for b in call.buttons())


async def until(condition, timeout: float, what: str) -> None:
    async def wait() -> None:
        while not condition():
            await asyncio.sleep(0.1)

    try:
        await asyncio.wait_for(wait(), timeout)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None


async def two_workers(slack: FakeSlack, tmp_path: Path, db: Database) -> tuple[Worker, Worker]:
    write_course(tmp_path / "courses")
    async with db.open() as store:
        await store.set_trivia_config("slack", TEAM_ID, "C1", "09:00", "UTC")
    (tmp_path / "clock").write_text("2026-01-05T08:00:00+00:00")  # no trivia due yet
    return await Worker(slack, tmp_path, "a", db).start(), await Worker(slack, tmp_path, "b", db).start()


async def test_an_event_delivered_to_two_workers_and_retried_is_answered_once(tmp_path, db):
    async with FakeSlack() as slack:
        a, b = await two_workers(slack, tmp_path, db)
        try:
            first = mention("Ev0001", "who walked on the moon first")
            # the same delivery reaching both workers at once, then Slack's retries to each
            assert await asyncio.gather(deliver(a, first), deliver(b, first)) == [200, 200]
            await until(lambda: answers(slack, "Neil Armstrong"), 30, "the answer")
            assert [await deliver(b, first, retry=1), await deliver(a, first, retry=2)] == [200, 200]
            # later events to both workers are answered: they have handled everything before them
            await deliver(a, mention("Ev0002", "who stayed in orbit"))
            await deliver(b, mention("Ev0003", "who flew columbia"))
            await until(lambda: len(answers(slack, "Michael Collins")) == 2, 30, "the later answers")
            assert len(answers(slack, "Neil Armstrong")) == 1
        finally:
            await a.stop()
            await b.stop()
    for w in (a, b):
        assert "Traceback" not in w.log.read_text()


async def trivia_claims(db: Database) -> list[tuple[str, str]]:
    return [(d, h) for d, h in await db.rows("SELECT day, holder FROM trivia_claims ORDER BY day")]


async def test_killing_the_worker_that_runs_trivia_moves_trivia_to_the_other(tmp_path, db):
    async with FakeSlack() as slack:
        a, b = await two_workers(slack, tmp_path, db)
        try:
            (tmp_path / "clock").write_text("2026-01-05T09:00:30+00:00")
            await until(lambda: len(slack.find("chat.postMessage", is_trivia)) == 1, 30, "Monday's trivia")
            (holder_day1,) = [h for _, h in await trivia_claims(db)]
            runner, other = (a, b) if f":{a.proc.pid}:" in holder_day1 else (b, a)
            assert f":{runner.proc.pid}:" in holder_day1
            runner.proc.send_signal(signal.SIGKILL)  # no clean shutdown: its lease must expire
            await runner.proc.wait()
            (tmp_path / "clock").write_text("2026-01-06T09:00:30+00:00")
            await until(lambda: len(slack.find("chat.postMessage", is_trivia)) == 2, 60, "Tuesday's trivia")
            claims = await trivia_claims(db)
            assert [d for d, _ in claims] == ["2026-01-05", "2026-01-06"]
            assert f":{other.proc.pid}:" in claims[1][1]  # the survivor posted it
            assert "took the trivia-scheduler lease" in other.log.read_text()
        finally:
            await a.stop()
            await b.stop()
    assert len(slack.find("chat.postMessage", is_trivia)) == 2


async def test_an_event_is_acted_on_when_the_store_cannot_say_whether_it_was_seen():
    from bot.adapters.slack.http import is_repeat
    from bot.core.errors import StoreError

    async def broken(event_id: str) -> bool:
        raise StoreError("database is locked")

    async def seen(event_id: str) -> bool:
        return False

    body = mention("Ev9", "who walked on the moon first").encode()
    assert not await is_repeat(body, "1", broken)  # answered twice at worst, never lost
    assert await is_repeat(body, "1", seen)
    assert not await is_repeat(b"command=%2Fask&text=hi", None, seen)  # slash commands carry no event_id
