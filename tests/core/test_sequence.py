"""Questions about the order of events ("what happens after the storm"): bot.core.sequence and the
engine's answer to them (bot.core.answering)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.answering import Engine
from bot.core.knowledge import load_course
from bot.core.sequence import AFTER, BEFORE, OrderQuestion, order_question, relation_clauses

STORY = """\
# The lighthouse keeper

Old Tom has kept the lighthouse on Gull Rock for forty years.

One winter night a storm knocks out the great lamp.

Tom climbs the tower with a hand lantern and keeps it burning until dawn.

A fishing boat that was lost in the dark sees the light and reaches the harbour safely.

After the storm, the town gives Tom a silver medal.
"""


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    folder: Path = tmp_path_factory.mktemp("courses") / "lighthouse"
    folder.mkdir()
    (folder / "story.md").write_text(STORY, encoding="utf-8")
    return Engine(load_course(folder))


def _quote(engine: Engine, question: str) -> str:
    answer = engine.ask(question)
    assert answer.answered, question
    return answer.citations[0].quote


def test_order_questions_are_recognised_however_they_are_typed():
    assert order_question("What happens after the third wish?") == OrderQuestion(AFTER, "the third wish")
    assert order_question("what happened right before the storm") == OrderQuestion(BEFORE, "the storm")
    assert order_question("so what comes next after mitosis??") == OrderQuestion(AFTER, "mitosis")
    assert order_question("what happens when the lamp goes out") is None  # the event itself, not what follows
    assert order_question("what did tom do after the storm") is None


def test_what_happens_after_an_event_is_the_sentence_after_the_one_telling_it(story):
    assert _quote(story, "what happens after the storm knocks out the lamp").startswith("Tom climbs the tower")
    assert _quote(story, "what happened next after tom climbed the tower").startswith("A fishing boat")


def test_what_happens_before_an_event_is_the_sentence_before_it(story):
    assert _quote(story, "what happened before the boat reached the harbour").startswith("Tom climbs the tower")


def test_a_sentence_saying_what_came_after_the_event_answers_itself(story):
    assert _quote(story, "what happens after the storm") == "After the storm, the town gives Tom a silver medal."
    assert relation_clauses("After the storm, the town gives Tom a medal.", AFTER) == ["the storm, the town gives Tom"]


def test_an_answer_found_through_the_order_of_the_text_is_not_claimed_as_sure(story):
    assert story.ask("what happens after the storm knocks out the lamp").confidence < 0.8


def test_an_event_the_course_does_not_tell_is_still_not_covered(story):
    answer = story.ask("what happens after the dragon attacks")
    assert not answer.answered and answer.reason == "not_covered"
