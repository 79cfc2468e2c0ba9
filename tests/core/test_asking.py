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
    from bot.core.trivia.rounds import TriviaService

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


# ---- one slow question must not stall the event loop (issue 9 item 6) ---------------------------


def _large_course(n: int = 4000, seed: int = 7):
    """A real course of n sentences and n facts citing them (the shape of bench/bench_engine.py's)."""
    import random

    from bot.core.knowledge import citation_for
    from bot.core.models import Course, Fact, Source
    from bot.core.passages import split_passages

    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "sa", "do", "fe", "gu", "hi", "ja", "be"]
    vocab = sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(20_000)})
    sentences = [" ".join(rng.choices(vocab, k=rng.randint(8, 22))).capitalize() + "." for _ in range(n)]
    text = "Generated course\n\n" + "\n\n".join(" ".join(sentences[i : i + 4]) for i in range(0, n, 4)) + "\n"
    passages = split_passages("gen", text)
    source = Source("gen", "Generated course", "gen.txt", text)
    facts = tuple(
        Fact(id=f"f{i}", questions=("what about " + " ".join(p.text.rstrip(".").split()[:5]),), answer=p.text,
             citation=citation_for(source, [p]))
        for i, p in enumerate(passages)
    )
    course = Course("gen", "Generated", "", (), (source,), tuple(passages), facts)
    words = sorted({w for p in passages for w in p.text.lower().rstrip(".").split() if len(w) > 5})
    # near misses of the course's own words (one letter dropped each): the costly kind of question
    typos = " ".join(w[:3] + w[4:] for w in rng.sample(words, 200))[:1000]
    return course, typos


def _engine_busy_in_another_thread(loop_thread: int) -> bool:
    """Whether a thread other than the event loop's is inside the engine right now (its stack seen
    through sys._current_frames: an observation, nothing is replaced)."""
    import sys

    for thread, frame in sys._current_frames().items():
        if thread == loop_thread:
            continue
        while frame is not None:
            if frame.f_code.co_filename.endswith(("bot/core/matching.py", "bot/core/answering.py")):
                return True
            frame = frame.f_back
    return False


async def test_other_students_are_answered_while_a_slow_question_is_matched():
    import asyncio
    import sys
    import threading

    course, crafted = _large_course()
    big = Engine(course)
    simple = course.facts[10].questions[0]
    service = AskService(big, None, "discord")
    loop_thread = threading.get_ident()
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-4)  # threads take turns often, so the loop gets turns during the match
    try:
        slow = asyncio.create_task(service.ask(crafted, guild_id=None, channel_id=None, user_id="mallory"))
        answered_meanwhile = []
        while not slow.done():
            if _engine_busy_in_another_thread(loop_thread):  # the loop runs while the crafted one is matched
                quick = await service.ask(simple, guild_id=None, channel_id=None, user_id=f"s{len(answered_meanwhile)}")
                answered_meanwhile.append(quick.fact_id)
            await asyncio.sleep(0)
        await slow
    finally:
        sys.setswitchinterval(interval)
        service.close()
    assert answered_meanwhile and set(answered_meanwhile) == {"f10"}


async def test_control_characters_are_removed_before_the_engine_and_the_store_see_a_question(engine, tmp_path):
    async with open_store(tmp_path / "c.db") as store:
        service = AskService(engine, store, "discord")
        answer = await service.ask("\x1b]0;hacked\x07who was \u202efidel\rcastro\u2028", guild_id="g", channel_id="c",
                                   user_id="u1")
        [row] = await store.list_unanswered("cuban-missile-crisis")
        service.close()
    assert answer.question == "who was fidel castro" and row.question == answer.question


async def test_one_student_cannot_flood_the_teachers_list_even_when_askers_are_not_recorded(engine, tmp_path):
    from bot.store.sqlite import UNANSWERED_PER_ASKER_PER_DAY as QUOTA

    async with open_store(tmp_path / "c.db") as store:
        service = AskService(engine, store, "discord", record_asker_ids=False)
        for i in range(QUOTA + 3):
            await service.ask(f"who was the mayor of town {i}", guild_id="g", channel_id="c", user_id="spammer")
        await service.ask("who was the mayor of paris", guild_id="g", channel_id="c", user_id="someone-else")
        rows = await store.list_unanswered("cuban-missile-crisis", limit=100)
        service.close()
    assert len(rows) == QUOTA + 1 and all(r.user_ids == () for r in rows)


# ---- an open round of an imported quiz item (issue 11 part 6): no passage of its own ------------------


async def test_an_open_quiz_rounds_answer_is_held_back_when_the_course_text_states_it(tmp_path):
    from bot.config import TriviaSettings
    from bot.core.clock import FakeClock
    from bot.core.quizimport import import_quiz
    from bot.core.trivia.rounds import TriviaService
    from tests.fakes.slack_course import write_course

    folder = write_course(tmp_path)
    for fact_file in (folder / "facts").glob("*.yaml"):  # only the quiz has trivia: the round is a quiz item
        fact_file.write_text(fact_file.read_text(encoding="utf-8").split("    trivia:")[0], encoding="utf-8")
    red = tmp_path / "space.yaml"
    red.write_text("AUTHOR: Ms Rivera\nWho first walked on the Moon?:\n- Neil Armstrong\n- Armstrong\n", encoding="utf-8")
    import_quiz(red, folder)
    engine = Engine(load_course(folder))
    assert [i.id for i in engine.course.trivia_items] == [i.id for i in engine.course.quiz]

    async with open_store(tmp_path / "c.db") as store:
        service = TriviaService(store, engine.course, TriviaSettings(), FakeClock())
        asking = AskService(engine, store, "discord")
        assert (await asking.ask("who walked on the moon first", guild_id="g1", channel_id="c2", user_id="u1")).answered
        round = await service.start_round("discord", "g1", "c1")
        await service.confirm_posted(round, "m1")
        held = await asking.ask("who walked on the moon first", guild_id="g1", channel_id="c2", user_id="u1")
        assert not held.answered and held.reason == "trivia_open" and "Armstrong" not in str(held)
        other = await asking.ask("who stayed in orbit", guild_id="g1", channel_id="c2", user_id="u1")
        assert other.answered and "Collins" in other.text  # an answer that does not state it is given
        await service.reveal(round.id)
        assert (await asking.ask("who walked on the moon first", guild_id="g1", channel_id="c2", user_id="u1")).answered


@pytest.mark.parametrize(
    "expected, stated",
    [
        (["Neil Armstrong", "Armstrong"], True),
        (["neil armstrong"], True),  # case and punctuation ignored
        (["1969"], True),
        (["Buzz Aldrin"], False),
        (["Arm"], False),  # whole words only
        (["True", "Yes", "On"], False),  # Red's spellings of a yes/no answer are everywhere in running text
        (["11"], False),  # too short to say the text gives it away
    ],
)
def test_states_answer_looks_for_the_expected_answers_as_whole_words(expected, stated):
    from bot.core.asking import states_answer
    from bot.core.models import Answer, Citation

    quote = "Neil Armstrong was the first person to walk on the Moon, yes, in July 1969 with Apollo 11."
    answer = Answer(question="q", answered=True, text="He did.", confidence=1.0,
                    citations=(Citation("s", "S", "¶1", quote),))
    assert states_answer(answer, expected) is stated
