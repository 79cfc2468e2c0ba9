"""Several courses in one deployment, in the core: which course answers where, and replacing a
course while the bot runs (real course folders in tmp_path, real SQLite)."""

from __future__ import annotations

import logging
import os

import pytest

from bot.core.asking import AskService
from bot.core.clock import FakeClock
from bot.core.coursecommands import CourseCommands, reload_text
from bot.core.courses import CourseLibrary
from bot.core.coursewatch import CourseWatcher
from bot.core.errors import ConfigError, CourseError, InvalidCourse
from bot.core.trivia.rounds import TriviaService
from bot.store import open_store
from tests.fakes.two_courses import COLLINS_ANSWER, COLLINS_QUOTE, MOON_FACTS, edit, write_two_courses

PLANET = "Which is the largest planet?"
COLLINS = "What did Michael Collins do during the landing?"


@pytest.fixture
def root(tmp_path):
    return write_two_courses(tmp_path / "courses")


@pytest.fixture
async def store(tmp_path):
    async with open_store(tmp_path / "classbot.db") as s:
        yield s


def test_the_default_course_comes_from_the_setting_and_an_unknown_one_is_refused(root):
    assert CourseLibrary.load(root, "solar-system").course.id == "solar-system"
    with pytest.raises(ConfigError, match="moon, solar-system"):
        CourseLibrary.load(root, "chemistry")


def test_without_a_default_several_courses_answer_together_as_before(root):
    library = CourseLibrary.load(root)
    assert library.ask(PLANET).course_id == "solar-system"
    assert library.ask(COLLINS).course_id == "moon"


async def test_a_channel_binding_beats_the_server_binding_which_beats_the_default(root, store):
    library = CourseLibrary.load(root, "moon")
    commands = CourseCommands(library, store, "discord")
    assert (await commands.show("g", "c1")).bound_by == "default"
    await commands.set("g", None, "Solar-System", "teacher")  # the id, case ignored
    await commands.set("g", "c2", "moon", "teacher")
    c1, c2 = await commands.show("g", "c1"), await commands.show("g", "c2")
    assert (c1.course.id, c1.bound_by) == ("solar-system", "server")
    assert (c2.course.id, c2.bound_by) == ("moon", "channel")
    assert (await commands.show("other-server", "c2")).bound_by == "default"
    unbound = await commands.set("g", None, "default", "teacher")
    assert unbound.course is None and unbound.now.course.id == "moon"


async def test_an_unknown_course_is_refused_with_the_list_of_courses(root, store):
    commands = CourseCommands(CourseLibrary.load(root, "moon"), store, "slack")
    with pytest.raises(CourseError, match="moon, solar-system"):
        await commands.set("T", "C", "chemistry", "teacher")
    assert await store.course_bindings("slack", "T") == []


async def test_a_binding_to_a_course_no_longer_loaded_falls_back_to_the_default(root, store):
    library = CourseLibrary.load(root, "moon")
    await store.bind_course("slack", "T", "C", "chemistry")
    assert (await library.engine_for(store, "slack", "T", "C")).course.id == "moon"


async def test_questions_use_the_channel_course(root, store):
    library = CourseLibrary.load(root, "moon")
    await store.bind_course("discord", "g", "physics-room", "solar-system")
    service = AskService(library, store, "discord")
    try:
        there = await service.ask(PLANET, guild_id="g", channel_id="physics-room", user_id="u1")
        here = await service.ask(PLANET, guild_id="g", channel_id="history-room", user_id="u2")
    finally:
        service.close()
    assert there.answered and there.course_id == "solar-system"
    assert not here.answered and here.course_id == "moon"
    assert [q.question for q in await store.list_unanswered("moon")] == [PLANET]


async def test_a_question_in_flight_finishes_on_the_engine_it_started_with(root, store):
    library = CourseLibrary.load(root, "moon")
    service = AskService(library, store, "discord")
    taken = await service.engine_for("g", "c")  # what a question being answered holds
    edit(root, MOON_FACTS, COLLINS_ANSWER, "answer: Collins flew the command module Columbia around the Moon.")
    [result] = await library.reload([root / "moon"])
    try:
        old = await service.answer(COLLINS, None, taken)
        new = await service.ask(COLLINS, guild_id="g", channel_id="c", user_id="u")
    finally:
        service.close()
    assert result.status == "reloaded"
    assert old.text == "Michael Collins stayed in orbit in the command module Columbia."
    assert new.text == "Collins flew the command module Columbia around the Moon."


async def test_an_invalid_course_keeps_the_old_one_and_reports_file_and_line(root, store):
    library = CourseLibrary.load(root, "moon")
    before = library.engine("moon")
    line = edit(root, MOON_FACTS, COLLINS_QUOTE, "quote: Collins walked on the Moon too.")
    results = await CourseCommands(library, store, "discord").reload("moon")
    assert [(r.course_id, r.status) for r in results] == [("moon", "invalid")]
    assert library.engine("moon") is before
    text = reload_text(results)
    assert f"landing.yaml:{line}" in text and "previous version of `moon` stays in use" in text
    assert str(root) not in text  # no absolute paths in chat


async def test_the_watcher_reloads_a_changed_course_only(root, caplog):
    library = CourseLibrary.load(root, "moon")
    solar = library.engine("solar-system")
    watcher = CourseWatcher(library, interval=0)
    await watcher.prime()
    facts = root / MOON_FACTS
    stat = facts.stat()
    os.utime(facts, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))  # touched, not changed
    assert await watcher.poll() == []
    edit(root, MOON_FACTS, COLLINS_ANSWER, "answer: Collins stayed in orbit aboard Columbia.")
    [result] = await watcher.poll()
    assert (result.course_id, result.status) == ("moon", "reloaded")
    assert library.ask(COLLINS).text == "Collins stayed in orbit aboard Columbia."
    assert library.engine("solar-system") is solar  # the other course was not touched
    assert await watcher.poll() == []  # nothing new

    caplog.set_level(logging.WARNING, "bot.core")
    line = edit(root, MOON_FACTS, COLLINS_QUOTE, "quote: Collins walked on the Moon too.")
    [broken] = await watcher.poll()
    assert broken.status == "invalid"
    assert f"landing.yaml:{line}" in caplog.text  # a file change: the problems go to the log
    assert library.ask(COLLINS).text == "Collins stayed in orbit aboard Columbia."
    assert await watcher.poll() == []  # reported once, not at every look


async def test_a_new_course_folder_is_added_by_the_watcher(root, tmp_path):
    from tests.fakes import write_course

    library = CourseLibrary.load(root, "moon")
    watcher = CourseWatcher(library, interval=0)
    await watcher.prime()
    other = write_course(root / "solar2")
    edit(root, other.relative_to(root) / "course.yaml", "id: solar-system", "id: solar-two")
    results = await watcher.poll()
    assert [(r.course_id, r.status) for r in results] == [("solar-two", "added")]
    assert "solar-two" in library.ids()


async def test_an_open_round_keeps_its_item_when_the_course_drops_it(root, store):
    library = CourseLibrary.load(root, "moon")
    clock = FakeClock()
    trivia = TriviaService(store, library.course, clock=clock, library=library)
    round = await trivia.start_round("discord", "g", "c", free_text=True)
    await store.mark_round_posted(int(round.id), "m1")
    item = trivia.item(round.item_id, "moon")
    # the teacher removes every trivia item but the other one, and renames the round's fact
    text = (root / MOON_FACTS).read_text(encoding="utf-8")
    (root / MOON_FACTS).write_text(text.replace(f"id: {round.item_id}", "id: renamed-fact"), encoding="utf-8")
    [result] = await library.reload([root / "moon"])
    assert result.ok and trivia.item(round.item_id, "moon") is None
    accepted = (await trivia.submit_answer(int(round.id), "u1", item.accept[0])).correct  # "Armstrong" / "Collins"
    reveal = await trivia.reveal(int(round.id))
    assert accepted is True
    assert reveal.answer == item.answer and reveal.question == item.question
    assert [a.user_id for a in reveal.awards] == ["u1"]


async def test_the_library_refuses_to_start_on_an_invalid_course(root):
    edit(root, MOON_FACTS, COLLINS_QUOTE, "quote: Collins walked on the Moon too.")
    with pytest.raises(InvalidCourse):
        CourseLibrary.load(root)


def test_the_course_settings_come_from_the_environment_and_a_negative_watch_interval_is_refused():
    from bot.config import load_settings

    settings = load_settings(environ={"CLASSBOT_DEFAULT_COURSE": "moon", "CLASSBOT_COURSE_WATCH_SECONDS": "0"}, dotenv=None)
    assert (settings.default_course, settings.course_watch_seconds) == ("moon", 0.0)
    assert load_settings(environ={}, dotenv=None).default_course is None
    with pytest.raises(ConfigError, match="course_watch_seconds"):
        load_settings(environ={"CLASSBOT_COURSE_WATCH_SECONDS": "-1"}, dotenv=None)
