"""/report and /forgetme on Slack, end to end: the real slack-bolt / slack-sdk against the fake Slack on
127.0.0.1 (Socket Mode, the response_url, conversations.open and the files_upload_v2 steps), a real
course in tmp_path, real SQLite (scanned afterwards for a forgotten student's id)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.adapters.slack.app import SlackBot, load_runtime
from bot.adapters.slack.teacher import CHART_COMING, REFUSAL
from bot.config import Settings, SlackSettings
from bot.core.clock import FakeClock
from bot.core.forgetme import CANCELLED, NOT_YOURS
from bot.core.models import TriviaRound
from bot.core.store import Scoring
from bot.store import open_store
from tests.databases import sqlite_rows_mentioning as rows_mentioning
from tests.fakes.slack_course import write_course
from tests.fakes.slack_server import TEAM_ID, FakeSlack

PNG = b"\x89PNG\r\n\x1a\n"
GAP = "How much fuel did the lunar module carry?"
MONDAY_MORNING = datetime(2026, 1, 5, 7, 0, tzinfo=UTC)


@pytest.fixture
async def slack():
    async with FakeSlack() as fake:
        fake.add_user("U1", name="student")
        fake.add_user("U2", name="another")
        fake.add_user("UADMIN", is_admin=True)
        yield fake


@pytest.fixture
def clock():
    return FakeClock(MONDAY_MORNING)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "classbot.db"


@pytest.fixture
async def store(db_path, clock):
    s = await open_store(db_path, clock=clock)
    yield s
    await s.close()


@pytest.fixture
async def bot(slack, store, tmp_path, db_path, clock):
    settings = Settings(
        knowledge_path=write_course(tmp_path / "courses"),
        database_path=db_path,
        platform="slack",
        ask_cooldown_seconds=0,
        record_asker_ids=True,
        course_watch_seconds=0,
        slack=SlackSettings(bot_token=slack.bot_token, app_token=slack.app_token, api_url=slack.api_url),
    )
    b = SlackBot(await load_runtime(settings, store, clock=clock))
    await b.start_socket_mode()
    await slack.wait_for_connections(1)
    yield b
    await b.close()


async def command(slack: FakeSlack, name: str, text: str, user: str = "U1", channel: str = "C1"):
    since = slack.mark()
    slack.slash_command(name, text, user=user, channel=channel)
    return await slack.wait_for("response_url", since=since)


async def click(slack: FakeSlack, message, action_id: str, user: str):
    since = slack.mark()
    slack.click(message, action_id, user=user)
    return await slack.wait_for("response_url", since=since)


async def a_week_of_class(slack, store, clock) -> None:
    """Two students ask (one question the course lacks), one votes an answer not helpful, and a trivia
    round of the day gets one right and one wrong answer; then a minute passes."""
    answer = await command(slack, "/ask", "who walked on the moon first", user="U1")
    await command(slack, "/ask", GAP, user="U2")
    thanks = await click(slack, answer, "feedback_unhelpful", user="U1")
    assert "your teacher will see it" in thanks.text
    posted = MONDAY_MORNING.timestamp()
    r = await store.create_round("slack", TriviaRound(None, TEAM_ID, "C1", "collins-orbit", "2026-01-05",
                                                      posted, posted + 3600))
    await store.mark_round_posted(r.id, "1.000001")
    assert await store.record_answer(r.id, "U1", "Michael Collins", True, now=posted + 60) == "recorded"
    assert await store.record_answer(r.id, "U2", "Buzz Aldrin", False, now=posted + 60) == "recorded"
    await store.reveal_round(r.id, Scoring())
    clock.advance(minutes=1)


async def test_a_teacher_gets_the_report_privately_and_the_chart_as_a_png_in_a_direct_message(slack, bot, store, clock):
    await a_week_of_class(slack, store, clock)
    since = slack.mark()
    reply = await command(slack, "/report", "3", user="UADMIN")
    assert reply.params["response_type"] == "ephemeral"
    text = reply.all_text()
    assert "Class report: The Moon landing" in text
    assert "*2* question(s) asked this week, 1 not covered by the course" in text
    assert "• The landing: *1*" in text
    assert f"• `1×` {GAP}" in text
    assert "• `1×` :thumbsdown: (0 :thumbsup:) Who was the first person to walk on the Moon?" in text
    assert "*Trivia (this week)*: 1 round(s), 2 answer(s) from 2 student(s), 50% right" in text
    assert "*Hardest trivia items (last 3 weeks)*\n• `50%` right (1/2) Which astronaut stayed in orbit in Columbia?" in text
    assert CHART_COMING in text
    assert len(reply.blocks) <= 50 and all(len(b.get("text", {}).get("text", "")) <= 3000 for b in reply.blocks)

    done = await slack.wait_for("files.completeUploadExternal", since=since)
    [opened] = slack.find("conversations.open", since=since)
    assert opened.params["users"] == "UADMIN"  # a DM with the teacher, not the channel
    assert done.params["channel_id"] == "DUADMIN" and done.result["ok"]
    [file] = json.loads(done.params["files"])
    assert slack.uploads[file["id"]].startswith(PNG)
    [asked] = slack.find("files.getUploadURLExternal", since=since)
    assert asked.params["filename"] == "class-report.png" and int(asked.params["length"]) == len(slack.uploads[file["id"]])
    assert not slack.find("chat.postMessage", since=since)  # nothing public


async def test_a_failed_chart_upload_is_told_to_the_teacher_and_the_report_still_arrives(slack, bot):
    slack.fail_once("files.getUploadURLExternal", status=200, body='{"ok": false, "error": "missing_scope"}')
    since = slack.mark()
    slack.slash_command("/report", "", user="UADMIN")
    report = await slack.wait_for("response_url", since=since)
    assert "Class report" in report.all_text()
    told = await slack.wait_for("response_url", since=report.index + 1)
    assert told.params["response_type"] == "ephemeral"
    assert "files:write" in told.text and "couldn't send you the chart" in told.text


async def test_a_student_is_refused_the_report_and_nothing_is_uploaded(slack, bot, store, clock):
    await a_week_of_class(slack, store, clock)
    since = slack.mark()
    reply = await command(slack, "/report", "", user="U1")
    assert reply.params["response_type"] == "ephemeral" and reply.text == REFUSAL
    assert GAP not in reply.all_text()
    assert not slack.find("conversations.open", since=since) and not slack.uploads


async def test_report_with_weeks_that_are_not_a_number_shows_the_usage(slack, bot):
    reply = await command(slack, "/report", "lots", user="UADMIN")
    assert reply.params["response_type"] == "ephemeral" and "`/report [weeks]`" in reply.text


async def test_forgetme_shows_the_counts_and_only_the_students_own_click_deletes_everything(slack, bot, store, clock,
                                                                                           db_path):
    await a_week_of_class(slack, store, clock)
    await command(slack, "/ask", GAP, user="U1")  # the student's own unanswered question
    before_other = rows_mentioning(db_path, "U2")
    assert rows_mentioning(db_path, "U1") and before_other

    shown = await command(slack, "/forgetme", "", user="U1")
    assert shown.params["response_type"] == "ephemeral"
    text = shown.all_text()
    assert "- 1 trivia answer\n" in text and "- 1 Helpful/Not helpful vote\n" in text
    assert "- 1 question you asked that the course did not cover" in text
    assert [(b["action_id"], b["value"]) for b in shown.buttons()] == [("forgetme_confirm", "U1"), ("forgetme_cancel", "U1")]

    forged = await click(slack, shown, "forgetme_confirm", user="U2")
    assert forged.text == NOT_YOURS and forged.params["replace_original"] is False
    assert rows_mentioning(db_path, "U1") and rows_mentioning(db_path, "U2") == before_other

    done = await click(slack, shown, "forgetme_confirm", user="U1")
    assert done.params["replace_original"] is True
    assert done.text.startswith("Done: your data in this server is deleted") and not done.blocks
    assert rows_mentioning(db_path, "U1") == {}
    assert rows_mentioning(db_path, "U2") == before_other

    again = await command(slack, "/forgetme", "", user="U1")
    assert "nothing to delete" in again.text and not again.buttons()


async def test_forgetme_cancel_keeps_everything(slack, bot, store, clock, db_path):
    await a_week_of_class(slack, store, clock)
    before = rows_mentioning(db_path, "U1")
    shown = await command(slack, "/forgetme", "", user="U1")
    assert (await click(slack, shown, "forgetme_cancel", user="U2")).text == NOT_YOURS
    cancelled = await click(slack, shown, "forgetme_cancel", user="U1")
    assert cancelled.text == CANCELLED and cancelled.params["replace_original"] is True
    assert before and rows_mentioning(db_path, "U1") == before


async def test_the_report_is_on_the_course_the_channel_uses(slack, store, tmp_path, db_path, clock):
    from tests.fakes.two_courses import write_two_courses

    root = write_two_courses(tmp_path / "two")
    settings = Settings(
        knowledge_path=root, database_path=db_path, platform="slack", ask_cooldown_seconds=0, default_course="moon",
        course_watch_seconds=0,
        slack=SlackSettings(bot_token=slack.bot_token, app_token=slack.app_token, api_url=slack.api_url),
    )
    b = SlackBot(await load_runtime(settings, store, clock=clock))
    await b.start_socket_mode()
    await slack.wait_for_connections(1)
    try:
        await command(slack, "/course", "set solar-system <#C2|physics>", user="UADMIN")
        await command(slack, "/ask", "Which is the largest planet?", channel="C2")
        clock.advance(minutes=1)
        there = (await command(slack, "/report", "", user="UADMIN", channel="C2")).all_text()
        here = (await command(slack, "/report", "", user="UADMIN", channel="C1")).all_text()
    finally:
        await b.close()
    assert "Class report: The Solar System" in there and "• The planets: *1*" in there
    assert "Class report: The Moon landing" in here and "*0* question(s) asked this week" in here
