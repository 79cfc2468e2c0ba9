"""Retention runs in every bot run, with or without trivia: at start-up (before the bot serves anyone)
and then once a day (bot.core.housekeeping), on Discord (in process, against the fake Discord) and on
Slack (`python -m bot run slack` as a subprocess, against the fake Slack)."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from datetime import UTC, datetime

from bot.adapters.discord.app import build_bot
from bot.config import DiscordSettings, Settings
from bot.core.answering import Engine
from bot.core.clock import FakeClock
from bot.core.housekeeping import Housekeeping
from bot.core.knowledge import load_course
from bot.store import open_store
from tests.adapters.slack.test_slack_cli import _env, _finish, _start
from tests.fakes import write_course
from tests.fakes.discord_server import GUILD_ID, FakeDiscord, restore_discord_endpoints  # noqa: F401 (autouse)
from tests.fakes.slack_server import FakeSlack

COURSE = "solar-system"  # tests.fakes.write_course: no trivia items


async def old_and_new_questions(store, clock: FakeClock) -> None:
    await store.record_unanswered("discord", COURSE, "g", "c", "an old question", None)
    await store.record_feedback("discord", "g", "c", "u1", "an old vote", None, False, message_id="m1")
    clock.advance(days=40)
    await store.record_unanswered("discord", COURSE, "g", "c", "a new question", None)


async def test_a_discord_bot_whose_course_has_no_trivia_runs_retention_at_start_up(tmp_path):
    course = load_course(write_course(tmp_path / "solar"))
    assert not course.trivia_items
    clock = FakeClock(datetime(2026, 1, 5, 7, 0, tzinfo=UTC))
    fake = await FakeDiscord().start()
    store = await open_store(tmp_path / "classbot.db", clock=clock)
    try:
        await old_and_new_questions(store, clock)
        settings = Settings(knowledge_path=tmp_path / "solar", database_path=tmp_path / "classbot.db", retention_days=30,
                            discord=DiscordSettings(token=fake.token, api_base=fake.api_base,
                                                    gateway_url=fake.gateway_url, guild_ids=(GUILD_ID,)))
        bot = build_bot(settings, Engine(course), store, clock=clock, guild_ready_timeout=0.01)
        await bot.login(fake.token)
        task = asyncio.create_task(bot.connect())
        try:
            await asyncio.wait_for(bot.wait_until_ready(), 5)
            assert bot.get_cog("Trivia").scheduler is None  # no trivia: the scheduler does not exist
            kept = [q.question for q in await store.list_unanswered(COURSE)]
            votes = await store.feedback_counts()
        finally:
            await bot.close()
            await asyncio.wait_for(task, 5)
    finally:
        await store.close()
        await fake.close()
    assert kept == ["a new question"]
    assert votes == []


async def test_a_slack_bot_whose_course_has_no_trivia_runs_retention_at_start_up(tmp_path):
    db = tmp_path / "classbot.db"
    clock = FakeClock(datetime(2020, 1, 1, tzinfo=UTC))  # years before any run of this test
    async with open_store(db, clock=clock) as store:
        await store.record_unanswered("slack", COURSE, "T1", "C1", "an old question", None)
    async with open_store(db) as store:  # the system clock: asked just now
        await store.record_unanswered("slack", COURSE, "T1", "C1", "a new question", None)

    async with FakeSlack() as slack:
        env = _env(slack, tmp_path, CLASSBOT_KNOWLEDGE=str(write_course(tmp_path / "solar")), CLASSBOT_RETENTION_DAYS="30")
        proc = await _start(env, tmp_path)
        try:
            await slack.wait_for_connections(1, timeout=20)  # retention ran before the bot connected
            since = slack.mark()
            slack.slash_command("/ask", "Which is the largest planet?")
            assert "Jupiter" in (await slack.wait_for("response_url", since=since)).all_text()
            kept = [q for (q,) in sqlite3.connect(db).execute("SELECT question FROM unanswered ORDER BY question")]
        finally:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
            code, err = await _finish(proc)
    assert code == 0, err
    assert kept == ["a new question"]
    assert "retention (30 days): deleted 1 unanswered question(s)" in err


async def test_housekeeping_runs_once_a_day_and_zero_days_keeps_everything(tmp_path):
    clock = FakeClock(datetime(2026, 1, 5, 7, 0, tzinfo=UTC))
    async with open_store(tmp_path / "classbot.db", clock=clock) as store:
        await old_and_new_questions(store, clock)
        keep = Housekeeping(store, 0, clock, interval=0)
        await keep.start()
        assert len(await store.list_unanswered(COURSE)) == 2
        job = Housekeeping(store, 30, clock, interval=0)
        await job.start()
        assert [q.question for q in await store.list_unanswered(COURSE)] == ["a new question"]
        clock.advance(hours=1)
        assert await job.run_once() is None  # the same UTC day: not again
        clock.advance(days=1)
        assert await job.run_once() is not None
        await job.stop()
