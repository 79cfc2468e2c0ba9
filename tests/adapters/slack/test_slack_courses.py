"""Several courses and hot reload on Slack, end to end: the real slack-bolt / slack-sdk against the
fake Slack on 127.0.0.1, real course folders in tmp_path, real SQLite. The watcher is driven by
calling its poll(), so nothing sleeps."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.adapters.slack.app import SlackBot, load_runtime
from bot.adapters.slack.courses import REFUSAL, parse_course
from bot.config import Settings, SlackSettings
from bot.core.clock import FakeClock
from bot.store import open_store
from tests.fakes.slack_server import TEAM_ID, FakeSlack
from tests.fakes.two_courses import COLLINS_ANSWER, COLLINS_QUOTE, MOON_FACTS, edit, write_two_courses

JUPITER_QUOTE = "Jupiter is the largest planet, more than twice as massive as all the other planets put together."
ARMSTRONG_QUOTE = "Neil Armstrong was the first person to walk on the Moon."


@pytest.fixture
async def slack():
    async with FakeSlack() as fake:
        fake.add_user("U1", name="student")
        fake.add_user("UADMIN", is_admin=True)
        yield fake


@pytest.fixture
def root(tmp_path):
    return write_two_courses(tmp_path / "courses")


@pytest.fixture
async def store(tmp_path):
    s = await open_store(tmp_path / "classbot.db")
    yield s
    await s.close()


@pytest.fixture
def clock():
    return FakeClock(datetime(2026, 1, 5, 9, 5, tzinfo=UTC))


@pytest.fixture
async def bot(slack, store, root, tmp_path, clock):
    settings = Settings(
        knowledge_path=root,
        database_path=tmp_path / "classbot.db",
        platform="slack",
        ask_cooldown_seconds=0,
        default_course="moon",
        course_watch_seconds=0,  # the test polls
        slack=SlackSettings(bot_token=slack.bot_token, app_token=slack.app_token, api_url=slack.api_url),
    )
    b = SlackBot(await load_runtime(settings, store, clock=clock))
    await b.start_socket_mode()
    await b.start_course_watch()
    await slack.wait_for_connections(1)
    yield b
    await b.close()


async def command(slack: FakeSlack, name: str, text: str, user: str = "U1", channel: str = "C1"):
    since = slack.mark()
    slack.slash_command(name, text, user=user, channel=channel)
    return await slack.wait_for("response_url", since=since)


async def test_a_teacher_binds_a_channel_to_a_second_course_and_its_students_are_answered_from_it(slack, bot, store):
    reply = await command(slack, "/course", "set solar-system <#C2|physics>", user="UADMIN")
    assert reply.params["response_type"] == "ephemeral"
    assert "<#C2> now uses The Solar System (`solar-system`)" in reply.text

    there = await command(slack, "/ask", "Which is the largest planet?", channel="C2")
    assert JUPITER_QUOTE in there.all_text()
    here = await command(slack, "/ask", "Which is the largest planet?", channel="C1")  # the default course
    assert JUPITER_QUOTE not in here.all_text() and "The Moon landing" in here.all_text()
    assert ARMSTRONG_QUOTE in (await command(slack, "/ask", "who walked on the moon first", channel="C1")).all_text()

    topics = await command(slack, "/topics", "", channel="C2")
    assert "Which is the largest planet?" in topics.all_text()
    shown = await command(slack, "/course", "", channel="C2")
    assert "The Solar System (`solar-system`), set for this channel" in shown.text
    assert shown.params["response_type"] == "ephemeral"
    [binding] = await store.course_bindings("slack", TEAM_ID)
    assert (binding.channel_id, binding.course_id, binding.set_by) == ("C2", "solar-system", "UADMIN")


async def test_a_whole_workspace_binding_applies_to_every_channel_without_its_own(slack, bot):
    await command(slack, "/course", "set solar-system", user="UADMIN")
    assert JUPITER_QUOTE in (await command(slack, "/ask", "Which is the largest planet?", channel="C7")).all_text()
    shown = await command(slack, "/course", "", channel="C7")
    assert "set for the whole server" in shown.text


async def test_a_student_is_refused_course_set_and_reload(slack, bot, store):
    for text in ("set solar-system <#C2|physics>", "reload"):
        reply = await command(slack, "/course", text, user="U1")
        assert reply.params["response_type"] == "ephemeral" and reply.text == REFUSAL
    assert await store.course_bindings("slack", TEAM_ID) == []


async def test_reloading_a_broken_course_keeps_the_old_one_and_shows_the_teacher_file_and_line(slack, bot, root):
    line = edit(root, MOON_FACTS, COLLINS_QUOTE, "quote: Collins walked on the Moon too.")
    reply = await command(slack, "/course", "reload", user="UADMIN")
    assert reply.params["response_type"] == "ephemeral"
    assert "previous version of `moon` stays in use" in reply.text
    assert f"moon/facts/landing.yaml:{line}" in reply.text
    assert "Reloaded `solar-system`." in reply.text  # the other course was fine
    answer = await command(slack, "/ask", "What did Michael Collins do during the landing?")
    assert "Michael Collins stayed in orbit in the command module Columbia." in answer.all_text()


async def test_a_file_edit_that_fixes_a_fact_is_picked_up_by_the_watcher(slack, bot, root):
    edit(root, MOON_FACTS, COLLINS_ANSWER, "answer: Collins orbited the Moon alone in Columbia.")
    [result] = await bot.course_watcher.poll()
    assert (result.course_id, result.status) == ("moon", "reloaded")
    answer = await command(slack, "/ask", "What did Michael Collins do during the landing?")
    assert "Collins orbited the Moon alone in Columbia." in answer.all_text()


async def test_an_open_round_survives_a_reload_that_removes_its_item(slack, bot, store, root, clock):
    await command(slack, "/trivia", "schedule <#C9|trivia> 09:00 UTC", user="UADMIN")
    round = (await bot.scheduler.tick()).posted[0]
    post = await slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "C9")
    text = (root / MOON_FACTS).read_text(encoding="utf-8")
    (root / MOON_FACTS).write_text(text.replace(f"id: {round.item_id}", "id: renamed-fact"), encoding="utf-8")
    [result] = await bot.course_watcher.poll()
    assert result.status == "reloaded"

    since = slack.mark()
    slack.click(post, f"trivia_choice_{list(round.choices).index(round.meta['answer'])}", user="U1")
    assert "Answer recorded" in (await slack.wait_for("chat.postEphemeral", since=since)).text
    clock.advance(hours=9)
    since = slack.mark()
    assert [r.round.id for r in (await bot.scheduler.tick()).revealed] == [round.id]
    reveal = await slack.wait_for("chat.postMessage", since=since)
    assert round.meta["answer"] in reveal.all_text() and "1 answered, 100% got it right." in reveal.all_text()


@pytest.mark.parametrize("text, action, course, channel", [
    ("", "show", None, None),
    ("set physics", "set", "physics", None),
    ("set physics <#C2|lab>", "set", "physics", "C2"),
    ("set physics lab", "help", None, None),
    ("reload", "reload", None, None),
    ("reload moon", "reload", "moon", None),
    ("frobnicate", "help", None, None),
])
def test_course_command_text_is_parsed(text, action, course, channel):
    cmd = parse_course(text)
    assert (cmd.action, cmd.course, cmd.channel_id) == (action, course, channel)
