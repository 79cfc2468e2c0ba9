"""/report and /forgetme on Discord, end to end: the real discord.py bot against the fake Discord on
127.0.0.1, a real course in tmp_path, real SQLite (scanned afterwards for a forgotten student's id)."""

from __future__ import annotations

import asyncio

import pytest

from bot.adapters.discord.app import build_bot
from bot.adapters.discord.teacher_cog import REFUSAL
from bot.config import DiscordSettings, Settings
from bot.core.answering import Engine
from bot.core.clock import FakeClock
from bot.core.forgetme import CANCELLED, NOT_YOURS
from bot.core.knowledge import load_course
from bot.core.models import TriviaRound
from bot.core.store import Scoring
from bot.store import open_store
from tests.adapters.discord.test_discord_trivia import (
    EPHEMERAL,
    MONDAY_MORNING,
    ROLE_TEACHER,
    STUDENT_A,
    STUDENT_B,
    TEACHER,
    ClassroomDiscord,
    reply_to,
)
from tests.databases import sqlite_rows_mentioning as rows_mentioning
from tests.fakes.discord_server import GUILD_ID, restore_discord_endpoints  # noqa: F401 (autouse fixture)
from tests.fakes.slack_course import write_course

PNG = b"\x89PNG\r\n\x1a\n"
GAP = "How much fuel did the lunar module carry?"


@pytest.fixture
async def fake():
    fake = await ClassroomDiscord().start()
    yield fake
    await fake.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY_MORNING)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "classbot.db"


@pytest.fixture
async def started(fake, clock, db_path, tmp_path):
    """A bot on the Moon course (with trivia), recording who asked what the course does not cover."""
    store = await open_store(db_path, clock=clock)
    engine = Engine(load_course(write_course(tmp_path)))
    settings = Settings(
        knowledge_path=tmp_path / "moon",
        database_path=db_path,
        ask_cooldown_seconds=0,
        record_asker_ids=True,
        discord=DiscordSettings(token=fake.token, api_base=fake.api_base, gateway_url=fake.gateway_url,
                                guild_ids=(GUILD_ID,), teacher_role="Teachers"),
    )
    bot = build_bot(settings, engine, store, clock=clock, guild_ready_timeout=0.01)
    await bot.login(fake.token)
    task = asyncio.create_task(bot.connect())
    await asyncio.wait_for(bot.wait_until_ready(), 5)
    yield bot, store
    await bot.close()
    await asyncio.wait_for(task, 5)
    await store.close()


def message_with(fake, prefix: str) -> dict:
    """The latest message the bot posted with a button whose custom_id starts with ``prefix``."""
    for msg in reversed(list(fake.messages.values())):
        if any(c["custom_id"].startswith(prefix) for row in msg.get("components", []) for c in row["components"]):
            return msg
    raise AssertionError(f"no message with a {prefix} button")


async def ask(fake, question: str, user_id: int) -> dict:
    return await reply_to(fake, await fake.command("ask", options={"question": question}, user_id=user_id))


async def a_week_of_class(fake, store, clock) -> None:
    """Two students ask (one question the course lacks), one votes an answer not helpful, and a trivia
    round of the day gets one right and one wrong answer; then a minute passes."""
    await ask(fake, "who walked on the moon first", STUDENT_A)
    await ask(fake, GAP, STUDENT_B)
    answer = message_with(fake, "cb:fb:0:")
    vote = await reply_to(fake, await fake.click(answer, "cb:fb:0:first-on-moon", user_id=STUDENT_A))
    assert vote["flags"] & EPHEMERAL
    posted = MONDAY_MORNING.timestamp()
    r = await store.create_round("discord", TriviaRound(None, str(GUILD_ID), "1", "collins-orbit", "2026-01-05",
                                                        posted, posted + 3600))
    await store.mark_round_posted(r.id, "m1")
    assert await store.record_answer(r.id, str(STUDENT_A), "Michael Collins", True, now=posted + 60) == "recorded"
    assert await store.record_answer(r.id, str(STUDENT_B), "Buzz Aldrin", False, now=posted + 60) == "recorded"
    await store.reveal_round(r.id, Scoring())
    clock.advance(minutes=1)


async def test_a_teacher_gets_the_report_privately_with_the_weeks_numbers_and_the_chart_attached(fake, started, clock):
    bot, store = started
    synced = fake.matching("PUT", rf"/applications/\d+/guilds/{GUILD_ID}/commands")[-1].json
    assert {"report", "forgetme"} <= {c["name"] for c in synced}
    await a_week_of_class(fake, store, clock)

    iid = await fake.command("report", options={"weeks": 3}, user_id=TEACHER)
    assert (await fake.wait_for_callback(iid))["data"]["flags"] & EPHEMERAL  # deferred privately
    followup = await fake.wait_for_request("POST", rf"/webhooks/\d+/itoken{iid}")
    payload = followup.json
    assert payload["flags"] & EPHEMERAL and payload["allowed_mentions"]["parse"] == []
    [embed] = payload["embeds"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert "The Moon landing" in embed["title"]
    assert "**2** question(s) asked this week, 1 not covered by the course" in embed["description"]
    assert fields["Questions per unit (this week)"] == "The landing: **1**"
    assert fields["Top unanswered questions (every server using this course)"] == f"`1×` {GAP}"
    assert fields["Answers voted not helpful (this week)"] == "`1×` 👎 (0 👍) Who was the first person to walk on the Moon?"
    assert fields["Trivia (this week)"] == "1 round(s), 2 answer(s) from 2 student(s), 50% right"
    assert fields["Hardest trivia items (last 3 weeks)"] == "`50%` right (1/2) Which astronaut stayed in orbit in Columbia?"
    assert embed["image"]["url"] == "attachment://report.png"
    [chart] = followup.files
    assert chart.filename == "report.png" and chart.data.startswith(PNG) and len(chart.data) > 5000
    assert payload["attachments"][0]["filename"] == "report.png"


async def test_a_member_with_the_teacher_role_gets_the_report_too(fake, started):
    iid = await fake.command("report", user_id=ROLE_TEACHER)
    followup = await fake.wait_for_request("POST", rf"/webhooks/\d+/itoken{iid}")
    assert followup.json["flags"] & EPHEMERAL and "Class report" in followup.json["embeds"][0]["title"]
    assert followup.files[0].data.startswith(PNG)


async def test_a_student_is_refused_the_report_and_nothing_is_drawn_or_sent(fake, started, clock):
    bot, store = started
    await a_week_of_class(fake, store, clock)
    reply = await reply_to(fake, await fake.command("report", user_id=STUDENT_A))
    assert reply["content"] == REFUSAL and reply["flags"] & EPHEMERAL
    assert "embeds" not in reply or not reply["embeds"]
    assert not [r for r in fake.requests if r.files]


async def test_forgetme_shows_the_counts_and_only_the_students_own_click_deletes_everything(fake, started, db_path, clock):
    bot, store = started
    await a_week_of_class(fake, store, clock)
    await ask(fake, GAP, STUDENT_A)  # the student's own unanswered question, recorded with their id
    me, other = str(STUDENT_A), str(STUDENT_B)
    before_other = rows_mentioning(db_path, other)
    assert rows_mentioning(db_path, me) and before_other

    shown = await reply_to(fake, await fake.command("forgetme", user_id=STUDENT_A))
    assert shown["flags"] & EPHEMERAL
    assert "- 1 trivia answer\n" in shown["content"] and "- 1 Helpful/Not helpful vote\n" in shown["content"]
    assert "- 1 question you asked that the course did not cover" in shown["content"]
    assert "points, streak" in shown["content"] and "cannot be undone" in shown["content"]
    confirmation = message_with(fake, f"cb:fm:y:{me}")
    assert [c["custom_id"] for c in confirmation["components"][0]["components"]] == [f"cb:fm:y:{me}", f"cb:fm:n:{me}"]

    forged = await reply_to(fake, await fake.click(confirmation, f"cb:fm:y:{me}", user_id=STUDENT_B))
    assert forged["content"] == NOT_YOURS and forged["flags"] & EPHEMERAL
    assert rows_mentioning(db_path, me) and rows_mentioning(db_path, other) == before_other

    iid = await fake.click(confirmation, f"cb:fm:y:{me}", user_id=STUDENT_A)
    done = await fake.wait_for_callback(iid)
    assert done["type"] == 7  # the confirmation itself is replaced, its buttons gone
    assert done["data"]["content"].startswith("Done: your data in this server is deleted")
    assert done["data"]["components"] == []
    assert rows_mentioning(db_path, me) == {}
    assert rows_mentioning(db_path, other) == before_other
    data = await store.export_user("discord", other, str(GUILD_ID))
    assert len(data.answers) == 1 and data.questions  # the other student's answer and question stay

    again = await reply_to(fake, await fake.command("forgetme", user_id=STUDENT_A))
    assert "nothing to delete" in again["content"] and not again.get("components")


async def test_forgetme_cancel_keeps_everything(fake, started, db_path, clock):
    bot, store = started
    await a_week_of_class(fake, store, clock)
    me = str(STUDENT_A)
    before = rows_mentioning(db_path, me)
    await reply_to(fake, await fake.command("forgetme", user_id=STUDENT_A))
    confirmation = message_with(fake, f"cb:fm:n:{me}")
    forged = await reply_to(fake, await fake.click(confirmation, f"cb:fm:n:{me}", user_id=STUDENT_B))
    assert forged["content"] == NOT_YOURS
    done = await fake.wait_for_callback(await fake.click(confirmation, f"cb:fm:n:{me}", user_id=STUDENT_A))
    assert done["type"] == 7 and done["data"]["content"] == CANCELLED
    assert before and rows_mentioning(db_path, me) == before
