""""why?" right after an answer the course gives no reason for: a plain "the notes don't say why"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.config import bundled_knowledge_path
from bot.core.answering import Engine
from bot.core.asking import AskService
from bot.core.followup import Conversations
from bot.core.knowledge import load_course
from bot.store import open_store

ROOT = Path(__file__).resolve().parents[2]


def test_why_after_an_answer_with_no_reason_nearby_says_the_notes_dont_say_why():
    engine = Engine(load_course(bundled_knowledge_path()))
    talk = Conversations()
    first = talk.ask(engine, "u1", "who won")
    assert first.answered
    why = talk.ask(engine, "u1", "why?")
    data = json.loads(json.dumps(why.to_json()))
    assert data["answered"] is False and data["answer"] is None
    assert data["citations"] == [] and data["suggestions"] == []  # no unrelated questions offered
    assert set(data) == {"question", "answered", "answer", "confidence", "fact_id", "citations", "suggestions"}
    assert "don't say why" in why.notice and '"who won"' in why.notice
    assert "not sure which part" not in why.notice
    assert not why.is_gap
    assert talk.ask(engine, "u1", "tell me more").answered  # the context of "who won" is still there


async def test_a_why_with_no_reason_is_not_recorded_as_a_question_the_course_lacks(tmp_path):
    engine = Engine(load_course(bundled_knowledge_path()))
    async with open_store(tmp_path / "c.db") as store:
        service = AskService(engine, store, "discord")
        await service.ask("who won", guild_id="g", channel_id="c", user_id="u1")
        why = await service.ask("why?", guild_id="g", channel_id="c", user_id="u1")
        assert not why.answered
        assert await store.count_unanswered(engine.course.id) == 0


def test_chat_answers_why_after_who_won_plainly(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, "-m", "bot", "chat"], input="who won\nwhy?\nquit\n", capture_output=True,
                       text=True, timeout=60, env=env, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    after_why = p.stdout.split("you> ")[2]
    assert "The course notes don't say why." in after_why
    assert "Did you mean" not in after_why and "not sure which part" not in after_why
