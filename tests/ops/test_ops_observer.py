"""The core's observer hook feeding the metrics, and the store watcher, on real stores."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.config import TriviaSettings, bundled_knowledge_path
from bot.core.answering import Engine
from bot.core.asking import AskService
from bot.core.clock import FakeClock
from bot.core.errors import StoreError
from bot.core.knowledge import load_course
from bot.core.trivia.rounds import TriviaService
from bot.ops.metrics import Metrics
from bot.ops.storewatch import WatchedStore
from bot.store import open_store


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_course(bundled_knowledge_path()))


def value(metrics: Metrics, name: str, **labels: str) -> float:
    for family in text_string_to_metric_families(metrics.exposition().decode()):
        for s in family.samples:
            if s.name == name and s.labels == labels:
                return s.value
    raise KeyError(f"{name} {labels}")


async def test_trivia_posts_and_first_answers_are_counted(engine, tmp_path):
    metrics = Metrics("slack")
    async with open_store(tmp_path / "c.db") as store:
        service = TriviaService(store, engine.course, TriviaSettings(), FakeClock(), observer=metrics)
        round = await service.start_round("slack", "T1", "C1", free_text=True)
        assert value(metrics, "classbot_trivia_posts_total", platform="slack") == 0  # recorded, not yet posted
        await service.confirm_posted(round, "m1")
        answer = service.item(round.item_id).answer
        assert (await service.submit_answer(round.id, "U1", answer)).counted
        assert (await service.submit_answer(round.id, "U2", "certainly not this")).counted
        assert not (await service.submit_answer(round.id, "U1", "a second try")).counted  # only the first counts
    assert value(metrics, "classbot_trivia_posts_total", platform="slack") == 1
    assert value(metrics, "classbot_trivia_answers_total", platform="slack", correct="true") == 1
    assert value(metrics, "classbot_trivia_answers_total", platform="slack", correct="false") == 1


async def test_every_outcome_of_a_question_is_counted_with_its_latency(engine, tmp_path):
    metrics = Metrics("discord")
    async with open_store(tmp_path / "c.db") as store:
        trivia = TriviaService(store, engine.course, TriviaSettings(), FakeClock())
        round = await trivia.start_round("discord", "g1", "c1")
        await trivia.confirm_posted(round, "m1")
        asking = AskService(engine, store, "discord", observer=metrics)
        await asking.ask("who was fidel castro", guild_id="g1", channel_id="c", user_id="u")  # not covered
        await asking.ask("hello!", guild_id="g1", channel_id="c", user_id="u")
        await asking.ask(trivia.question(round).question, guild_id="g1", channel_id="c", user_id="u")  # held back
        await asking.ask(trivia.question(round).question, guild_id="g2", channel_id="c", user_id="u")  # answered
    for outcome in ("declined", "chatter", "held", "answered"):
        assert value(metrics, "classbot_questions_total", platform="discord", outcome=outcome) == 1, outcome
    assert value(metrics, "classbot_answer_latency_seconds_count", platform="discord") == 4


async def test_failed_store_calls_are_counted_by_method_and_still_raised(tmp_path):
    metrics = Metrics("discord")
    store = await open_store(tmp_path / "c.db")
    watched = WatchedStore(store, metrics.store_failed)
    assert await watched.get_trivia_config("discord", "g1") is None  # passes through
    await store.close()  # e.g. shutting down while a question is answered
    with pytest.raises(StoreError):
        await watched.record_unanswered("discord", "course", "g1", "c1", "why?", None, "u1")
    assert value(metrics, "classbot_store_errors_total", operation="record_unanswered") == 1
