"""Daily trivia in Slack end to end: scheduler posts, private answers, reveal, leaderboard."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

import pytest

from bot.adapters.slack.app import SlackBot, load_runtime
from bot.adapters.slack.failures import STORE_ANSWER, STORE_OTHER
from bot.adapters.slack.parsing import parse_trivia
from bot.adapters.slack.trivia import SlackTrivia, admin_of
from bot.core.clock import FakeClock
from bot.core.errors import StoreError
from bot.store import open_store
from tests.adapters.slack.test_slack_app import make_settings
from tests.fakes.slack_server import TEAM_ID, FakeSlack

MONDAY_0905 = datetime(2026, 1, 5, 9, 5, tzinfo=UTC)
QUOTES = {
    "Neil Armstrong": "Neil Armstrong was the first person to walk on the Moon.",
    "Michael Collins": "Michael Collins stayed in orbit in the command module Columbia.",
}


@pytest.fixture
async def slack():
    async with FakeSlack() as fake:
        fake.add_user("U1")
        fake.add_user("U2")
        fake.add_user("UADMIN", is_admin=True)
        yield fake


@pytest.fixture
async def store(tmp_path):
    s = await open_store(tmp_path / "classbot.db")
    yield s
    await s.close()


@pytest.fixture
def clock():
    return FakeClock(MONDAY_0905)


@pytest.fixture
async def bot(slack, store, tmp_path, clock):
    rt = await load_runtime(make_settings(slack, tmp_path), store, clock=clock)
    b = SlackBot(rt)
    await b.start_socket_mode()
    await slack.wait_for_connections(1)
    yield b
    await b.close()


async def command(slack: FakeSlack, name: str, text: str, user: str, channel: str = "C1"):
    since = slack.mark()
    slack.slash_command(name, text, user=user, channel=channel)
    return await slack.wait_for("response_url", since=since)


async def test_daily_trivia_is_posted_answered_once_and_revealed_with_its_citation(slack, bot, store, clock):
    reply = await command(slack, "/trivia", "schedule <#C9|trivia> 09:00 UTC", user="UADMIN")
    assert "<#C9>" in reply.text

    report = await bot.scheduler.tick()
    assert len(report.posted) == 1
    round = report.posted[0]
    post = await slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "C9")
    assert round.message_id == post.result["ts"]
    assert round.meta["question"] in post.all_text()
    choices = list(round.choices)
    assert [b["action_id"] for b in post.buttons()] == [f"trivia_choice_{i}" for i in range(len(choices))]
    right = choices.index(round.meta["answer"])

    since = slack.mark()
    slack.click(post, f"trivia_choice_{right}", user="U1")
    first = await slack.wait_for("chat.postEphemeral", since=since)
    assert (first.params["channel"], first.params["user"]) == ("C9", "U1")
    assert "Answer recorded" in first.text

    since = slack.mark()
    slack.click(post, f"trivia_choice_{right}", user="U1")  # double click: counted once
    second = await slack.wait_for("chat.postEphemeral", since=since)
    assert "already answered" in second.text
    since = slack.mark()
    slack.click(post, f"trivia_choice_{(right + 1) % len(choices)}", user="U2")
    await slack.wait_for("chat.postEphemeral", since=since)
    stats = await store.round_stats(round.id)
    assert (stats.answered, stats.correct) == (2, 1)
    assert slack.find("chat.postMessage", since=since) == []  # nothing public before the reveal

    clock.advance(hours=9)
    since = slack.mark()
    report = await bot.scheduler.tick()
    assert [r.round.id for r in report.revealed] == [round.id]
    reveal = await slack.wait_for("chat.postMessage", since=since)
    assert reveal.params["channel"] == "C9" and reveal.params["thread_ts"] == post.result["ts"]
    text = reveal.all_text()
    assert round.meta["answer"] in text
    assert "> " + QUOTES[round.meta["answer"]] in text
    assert "The Moon landing ›" in text
    assert "2 answered, 50% got it right." in text
    closed = await slack.wait_for("chat.update", since=since)
    assert closed.params["ts"] == post.result["ts"] and closed.buttons() == []

    board = await command(slack, "/leaderboard", "", user="U2")
    assert board.params["response_type"] == "ephemeral"
    assert "<@U1> — 10 pts" in board.all_text() and "<@U2>" not in board.all_text()

    mine = await command(slack, "/mystats", "", user="U1")
    assert "10 points" in mine.text


async def test_teacher_posts_trivia_now_in_the_configured_channel(slack, bot):
    await command(slack, "/trivia", "schedule <#C9|trivia> 17:00 Europe/Paris", user="UADMIN")
    reply = await command(slack, "/trivia", "now", user="UADMIN", channel="C1")
    assert reply.params["response_type"] == "ephemeral" and "posted in <#C9>" in reply.text
    post = await slack.wait_for("chat.postMessage")
    assert post.params["channel"] == "C9" and post.buttons()

    again = await command(slack, "/trivia", "now", user="UADMIN")
    assert "one question per day" in again.text
    assert len(slack.find("chat.postMessage")) == 1


async def test_student_cannot_start_trivia(slack, bot):
    reply = await command(slack, "/trivia", "now", user="U1")
    assert reply.params["response_type"] == "ephemeral" and "only teachers" in reply.text
    assert slack.find("chat.postMessage") == [] and slack.find("users.info")[0].params["user"] == "U1"


async def test_free_text_round_is_answered_in_a_modal(slack, bot, store):
    await store.set_trivia_config("slack", TEAM_ID, "C9", "09:00", "UTC", free_text=True)
    report = await bot.scheduler.tick()
    round = report.posted[0]
    post = await slack.wait_for("chat.postMessage")
    assert [b["action_id"] for b in post.buttons()] == ["trivia_open_answer"]

    slack.click(post, "trivia_open_answer", user="U1")
    opened = await slack.wait_for("views.open")
    assert round.meta["question"] in opened.all_text() or round.meta["question"] in str(opened.params)

    since = slack.mark()
    eid = slack.submit_view(opened, {"answer": {"answer": "  " + round.meta["answer"].split()[-1]}}, user="U1")
    await slack.wait_for_ack(eid)
    confirmation = await slack.wait_for("chat.postEphemeral", since=since)
    assert (confirmation.params["channel"], confirmation.params["user"]) == ("C9", "U1")
    assert "Answer recorded" in confirmation.text
    assert (await store.get_answer(round.id, "U1"))[1] is True


async def test_trivia_settings_show_channel_time_and_next_post(slack, bot):
    empty = await command(slack, "/trivia", "settings", user="UADMIN")
    assert "not set up" in empty.text
    await command(slack, "/trivia", "schedule <#C9|trivia> 10:30 UTC", user="UADMIN")
    shown = await command(slack, "/trivia", "settings", user="UADMIN")
    assert "is on: <#C9> at 10:30 (UTC)" in shown.text
    assert "2026-01-05 10:30 UTC" in shown.text  # the fallback of Slack's <!date^...> token


async def test_any_student_can_leave_and_rejoin_the_leaderboard(slack, bot, store, clock):
    await store.set_trivia_config("slack", TEAM_ID, "C9", "09:00", "UTC")
    round = (await bot.scheduler.tick()).posted[0]
    post = await slack.wait_for("chat.postMessage")
    since = slack.mark()
    slack.click(post, f"trivia_choice_{list(round.choices).index(round.meta['answer'])}", user="U1")
    await slack.wait_for("chat.postEphemeral", since=since)
    clock.advance(hours=9)
    await bot.scheduler.tick()
    assert "<@U1> — 10 pts" in (await command(slack, "/leaderboard", "", user="U2")).all_text()

    out = await command(slack, "/leaderboard", "optout", user="U1")  # a student: no teacher check
    assert out.params["response_type"] == "ephemeral" and "off the leaderboard" in out.text
    hidden = await command(slack, "/leaderboard", "all", user="U2")
    assert "<@U1>" not in hidden.all_text() and "No trivia points yet" in hidden.text
    mine = await command(slack, "/mystats", "", user="U1")
    assert "10 points" in mine.text and "hidden (opted out)" in mine.text

    back = await command(slack, "/leaderboard", "opt in", user="U1")
    assert "back on the leaderboard" in back.text
    assert "<@U1> — 10 pts" in (await command(slack, "/leaderboard", "week", user="U2")).all_text()

    unknown = await command(slack, "/leaderboard", "everyone", user="U1")
    assert "Unknown option" in unknown.text and "/leaderboard optout" in unknown.text


async def test_a_command_that_hits_a_broken_database_still_answers_privately(slack, bot, store):
    await store.close()  # the database is gone from under the app
    out = await command(slack, "/leaderboard", "optout", user="U1")
    assert out.params["response_type"] == "ephemeral"
    assert out.text == STORE_OTHER


@pytest.mark.parametrize("fault", ["locked", "read-only"])
async def test_a_database_failure_tells_the_student_to_try_again_and_logs_the_detail(slack, tmp_path, clock, caplog, fault):
    """A locked or read-only database (real SQLite files): clicks, the free-text form, /leaderboard optout,
    feedback and teacher commands get a short private 'try again', never the server's database path."""
    path = tmp_path / "classbot.db"
    settings = make_settings(slack, tmp_path)
    async with open_store(path) as store:  # set-up on a working database
        rt = await load_runtime(settings, store, clock=clock)
        setup = SlackBot(rt)
        await setup.start_socket_mode()
        await slack.wait_for_connections(1)
        answer = await command(slack, "/ask", "who walked on the moon first", user="U1")  # before trivia holds it back
        await store.set_trivia_config("slack", TEAM_ID, "C9", "09:00", "UTC")
        await setup.scheduler.tick()
        choices = await slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "C9")
        await store.set_trivia_config("slack", TEAM_ID, "C8", "09:00", "UTC", free_text=True)
        await admin_of(rt).post_now(TEAM_ID, SlackTrivia(rt, setup.client).send_question, channel_id="C8")
        form_post = await slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "C8")
        slack.click(form_post, "trivia_open_answer", user="U1")
        form = await slack.wait_for("views.open")
        await setup.close()

    locker = None
    if fault == "locked":  # another process holds the write lock
        locker = sqlite3.connect(path, isolation_level=None)
        locker.execute("BEGIN IMMEDIATE")
        broken = await open_store(path, busy_timeout_ms=50)
    else:
        broken = await open_store(f"file:{path}?mode=ro")
    bot = SlackBot(await load_runtime(settings, broken, clock=clock))
    await bot.start_socket_mode()
    await slack.wait_for_connections(2)
    try:
        since = slack.mark()
        click = await _private_reply(slack, lambda: slack.click(choices, "trivia_choice_0", user="U1"))
        assert click.text == STORE_ANSWER
        submit = lambda: slack.submit_view(form, {"answer": {"answer": "Armstrong"}}, user="U1")  # noqa: E731
        modal = await _private_reply(slack, submit, "chat.postEphemeral")
        assert (modal.params["channel"], modal.params["user"], modal.text) == ("C8", "U1", STORE_ANSWER)
        optout = await _private_reply(slack, lambda: slack.slash_command("/leaderboard", "optout", user="U1"))
        assert optout.text == STORE_OTHER
        vote = await _private_reply(slack, lambda: slack.click(answer, "feedback_helpful", user="U1"))
        assert vote.text == STORE_OTHER
        schedule = await _private_reply(
            slack, lambda: slack.slash_command("/trivia", "schedule <#C7|quiz> 10:00 UTC", user="UADMIN")
        )
        assert schedule.text == STORE_OTHER
        for call in slack.calls[since:]:
            said = json.dumps(call.params)
            assert str(tmp_path) not in said and "classbot.db" not in said and "Traceback" not in said
        logged = [r for r in caplog.records if r.name == "bot.adapters.slack.failures" and r.levelname == "ERROR"]
        assert len(logged) == 5 and all(r.exc_info and isinstance(r.exc_info[1], StoreError) for r in logged)
        assert all(str(path) in str(r.exc_info[1]) for r in logged)  # the detail is in the log

        if locker is not None:  # the lock is gone: trying again works
            locker.execute("ROLLBACK")
            again = await _private_reply(slack, lambda: slack.click(choices, "trivia_choice_0", user="U1"), "chat.postEphemeral")
            assert "Answer recorded" in again.text
    finally:
        await bot.close()
        await broken.close()
        if locker is not None:
            locker.close()


async def _private_reply(slack: FakeSlack, act, method: str = "response_url"):
    """What `act` (which sends an envelope) got back privately; its envelope must be acked, error or not
    (an unacked one shows the student a failure and makes Slack retry)."""
    since = slack.mark()
    envelope = act()
    reply = await slack.wait_for(method, since=since)
    await slack.wait_for_ack(envelope, timeout=1.0)
    return reply


async def test_teacher_schedules_free_text_rounds_like_discord_free_text_option(slack, bot, store):
    reply = await command(slack, "/trivia", "schedule <#C9|trivia> 09:00 Europe/Paris free_text", user="UADMIN")
    assert "at 09:00 (Europe/Paris), free-text answers." in reply.text
    cfg = await store.get_trivia_config("slack", TEAM_ID)
    assert (cfg.channel_id, cfg.free_text) == ("C9", True)
    shown = await command(slack, "/trivia", "settings", user="UADMIN")
    assert "(Europe/Paris), free-text answers." in shown.text

    now = await command(slack, "/trivia", "now", user="UADMIN")
    assert "posted in <#C9>" in now.text
    post = await slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "C9")
    assert [b["action_id"] for b in post.buttons()] == ["trivia_open_answer"]  # typed, not picked

    again = await command(slack, "/trivia", "schedule <#C9|trivia> 09:00 Europe/Paris", user="UADMIN")
    assert "multiple choice" in again.text  # as on Discord, leaving the option out means choices
    assert (await store.get_trivia_config("slack", TEAM_ID)).free_text is False


@pytest.mark.parametrize(
    ("text", "free_text", "timezone"),
    [
        ("schedule <#C9|t> 09:00 free_text", True, "UTC"),
        ("schedule <#C9|t> 09:00 Europe/Paris free-text", True, "Europe/Paris"),
        ("schedule <#C9|t> free_text:true 09:00 Europe/Paris", True, "Europe/Paris"),
        ("schedule <#C9|t> 09:00 Europe/Paris free_text:False", False, "Europe/Paris"),
        ("schedule <#C9|t> 09:00 Europe/Paris", False, "Europe/Paris"),
    ],
)
def test_trivia_schedule_reads_the_free_text_option(text, free_text, timezone):
    cmd = parse_trivia(text, "C1")
    assert (cmd.action, cmd.channel_id, cmd.timezone, cmd.free_text) == ("schedule", "C9", timezone, free_text)


@pytest.mark.parametrize("text", ["schedule 09:00 UTC free_text:maybe", "schedule 09:00 UTC extra"])
def test_trivia_schedule_with_an_unknown_word_explains(text):
    cmd = parse_trivia(text, "C1")
    assert cmd.action == "help" and cmd.error


async def test_a_student_can_opt_out_with_trivia_optout_as_on_discord(slack, bot, store):
    out = await command(slack, "/trivia", "optout", user="U1")
    assert out.params["response_type"] == "ephemeral" and "off the leaderboard" in out.text
    assert slack.find("users.info") == []  # no teacher check for it
    assert (await store.user_stats("slack", TEAM_ID, "U1")).optout is True
    back = await command(slack, "/trivia", "optin", user="U1")
    assert "back on the leaderboard" in back.text
    assert (await store.user_stats("slack", TEAM_ID, "U1")).optout is False


async def test_a_recorded_answer_is_confirmed_even_when_slack_refuses_the_ephemeral_message(slack, bot, store):
    await store.set_trivia_config("slack", TEAM_ID, "C9", "09:00", "UTC")
    round = (await bot.scheduler.tick()).posted[0]
    post = await slack.wait_for("chat.postMessage")
    slack.fail_once("chat.postEphemeral", status=200, body='{"ok": false, "error": "channel_not_found"}')
    reply = await _private_reply(slack, lambda: slack.click(post, "trivia_choice_0", user="U1"))
    assert reply.params["response_type"] == "ephemeral" and "Answer recorded" in reply.text
    assert await store.get_answer(round.id, "U1") is not None


async def test_trivia_now_in_a_channel_slack_refuses_says_why_without_internals(slack, bot, store):
    slack.fail_once("chat.postMessage", status=200, body='{"ok": false, "error": "not_in_channel"}')
    reply = await command(slack, "/trivia", "now", user="UADMIN", channel="C5")
    assert "I could not post in <#C5>: is the app in that channel?" in reply.text
    assert "not_in_channel" in reply.text and slack.base not in reply.text and "responded" not in reply.text
