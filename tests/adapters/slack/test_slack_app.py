"""The Slack app end to end: the real slack-bolt / slack-sdk against a fake Slack on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

import aiohttp
import pytest

from bot.adapters.slack.app import SlackBot, load_runtime
from bot.adapters.slack.failures import STORE_OTHER
from bot.adapters.slack.teacher_check import CHECK_FAILED
from bot.adapters.slack.trivia import REFUSAL
from bot.config import Settings, SlackSettings
from bot.core.clock import FakeClock
from bot.core.cooldown import Cooldown
from bot.store import open_store
from tests.fakes.slack_course import write_course
from tests.fakes.slack_server import BOT_USER_ID, TEAM_ID, FakeSlack, sign

SECRET = "test-signing-secret"


def make_settings(slack: FakeSlack, tmp_path, ask_cooldown_seconds: float = 0, **slack_options) -> Settings:
    return Settings(
        knowledge_path=write_course(tmp_path / "courses"),
        database_path=tmp_path / "classbot.db",
        platform="slack",
        ask_cooldown_seconds=ask_cooldown_seconds,
        slack=SlackSettings(
            bot_token=slack.bot_token,
            app_token=slack.app_token,
            signing_secret=SECRET,
            api_url=slack.api_url,
            **slack_options,
        ),
    )


@pytest.fixture
async def slack():
    async with FakeSlack() as fake:
        fake.add_user("U1", name="student")
        fake.add_user("UADMIN", is_admin=True)
        fake.add_user("UTEACH")
        fake.add_usergroup("STEACHERS", ["UTEACH"])
        yield fake


@pytest.fixture
async def store(tmp_path):
    s = await open_store(tmp_path / "classbot.db")
    yield s
    await s.close()


@pytest.fixture
def settings(slack, tmp_path):
    return make_settings(slack, tmp_path, teacher_usergroup="STEACHERS", teacher_user_ids=("UNAMED",))


@pytest.fixture
async def bot(slack, store, settings):
    rt = await load_runtime(settings, store)
    b = SlackBot(rt)
    await b.start_socket_mode()
    await slack.wait_for_connections(1)
    yield b
    await b.close()  # before the fake stops (the slack fixture is torn down after this one)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def cooldown_bot(slack, store, tmp_path, clock):
    """A bot with the default cooldown (5 s) whose time only moves when the test says so."""
    settings = make_settings(slack, tmp_path, ask_cooldown_seconds=5)
    b = SlackBot(await load_runtime(settings, store, clock=clock))
    await b.start_socket_mode()
    await slack.wait_for_connections(1)
    yield b
    await b.close()


async def ask(slack: FakeSlack, text: str, user: str = "U1"):
    since = slack.mark()
    eid = slack.slash_command("/ask", text, user=user)
    await slack.wait_for_ack(eid)
    return await slack.wait_for("response_url", since=since)


# ---------------------------------------------------------------- connecting


async def test_connects_over_socket_mode_with_the_app_token(slack, bot):
    opened = await slack.wait_for("apps.connections.open")
    assert opened.token == slack.app_token
    assert slack.connections == 1


# ---------------------------------------------------------------- Q&A


async def test_ask_command_answers_with_the_cited_quote(slack, bot):
    reply = await ask(slack, "who walked on the moon first")
    assert reply.params["response_type"] == "in_channel"
    text = reply.all_text()
    assert "Neil Armstrong was the first person to walk on the Moon." in text
    assert "> Neil Armstrong was the first person to walk on the Moon." in text  # the quote block
    assert "The Moon landing › Apollo 11, ¶1 (lines 4-5)" in text  # the context line
    assert [b["action_id"] for b in reply.buttons()] == ["feedback_helpful", "feedback_unhelpful"]
    auth = await slack.wait_for("auth.test")
    assert auth.token == slack.bot_token


async def test_mention_is_answered_in_a_thread_with_the_quote(slack, bot):
    slack.mention(f"<@{BOT_USER_ID}> who stayed in orbit?", channel="C42")
    post = await slack.wait_for("chat.postMessage")
    assert post.params["channel"] == "C42"
    assert post.params["thread_ts"]
    assert "> Michael Collins stayed in orbit in the command module Columbia." in post.all_text()


async def test_direct_message_is_answered_with_the_quote(slack, bot):
    slack.direct_message("which astronaut stepped onto the moon first", channel="D7")
    post = await slack.wait_for("chat.postMessage")
    assert post.params["channel"] == "D7"
    assert "> Neil Armstrong was the first person to walk on the Moon." in post.all_text()


async def test_empty_ask_gets_usage_privately(slack, bot):
    reply = await ask(slack, "   ")
    assert reply.params["response_type"] == "ephemeral"
    assert "/ask" in reply.text


async def test_not_covered_question_offers_suggestions_and_a_click_asks_it(slack, bot, store):
    reply = await ask(slack, "what is the capital of peru")
    assert "not in the course notes" in reply.all_text()
    buttons = reply.buttons()
    assert buttons and buttons[0]["action_id"] == "ask_suggestion_0"
    assert buttons[0]["value"] == "Who was the first person to walk on the Moon?"

    unanswered = await store.list_unanswered("moon")
    assert [(u.question, u.user_ids) for u in unanswered] == [("what is the capital of peru", ())]

    since = slack.mark()
    eid = slack.click(reply, "ask_suggestion_0", user="U1")
    await slack.wait_for_ack(eid)
    answer = await slack.wait_for("response_url", since=since)
    assert answer.params["replace_original"] is False
    assert "> Neil Armstrong was the first person to walk on the Moon." in answer.all_text()


async def test_unanswered_question_keeps_the_asker_only_when_allowed(slack, store, tmp_path):
    settings = replace(make_settings(slack, tmp_path), record_asker_ids=True)
    b = SlackBot(await load_runtime(settings, store))
    await b.start_socket_mode()
    try:
        await slack.wait_for_connections(1)
        await ask(slack, "what is the capital of peru", user="U1")
        unanswered = await store.list_unanswered("moon")
        assert unanswered[0].user_ids == ("U1",)
    finally:
        await b.close()


async def test_asking_again_within_the_cooldown_gets_a_short_ephemeral_notice(slack, cooldown_bot, clock):
    first = await ask(slack, "who walked on the moon first")
    assert first.params["response_type"] == "in_channel"
    notice = await ask(slack, "who stayed in orbit?")
    assert notice.params["response_type"] == "ephemeral"
    assert notice.text == "Please wait 5 s before asking again." and not notice.blocks

    other = await ask(slack, "who stayed in orbit?", user="U2")  # others are not slowed down
    assert "Michael Collins" in other.all_text()
    clock.advance(seconds=4)
    assert (await ask(slack, "who stayed in orbit?")).params["response_type"] == "ephemeral"
    clock.advance(seconds=5)  # 5 s after the notice: the refused ask did not restart the window
    assert "Michael Collins" in (await ask(slack, "who stayed in orbit?")).all_text()


async def click(slack: FakeSlack, message, action_id: str, user: str = "U1"):
    since = slack.mark()
    await slack.wait_for_ack(slack.click(message, action_id, user=user))
    return await slack.wait_for("response_url", since=since)


async def test_clicking_a_suggestion_right_after_asking_is_a_follow_up_not_a_new_question(
    slack, cooldown_bot, clock
):
    offer = await ask(slack, "what is the capital of peru")  # the default cooldown, the same student throughout
    assert offer.params["response_type"] == "in_channel"

    answer = await click(slack, offer, "ask_suggestion_0")
    assert answer.params["response_type"] == "in_channel"
    assert "> Neil Armstrong was the first person to walk on the Moon." in answer.all_text()

    notice = await click(slack, offer, "ask_suggestion_0")  # clicking on and on: one follow-up per window
    assert notice.params["response_type"] == "ephemeral" and notice.params["replace_original"] is False
    assert notice.text == "Please wait 5 s before asking again."
    assert (await ask(slack, "who stayed in orbit?")).params["response_type"] == "ephemeral"  # it counted

    clock.advance(seconds=5)
    assert (await click(slack, offer, "ask_suggestion_0")).params["response_type"] == "in_channel"


def test_cooldown_forgets_users_whose_window_is_over():
    now = [0.0]
    cooldown = Cooldown(5, lambda: now[0])
    for user in range(1000):
        assert cooldown.try_ask(("T1", f"U{user}")) == 0.0
    assert cooldown.should_notice(("T1", "U1")) and cooldown.try_follow_up(("T1", "U2")) == 0.0
    assert len(cooldown) == 1000
    now[0] = 5.0
    assert cooldown.try_ask(("T1", "U1")) == 0.0
    assert len(cooldown) == 1  # bounded: only users still inside their window are kept
    now[0] = 6.0
    assert cooldown.try_ask(("T1", "U1")) == 4.0


class SlowStore:
    """The real store, with writes of unanswered questions held up as by a busy database."""

    def __init__(self, store, delay: float):
        self._store, self._delay = store, delay

    def __getattr__(self, name):
        return getattr(self._store, name)

    async def record_unanswered(self, *args):
        await asyncio.sleep(self._delay)
        await self._store.record_unanswered(*args)


async def test_a_slow_database_does_not_hold_up_the_answer_and_the_gap_is_still_recorded(slack, store, settings):
    rt = await load_runtime(settings, SlowStore(store, delay=0.5))
    rt.asking.store_wait = 0.05  # the bounded wait, shortened for the test
    b = SlackBot(rt)
    await b.start_socket_mode()
    try:
        await slack.wait_for_connections(1)
        reply = await asyncio.wait_for(ask(slack, "what is the capital of peru"), 0.4)
        assert "not in the course notes" in reply.all_text()
        assert await store.list_unanswered("moon") == []  # not yet written...
        await asyncio.sleep(0.6)
        assert [u.question for u in await store.list_unanswered("moon")] == ["what is the capital of peru"]  # ...then it is
    finally:
        await b.close()


async def test_feedback_buttons_record_one_vote_per_user(slack, bot, store):
    reply = await ask(slack, "who walked on the moon first")
    since = slack.mark()
    eid = slack.click(reply, "feedback_unhelpful", user="U1")
    await slack.wait_for_ack(eid)
    thanks = await slack.wait_for("response_url", since=since)
    assert thanks.params["response_type"] == "ephemeral"
    assert thanks.params["replace_original"] is False

    since = slack.mark()
    slack.click(reply, "feedback_helpful", user="U1")  # changes their mind: the vote is replaced
    await slack.wait_for("response_url", since=since)
    counts = {c.fact_id: (c.helpful, c.unhelpful) for c in await store.feedback_counts()}
    assert counts == {"first-on-moon": (1, 0)}


async def test_channel_mention_in_question_is_neutralised(slack, bot):
    reply = await ask(slack, "<!everyone> @channel <!here> <@U2> who walked on the moon first & why?")
    raw = json.dumps(reply.params)
    for ping in ("<!everyone>", "<!channel>", "<!here>", "<@U2>"):
        assert ping not in reply.all_text()
    assert "@channel" not in reply.all_text() and "@everyone" not in reply.all_text()
    assert "@\u200beveryone" in reply.all_text()  # still readable
    echo = reply.blocks[0]["elements"][-1]  # the question, shown back as plain text: nothing in it is parsed
    assert echo["type"] == "plain_text" and echo["text"].endswith("who walked on the moon first & why?")
    assert "<@" not in raw


async def test_quote_with_ampersand_is_escaped(slack, bot):
    reply = await ask(slack, "when did the astronauts return to earth")
    text = reply.all_text()
    assert "24 July 1969" in text  # answered from the passage, whose quote holds the "&"
    assert "1969 &amp; landed" in text and "1969 & landed" not in text


async def test_rate_limited_post_is_retried_and_sent_once(slack, bot):
    slack.fail_once("chat.postMessage", status=429, retry_after=0)
    slack.mention(f"<@{BOT_USER_ID}> who stayed in orbit?")
    await slack.wait_for("chat.postMessage", lambda c: c.result.get("ok") is True)
    posts = slack.find("chat.postMessage")
    assert [p.result.get("ok") for p in posts] == [False, True]
    assert posts[1].params["text"] == posts[0].params["text"]


async def test_server_requested_reconnect_keeps_working(slack, bot):
    slack.request_reconnect()
    await slack.wait_for_connections(2)
    assert len(slack.find("apps.connections.open")) == 2
    reply = await ask(slack, "who walked on the moon first")
    assert "Neil Armstrong" in reply.all_text()


async def test_topics_lists_units_with_example_questions(slack, bot):
    since = slack.mark()
    slack.slash_command("/topics", "")
    reply = await slack.wait_for("response_url", since=since)
    assert reply.params["response_type"] == "ephemeral"
    assert "Who was the first person to walk on the Moon?" in reply.all_text()


# ---------------------------------------------------------------- teacher commands


async def test_teacher_only_command_is_refused_for_a_student(slack, bot, store):
    since = slack.mark()
    eid = slack.slash_command("/trivia", "schedule <#C9|trivia> 09:00 Europe/Paris", user="U1")
    await slack.wait_for_ack(eid)
    reply = await slack.wait_for("response_url", since=since)
    assert reply.params["response_type"] == "ephemeral"
    assert reply.text == REFUSAL
    assert await store.get_trivia_config("slack", TEAM_ID) is None


# a workspace admin; a member of the teachers' user group; a user named in SLACK_TEACHER_USER_IDS
@pytest.mark.parametrize("teacher", ["UADMIN", "UTEACH", "UNAMED"])
async def test_teacher_schedules_daily_trivia(slack, bot, store, teacher):
    since = slack.mark()
    slack.slash_command("/trivia", "schedule <#C9|trivia> 9:30 Europe/Paris", user=teacher)
    reply = await slack.wait_for("response_url", since=since)
    assert "09:30" in reply.text and "Europe/Paris" in reply.text
    cfg = await store.get_trivia_config("slack", TEAM_ID)
    assert (cfg.channel_id, cfg.post_time, cfg.timezone, cfg.enabled) == ("C9", "09:30", "Europe/Paris", True)

    since = slack.mark()
    slack.slash_command("/trivia", "off", user=teacher)
    await slack.wait_for("response_url", since=since)
    assert (await store.get_trivia_config("slack", TEAM_ID)).enabled is False


async def test_trivia_schedule_with_a_bad_time_zone_explains(slack, bot):
    since = slack.mark()
    slack.slash_command("/trivia", "schedule <#C9|trivia> 09:00 Mars/Olympus", user="UADMIN")
    reply = await slack.wait_for("response_url", since=since)
    assert "not a time zone" in reply.text


# ---------------------------------------------------------------- HTTP mode


@pytest.fixture
async def http_bot(slack, store, tmp_path):
    settings = make_settings(slack, tmp_path, mode="http", host="127.0.0.1")
    b = SlackBot(await load_runtime(settings, store))
    port = await b.start_http(port=0)
    yield f"http://127.0.0.1:{port}/slack/events"
    await b.close()


def _form(payload: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(payload)


async def test_http_mode_answers_a_correctly_signed_command(slack, http_bot):
    body = _form(slack.slash_command_payload("/ask", "who walked on the moon first"))
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(SECRET, body)}
    async with aiohttp.ClientSession() as http, http.post(http_bot, data=body, headers=headers) as resp:
        assert resp.status == 200
    reply = await slack.wait_for("response_url")
    assert "> Neil Armstrong was the first person to walk on the Moon." in reply.all_text()


async def test_http_mode_rejects_a_wrong_signature_with_401(slack, http_bot):
    body = _form(slack.slash_command_payload("/ask", "who walked on the moon first"))
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign("not-the-secret", body)}
    async with aiohttp.ClientSession() as http, http.post(http_bot, data=body, headers=headers) as resp:
        assert resp.status == 401
    assert slack.find("response_url") == []


async def test_the_error_path_never_answers_a_request_that_was_not_verified(slack, store, tmp_path):
    """Bolt checks the signature in a middleware, after it parsed the body; when that check raises (here on a
    timestamp of letters) the error handler must not call the body's response_url, an address of the sender's
    choosing. This drives the Bolt app directly, below our HTTP front door that refuses such requests first."""
    from slack_bolt.request.async_request import AsyncBoltRequest

    from tests.fakes.slack_server import Listener

    settings = make_settings(slack, tmp_path, mode="http", host="127.0.0.1")
    b = SlackBot(await load_runtime(settings, store))
    try:
        async with Listener() as attacker:
            payload = slack.slash_command_payload("/ask", "who walked on the moon first")
            payload["response_url"] = attacker.url()
            body = _form(payload)
            headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(SECRET, body, timestamp=0)}
            headers["X-Slack-Request-Timestamp"] = "abc"
            response = await b.app.async_dispatch(AsyncBoltRequest(body=body, headers=headers))
            assert response.status != 200
            assert attacker.requests == []
        assert slack.calls == []
    finally:
        await b.close()


# what a Web API call can come back with when it is not Slack's answer, or a transient one
UNANSWERED = [
    pytest.param(500, "Internal Server Error", "text/plain", id="500-text"),
    pytest.param(200, "<html>not JSON</html>", "application/json", id="200-claims-JSON"),
    pytest.param(502, "<html>Bad gateway</html>", "text/html", id="502-html"),
    pytest.param(200, "[1, 2]", "application/json", id="200-JSON-list"),
    pytest.param(200, '{"ok": false, "error": "ratelimited"}', "application/json", id="ok-false-ratelimited"),
]


@pytest.mark.parametrize(("status", "body", "content_type"), UNANSWERED)
@pytest.mark.parametrize(("teacher", "method"), [("UADMIN", "users.info"), ("UTEACH", "usergroups.users.list")])
async def test_a_teacher_check_slack_does_not_answer_says_try_again_then_works(
    slack, bot, store, caplog, teacher, method, status, body, content_type
):
    slack.fail_once(method, status=status, body=body, content_type=content_type)
    reply = await _command(slack, "/trivia", "schedule <#C9|trivia> 09:00 UTC", user=teacher)
    assert reply.params["response_type"] == "ephemeral" and reply.text == CHECK_FAILED
    assert await store.get_trivia_config("slack", TEAM_ID) is None
    assert [r for r in caplog.records if r.levelname == "ERROR"] == []  # a warning, not a crash
    assert any(method in r.getMessage() for r in caplog.records if r.levelname == "WARNING")

    again = await _command(slack, "/trivia", "schedule <#C9|trivia> 09:00 UTC", user=teacher)
    assert "Daily trivia scheduled in <#C9>" in again.text


async def test_a_teacher_check_that_times_out_says_try_again(slack, bot, store):
    bot.rt.teacher_check_timeout = 0.2
    slack.fail_once("users.info", status=200, body='{"ok": true, "user": {"id": "UADMIN", "is_admin": true}}', delay=1.0)
    reply = await _command(slack, "/trivia", "now", user="UADMIN")
    assert reply.text == CHECK_FAILED
    assert slack.find("chat.postMessage") == []


async def test_a_student_slack_does_not_know_is_refused(slack, bot, store):
    reply = await _command(slack, "/trivia", "now", user="UNOBODY")  # users.info: user_not_found
    assert reply.text == REFUSAL


async def _command(slack: FakeSlack, name: str, text: str, user: str):
    since = slack.mark()
    slack.slash_command(name, text, user=user)
    return await slack.wait_for("response_url", since=since)


async def test_http_mode_a_verified_request_that_fails_is_still_answered_privately(slack, store, http_bot):
    await store.close()  # the database is gone from under the app
    body = _form(slack.slash_command_payload("/leaderboard", "optout"))
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(SECRET, body)}
    async with aiohttp.ClientSession() as http, http.post(http_bot, data=body, headers=headers) as resp:
        assert resp.status == 200
    reply = await slack.wait_for("response_url")
    assert reply.params["response_type"] == "ephemeral" and reply.text == STORE_OTHER
