"""The platform-free ask service: answers, and keeps real gaps for the teacher (not greetings)."""

from __future__ import annotations

import pytest

from bot.config import bundled_knowledge_path
from bot.core.answering import Engine
from bot.core.asking import AskService
from bot.core.knowledge import load_course
from bot.store import open_store


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_course(bundled_knowledge_path()))


async def test_only_questions_the_course_lacks_are_kept_for_the_teacher(engine, tmp_path):
    async with open_store(tmp_path / "c.db") as store:
        service = AskService(engine, store, "discord")
        for text in ("hello!", "   ", "what happened", "who was fidel castro", "which country left nato"):
            await service.ask(text, guild_id="g", channel_id="c", user_id="u1")
        rows = await store.list_unanswered("cuban-missile-crisis")
    assert [r.question for r in rows] == ["who was fidel castro"]
    assert rows[0].user_ids == ()  # askers are kept only where the settings allow it


async def test_asker_is_kept_when_the_settings_allow_it(engine, tmp_path):
    async with open_store(tmp_path / "c.db") as store:
        service = AskService(engine, store, "slack", record_asker_ids=True)
        await service.ask("who was fidel castro", guild_id="T1", channel_id="C1", user_id="U7")
        [row] = await store.list_unanswered("cuban-missile-crisis")
    assert row.user_ids == ("U7",)


async def test_todays_trivia_answer_is_held_back_until_the_reveal(engine, tmp_path):
    from bot.config import TriviaSettings
    from bot.core.clock import FakeClock
    from bot.core.trivia import TriviaService

    async with open_store(tmp_path / "c.db") as store:
        service = TriviaService(store, engine.course, TriviaSettings(), FakeClock())
        round = await service.start_round("discord", "g1", "c1")
        await service.confirm_posted(round, "m1")
        question = service.question(round).question
        asking = AskService(engine, store, "discord")
        held = await asking.ask(question, guild_id="g1", channel_id="c2", user_id="u1")
        assert not held.answered and held.reason == "trivia_open" and "trivia" in held.notice
        elsewhere = await asking.ask(question, guild_id="g2", channel_id="c9", user_id="u1")
        assert elsewhere.answered  # another server has no round open
        await service.reveal(round.id)
        assert (await asking.ask(question, guild_id="g1", channel_id="c2", user_id="u1")).answered
        assert await store.list_unanswered("cuban-missile-crisis") == []  # held back is not a gap
