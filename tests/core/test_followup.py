"""Follow-up questions ("why?", "tell me more", "and then?", "what about X?") refer to the asker's last answer."""

from __future__ import annotations

import pytest

from bot.config import bundled_knowledge_path
from bot.core.answering import Engine
from bot.core.asking import AskService
from bot.core.followup import FOLLOW_UP_SECONDS, Conversations, classify
from bot.core.knowledge import load_course
from bot.store import open_store


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_course(bundled_knowledge_path()))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("text,kind", [
    ("why?", "why"), ("how come", "why"), ("tell me more", "more"), ("go on", "more"), ("and then?", "next"),
    ("what happened next", "next"), ("what about khrushchev?", "about"), ("and the chinese?", "about"),
    ("why did france leave nato", None), ("what about the missiles in turkey and the deal they made", None),
])
def test_follow_ups_are_told_apart_from_questions(text, kind):
    found = classify(text)
    assert (found[0] if found else None) == kind


def test_why_after_an_answer_gives_its_reason(engine):
    talk = Conversations()
    first = talk.ask(engine, "u1", "which country left nato")
    assert first.fact_id == "france-leaves-nato"  # "As a result, de Gaulle ... pulled France out of NATO"
    why = talk.ask(engine, "u1", "why?")
    assert why.answered and why.citations and "French government of de Gaulle felt" in why.citations[0].quote


def test_tell_me_more_walks_through_related_facts_then_the_text(engine):
    talk = Conversations()
    first = talk.ask(engine, "u1", "which country left nato")
    given = {first.fact_id}
    for _ in range(3):
        more = talk.ask(engine, "u1", "tell me more")
        assert more.answered and more.citations and more.fact_id not in given  # never the same answer twice
        given.add(more.fact_id)


def test_and_then_gives_the_next_sentence_of_the_text(engine):
    talk = Conversations()
    first = talk.ask(engine, "u1", "who went to see the soviet ambassador on 27 october")
    then = talk.ask(engine, "u1", "and then?")
    text = " ".join(engine.course.sources[0].text.split())
    assert text.index(then.citations[0].quote) > text.index(first.citations[0].quote)


def test_what_about_asks_the_last_question_again_about_someone_else(engine):
    talk = Conversations()
    talk.ask(engine, "u1", "what was the reaction of the chinese")
    about = talk.ask(engine, "u1", "what about de gaulle?")
    assert about.answered and "de Gaulle" in about.citations[0].quote


def test_a_follow_up_without_context_is_answered_as_today(engine):
    talk = Conversations()
    assert talk.ask(engine, "u1", "why?").to_json() == engine.ask("why?").to_json()
    talk.ask(engine, "u1", "which country left nato")
    assert talk.ask(engine, "u2", "why?").to_json() == engine.ask("why?").to_json()  # someone else's context


def test_the_context_expires_after_a_few_minutes(engine):
    clock = Clock()
    talk = Conversations(clock=clock)
    talk.ask(engine, "u1", "which country left nato")
    clock.now += FOLLOW_UP_SECONDS + 1
    assert talk.ask(engine, "u1", "why?").to_json() == engine.ask("why?").to_json()


async def test_the_ask_service_keeps_each_askers_context(engine, tmp_path):
    async with open_store(tmp_path / "c.db") as store:
        service = AskService(engine, store, "discord")
        await service.ask("which country left nato", guild_id="g", channel_id="c", user_id="u1")
        why = await service.ask("why?", guild_id="g", channel_id="c", user_id="u1")
        other = await service.ask("why?", guild_id="g", channel_id="c", user_id="u2")
    assert why.answered and not other.answered


def _chat(engine: Engine, lines: str) -> tuple[int, str]:
    import io

    from bot.adapters.console.app import run_chat

    out = io.StringIO()
    code = run_chat(engine, io.StringIO(lines), out)
    return code, out.getvalue()


def test_console_chat_tell_me_more_continues_the_last_answer(engine):
    code, out = _chat(engine, "who won\ntell me more\n")
    assert code == 0
    assert "victory for Kennedy" in out
    assert "missiles in Turkey was kept secret" in out  # the next sentence of the text, not "which part?"
    assert "not sure which part" not in out


def test_console_chat_leaves_on_a_goodbye_and_asks_nothing_after_it(engine):
    code, out = _chat(engine, "bye\nwho won\n")
    assert code == 0 and "Bye!" in out
    assert "victory for Kennedy" not in out
