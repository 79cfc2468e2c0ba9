"""Several courses and hot reload on Discord, end to end: the real discord.py bot against the fake
Discord on 127.0.0.1, real course folders in tmp_path, real SQLite. The watcher is driven by
calling its poll() (its background loop is off), so nothing sleeps."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.adapters.discord.app import build_bot
from bot.adapters.discord.course_cog import REFUSAL
from bot.config import DiscordSettings, Settings
from bot.core.clock import FakeClock
from bot.core.courses import CourseLibrary
from bot.store import open_store
from tests.adapters.discord.test_discord_trivia import (
    EPHEMERAL,
    MONDAY_MORNING,
    STUDENT_A,
    TEACHER,
    ClassroomDiscord,
    click,
    cog_of,
    correct_index,
    first_background_tick,
    reply_to,
    schedule_and_post,
    the_round,
)
from tests.fakes.discord_server import (
    CHANNEL_ID,
    GUILD_ID,
    OTHER_CHANNEL_ID,
    restore_discord_endpoints,  # noqa: F401 (autouse fixture)
)
from tests.fakes.two_courses import COLLINS_ANSWER, COLLINS_QUOTE, MOON_FACTS, edit, write_two_courses

JUPITER_QUOTE = "Jupiter is the largest planet, more than twice as massive as all the other planets put together."
ARMSTRONG_QUOTE = "Neil Armstrong was the first person to walk on the Moon."


@pytest.fixture
async def fake():
    fake = await ClassroomDiscord().start()
    yield fake
    await fake.close()


@pytest.fixture
def root(tmp_path):
    return write_two_courses(tmp_path / "courses")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY_MORNING)


@pytest.fixture
async def started(fake, root, clock, tmp_path):
    """A bot serving both courses ("moon" by default); returns (bot, store, library)."""
    store = await open_store(tmp_path / "classbot.db")
    library = CourseLibrary.load(root, "moon")
    settings = Settings(
        knowledge_path=root,
        database_path=tmp_path / "classbot.db",
        ask_cooldown_seconds=0,
        default_course="moon",
        course_watch_seconds=0,  # the test polls
        discord=DiscordSettings(
            token=fake.token, api_base=fake.api_base, gateway_url=fake.gateway_url, guild_ids=(GUILD_ID,),
            teacher_role="Teachers",
        ),
    )
    bot = build_bot(settings, library, store, clock=clock, guild_ready_timeout=0.01)
    await bot.login(fake.token)
    task = asyncio.create_task(bot.connect())
    await asyncio.wait_for(bot.wait_until_ready(), 5)
    await first_background_tick(bot)
    yield bot, store, library
    await bot.close()
    await asyncio.wait_for(task, 5)
    await store.close()


async def ask(fake, question: str, channel_id: int, user_id: int = STUDENT_A) -> str:
    data = await reply_to(fake, await fake.command("ask", options={"question": question}, user_id=user_id, channel_id=channel_id))
    return json.dumps(data)


async def test_a_teacher_binds_a_channel_to_a_second_course_and_its_students_are_answered_from_it(fake, started):
    bot, store, _ = started
    synced = fake.matching("PUT", rf"/applications/\d+/guilds/{GUILD_ID}/commands")[-1].json
    assert "course" in [c["name"] for c in synced]

    options = {"course": "solar-system", "channel": OTHER_CHANNEL_ID}
    reply = await reply_to(fake, await fake.command("course", "set", options, user_id=TEACHER))
    assert reply["flags"] & EPHEMERAL
    assert f"<#{OTHER_CHANNEL_ID}> now uses The Solar System (`solar-system`)" in reply["content"]

    assert JUPITER_QUOTE in await ask(fake, "Which is the largest planet?", OTHER_CHANNEL_ID)
    elsewhere = await ask(fake, "Which is the largest planet?", CHANNEL_ID)  # the default course: not covered
    assert JUPITER_QUOTE not in elsewhere and "The Moon landing" in elsewhere
    assert ARMSTRONG_QUOTE in await ask(fake, "who walked on the moon first", CHANNEL_ID)

    topics = await reply_to(fake, await fake.command("topics", user_id=STUDENT_A, channel_id=OTHER_CHANNEL_ID))
    assert "The Solar System" in json.dumps(topics) and "The planets" in json.dumps(topics)
    shown = await reply_to(fake, await fake.command("course", "show", user_id=STUDENT_A, channel_id=OTHER_CHANNEL_ID))
    assert "The Solar System (`solar-system`), set for this channel" in shown["content"]
    assert "`moon`: The Moon landing" in shown["content"] and shown["flags"] & EPHEMERAL
    [binding] = await store.course_bindings("discord", str(GUILD_ID))
    assert (binding.channel_id, binding.course_id, binding.set_by) == (str(OTHER_CHANNEL_ID), "solar-system", str(TEACHER))


async def test_a_student_is_refused_course_set_and_course_reload(fake, started):
    bot, store, library = started
    before = library.engine("moon")
    for sub, options in (("set", {"course": "solar-system"}), ("reload", {})):
        reply = await reply_to(fake, await fake.command("course", sub, options, user_id=STUDENT_A))
        assert reply["content"] == REFUSAL and reply["flags"] & EPHEMERAL
    assert await store.course_bindings("discord", str(GUILD_ID)) == []
    assert library.engine("moon") is before


async def test_an_unknown_course_is_refused_with_the_courses_there_are(fake, started):
    reply = await reply_to(fake, await fake.command("course", "set", {"course": "chemistry"}, user_id=TEACHER))
    assert "There is no course 'chemistry'. Courses: moon, solar-system." in reply["content"]
    assert reply["flags"] & EPHEMERAL


async def test_reloading_a_broken_course_keeps_the_old_one_and_shows_the_teacher_file_and_line(fake, started, root):
    bot, store, library = started
    line = edit(root, MOON_FACTS, COLLINS_QUOTE, "quote: Collins walked on the Moon too.")
    reply = await reply_to(fake, await fake.command("course", "reload", {"course": "moon"}, user_id=TEACHER))
    assert reply["flags"] & EPHEMERAL
    assert "previous version of `moon` stays in use" in reply["content"]
    assert f"moon/facts/landing.yaml:{line}" in reply["content"]
    assert str(root) not in reply["content"]
    answer = await ask(fake, "What did Michael Collins do during the landing?", CHANNEL_ID)
    assert "Michael Collins stayed in orbit in the command module Columbia." in answer


async def test_a_file_edit_that_fixes_a_fact_is_picked_up_by_the_watcher(fake, started, root, caplog):
    bot, store, library = started
    edit(root, MOON_FACTS, COLLINS_ANSWER, "answer: Collins orbited the Moon alone in Columbia.")
    [result] = await bot.course_watcher.poll()
    assert result.status == "reloaded"
    assert "Collins orbited the Moon alone in Columbia." in await ask(fake, "What did Michael Collins do during the landing?", CHANNEL_ID)

    caplog.set_level(logging.WARNING, "bot.core")
    line = edit(root, MOON_FACTS, COLLINS_QUOTE, "quote: Collins walked on the Moon too.")
    [broken] = await bot.course_watcher.poll()
    assert broken.status == "invalid" and f"landing.yaml:{line}" in caplog.text  # a file change: the log
    assert "Collins orbited the Moon alone in Columbia." in await ask(fake, "What did Michael Collins do during the landing?", CHANNEL_ID)


async def test_an_open_round_survives_a_reload_that_removes_its_item(fake, started, root, clock):
    bot, store, library = started
    message = await schedule_and_post(fake, bot, store, clock)
    round = await the_round(store, message)
    assert round.meta["course"] == "moon"
    text = (root / MOON_FACTS).read_text(encoding="utf-8")
    (root / MOON_FACTS).write_text(text.replace(f"id: {round.item_id}", "id: renamed-fact"), encoding="utf-8")
    [result] = await bot.course_watcher.poll()
    assert result.status == "reloaded" and round.item_id not in [i.id for i in library.course.trivia_items]

    answered = await click(fake, message, f"cb:tv:{round.id}:{correct_index(round)}", STUDENT_A)
    assert "Answer recorded" in answered["content"]
    clock.set(datetime.fromtimestamp(round.closes_at, UTC) + timedelta(seconds=1))
    report = await cog_of(bot).scheduler.tick()
    assert [r.round.id for r in report.revealed] == [round.id]
    reveal = (await fake.wait_for_request("POST", f"/channels/{CHANNEL_ID}/messages")).json
    assert f"The answer: **{round.meta['answer']}**" in reveal["embeds"][0]["description"]
    assert "1 answered, 100% got it right." in reveal["embeds"][0]["description"]


async def test_trivia_in_a_channel_comes_from_its_course(fake, started):
    bot, store, library = started
    await store.bind_course("discord", str(GUILD_ID), str(OTHER_CHANNEL_ID), "solar-system")
    reply = await reply_to(fake, await fake.command("trivia", "now", user_id=TEACHER, channel_id=OTHER_CHANNEL_ID))
    assert "no trivia questions" in reply["content"] and "solar-system" in reply["content"]


async def test_trivia_runs_in_a_channel_bound_to_a_course_with_trivia_when_the_default_has_none(fake, root, clock, tmp_path):
    store = await open_store(tmp_path / "other.db")
    library = CourseLibrary.load(root, "solar-system")  # the default course has no trivia
    settings = Settings(
        knowledge_path=root, database_path=tmp_path / "other.db", ask_cooldown_seconds=0, course_watch_seconds=0,
        discord=DiscordSettings(token=fake.token, api_base=fake.api_base, gateway_url=fake.gateway_url, guild_ids=(GUILD_ID,)),
    )
    bot = build_bot(settings, library, store, clock=clock, guild_ready_timeout=0.01)
    await bot.login(fake.token)
    task = asyncio.create_task(bot.connect())
    try:
        await asyncio.wait_for(bot.wait_until_ready(), 5)
        await store.bind_course("discord", str(GUILD_ID), str(OTHER_CHANNEL_ID), "moon")
        reply = await reply_to(fake, await fake.command("trivia", "now", user_id=TEACHER, channel_id=OTHER_CHANNEL_ID))
        assert f"Trivia posted in <#{OTHER_CHANNEL_ID}>" in reply["content"]
        [round] = await store.open_rounds("discord", str(GUILD_ID))
        assert round.meta["course"] == "moon"
    finally:
        await bot.close()
        await asyncio.wait_for(task, 5)
        await store.close()
