"""Selection, multiple choice, the round service (rounds, answers, reveal, scoring), the real course's items, and the terminal preview that plays them."""

from __future__ import annotations

import io
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.clock import FakeClock
from bot.core.errors import TriviaError
from bot.core.knowledge import load_course
from bot.core.models import TriviaItem
from bot.core.settings import TriviaSettings
from bot.core.trivia.answers import check_answer
from bot.core.trivia.rounds import TriviaService
from bot.core.trivia.selection import build_choices, select_item
from bot.store import ItemUsage, open_store
from tests.core.test_trivia_course import FACTS, make_course

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # a Monday


@pytest.fixture
async def env(tmp_path):
    clock = FakeClock(START)
    course = make_course()
    async with open_store(tmp_path / "bot.db", clock=clock) as store:
        service = TriviaService(store, course, TriviaSettings(answer_window_minutes=60, points=10, streak_bonus=2,
                                                             streak_bonus_cap=10), clock)
        yield store, service, clock


async def play_day(store, service, clock, answers: dict[str, str], day: date | None = None):
    r = await service.start_round("discord", "g1", "c1", day=day)
    await service.confirm_posted(r, f"m{r.id}")
    results = {u: await service.submit_answer(r.id, u, a) for u, a in answers.items()}
    clock.advance(minutes=61)
    reveal = await service.reveal(r.id)
    clock.advance(timedelta(days=1) - timedelta(minutes=61))
    return r, results, reveal


def right_answer(service, round) -> str:
    return service.item(round.item_id).answer


def wrong_answer(service, round) -> str:
    if round.choices:
        return next(c for c in round.choices if c != right_answer(service, round))
    return "certainly wrong"


# ---- selection --------------------------------------------------------------------------------


def test_selection_is_deterministic_given_the_seed():
    items = make_course().trivia_items
    assert select_item(items, [], "g1:2026-01-05") == select_item(items, [], "g1:2026-01-05")
    picks = {select_item(items, [], f"g1:2026-01-{d:02d}").id for d in range(1, 29)}
    assert len(picks) > 1  # the seed matters


async def test_no_repeats_until_every_item_has_been_used(env):
    store, service, clock = env
    n = len(FACTS)
    seen = []
    for _ in range(2 * n):
        r, _, _ = await play_day(store, service, clock, {})
        seen.append(r.item_id)
    assert len(set(seen[:n])) == n
    assert len(set(seen[n:])) == n
    assert all(a != b for a, b in zip(seen, seen[1:], strict=False))


def test_items_the_class_got_wrong_come_back_sooner():
    items = make_course().trivia_items
    history = [ItemUsage(it.id, 1, f"2026-01-0{i + 1}", 10, 0 if it.id == "blockade" else 10) for i, it in
               enumerate(items)]
    firsts = Counter(select_item(items, history, f"seed{i}").id for i in range(300))
    fair = 300 / len(items)
    assert firsts["blockade"] > 2 * fair
    last_used = items[-1].id
    assert set(firsts) == {it.id for it in items} - {last_used}  # the others still come up, not back to back


def test_select_item_with_no_items_explains():
    with pytest.raises(TriviaError, match="no trivia questions"):
        select_item([], [], "x")


# ---- multiple choice ----------------------------------------------------------------------------


def test_choices_hold_the_answer_and_the_items_distractors_shuffled_deterministically():
    items = make_course().trivia_items
    dobrynin = next(it for it in items if it.id == "dobrynin")
    choices = build_choices(dobrynin, items, "seed")
    assert sorted(choices) == sorted(["Anatoly Dobrynin", "Andrei Gromyko", "Nikita Khrushchev", "Fidel Castro"])
    assert build_choices(dobrynin, items, "seed") == choices
    orders = {build_choices(dobrynin, items, f"seed{i}") for i in range(20)}
    assert len(orders) > 1


def test_items_with_few_distractors_borrow_answers_of_the_same_type():
    items = make_course().trivia_items
    khrushchev = next(it for it in items if it.id == "khrushchev")  # one distractor of its own
    choices = build_choices(khrushchev, items, "seed")
    assert len(choices) == 3
    assert set(choices) == {"Nikita Khrushchev", "Leonid Brezhnev", "Anatoly Dobrynin"}


def test_items_without_enough_choices_become_free_text():
    items = make_course().trivia_items
    date_item = next(it for it in items if it.id == "meeting-date")  # no distractors, no other dates
    assert build_choices(date_item, items, "seed") == ()


def test_a_distractor_equal_to_an_accepted_answer_is_dropped():
    it = TriviaItem("q", "q", "?", "quarantine", accept=("blockade",), distractors=("Blockade", "siege", "embargo"))
    assert "Blockade" not in build_choices(it, [it], "s")


# ---- service ------------------------------------------------------------------------------------


async def test_round_is_recorded_pending_before_it_is_posted(env):
    store, service, clock = env
    r = await service.start_round("discord", "g1", "c1")
    assert r.id is not None and r.status == "pending" and r.day == "2026-01-05"
    assert (await store.round_for_day("discord", "g1", "c1", "2026-01-05")).status == "pending"
    await service.confirm_posted(r, "m1")
    posted = await store.get_round_by_message("discord", "m1")
    assert posted.id == r.id and posted.status == "posted"
    assert posted.closes_at - posted.posted_at == 3600
    with pytest.raises(TriviaError, match="one question per day"):
        await service.start_round("discord", "g1", "c1")


async def test_post_round_records_pending_before_sending_then_marks_it_posted(env):
    store, service, clock = env
    seen = []

    async def send(round, question):
        seen.append(((await store.get_round(round.id)).status, question.question))
        return "m7"

    result = await service.post_round("discord", "g1", "c1", send)
    assert result.posted and result.error is None
    assert seen == [("pending", result.round.meta["question"])]  # recorded before it went out
    assert (result.round.status, result.round.message_id) == ("posted", "m7")
    assert (await store.get_round_by_message("discord", "m7")).id == result.round.id
    with pytest.raises(TriviaError, match="one question per day"):
        await service.post_round("discord", "g1", "c1", send)
    assert len(seen) == 1


async def test_post_round_marks_a_refused_send_failed_and_says_why(env):
    store, service, clock = env

    async def refused(round, question):
        raise RuntimeError("Missing Access")

    result = await service.post_round("discord", "g1", "c1", refused)
    assert not result.posted and result.error == "Missing Access"
    assert result.round.status == "failed" and "Missing Access" in result.round.meta["failure"]
    assert await store.pending_rounds() == []


async def test_day_follows_the_configured_timezone(env):
    store, service, clock = env
    clock.set(datetime(2026, 1, 5, 20, 0, tzinfo=UTC))
    await store.set_trivia_config("discord", "g1", "c1", "05:00", "Asia/Tokyo")  # 05:00 on the 6th there
    r = await service.start_round("discord", "g1", "c1")
    assert r.day == "2026-01-06"


async def test_double_submit_is_counted_once_and_correctness_is_not_told(env):
    store, service, clock = env
    r = await service.start_round("discord", "g1", "c1")
    await service.confirm_posted(r, "m1")
    answer = right_answer(service, r)
    first = await service.submit_answer(r.id, "u1", answer)
    second = await service.submit_answer(r.id, "u1", wrong_answer(service, r))
    third = await service.submit_answer(r.id, "u1", "not even a choice")
    assert first.counted and first.status == "recorded" and first.correct is True
    assert "recorded" in first.message.lower() and "correct" not in first.message.lower()
    assert not second.counted and second.status == "already_answered"
    assert not third.counted and third.status == "already_answered"
    assert (await store.round_stats(r.id)).answered == 1
    assert await store.get_answer(r.id, "u1") is not None


async def test_clicked_choice_index_is_judged(env):
    store, service, clock = env
    service = TriviaService(store, make_course(FACTS[:2]), service.settings, clock)  # both multiple choice
    r = await service.start_round("discord", "g1", "c1", free_text=False)
    await service.confirm_posted(r, "m1")
    assert len(r.choices) == 4
    good = r.choices.index(right_answer(service, r))
    bad = (good + 1) % len(r.choices)
    assert (await service.submit_answer(r.id, "u1", good)).correct is True
    assert (await service.submit_answer(r.id, "u2", bad)).correct is False
    assert (await service.submit_answer(r.id, "u3", 99)).status == "invalid"
    assert (await service.submit_answer(r.id, "u4", "not a choice at all")).status == "invalid"


async def test_free_text_rounds_by_config(env):
    store, service, clock = env
    await store.set_trivia_config("discord", "g1", "c1", "09:00", "UTC", free_text=True)
    r = await service.start_round("discord", "g1", "c1")
    assert r.choices == ()
    assert service.question(r).free_text


async def test_answers_after_the_window_are_refused(env):
    store, service, clock = env
    r = await service.start_round("discord", "g1", "c1")
    await service.confirm_posted(r, "m1")
    clock.advance(minutes=60)
    late = await service.submit_answer(r.id, "u1", "1962")
    assert not late.counted and late.status == "closed"
    assert (await service.submit_answer(999, "u1", "x")).status == "unknown_round"


async def test_reveal_gives_answer_citation_and_share_without_names(env):
    store, service, clock = env
    r = await service.start_round("discord", "g1", "c1")
    await service.confirm_posted(r, "m1")
    item = service.item(r.item_id)
    await service.submit_answer(r.id, "alice", item.answer)
    await service.submit_answer(r.id, "bob", wrong_answer(service, r))
    await service.submit_answer(r.id, "carol", item.answer)
    clock.advance(minutes=61)
    reveal = await service.reveal(r.id)
    assert reveal.answer == item.answer and reveal.first_time
    assert reveal.citation == service.course.fact(item.fact_id).citation
    assert (reveal.answered, reveal.correct) == (3, 2)
    assert reveal.summary() == "3 answered, 67% got it right."
    assert "bob" not in reveal.summary()
    assert sorted(a.user_id for a in reveal.awards) == ["alice", "carol"]
    assert reveal.choices, "this course's items have distractors: a multiple-choice round"
    assert reveal.choices[reveal.correct_index] == item.answer
    again = await service.reveal(r.id)
    assert not again.first_time and again.awards == ()
    assert (await service.user_stats("discord", "g1", "alice")).points == 10  # awarded once


async def test_streak_bonus_and_leaderboards_through_the_service(env):
    store, service, clock = env
    for _ in range(3):  # Mon, Tue, Wed: u1 always right; u2 right on Monday only
        r = await service.start_round("discord", "g1", "c1")
        await service.confirm_posted(r, f"m{r.id}")
        await service.submit_answer(r.id, "u1", right_answer(service, r))
        await service.submit_answer(r.id, "u2", right_answer(service, r) if r.day == "2026-01-05" else wrong_answer(service, r))
        clock.advance(minutes=61)
        await service.reveal(r.id)
        clock.advance(timedelta(days=1) - timedelta(minutes=61))
    board = await service.leaderboard("discord", "g1", "week")
    assert [(row.user_id, row.points, row.streak) for row in board] == [("u1", 10 + 12 + 14, 3), ("u2", 10, 0)]
    await store.set_leaderboard_optout("discord", "g1", "u1")
    assert [row.user_id for row in await service.leaderboard("discord", "g1", "all")] == ["u2"]
    clock.advance(days=7)  # next week: nothing yet this week
    assert await service.leaderboard("discord", "g1", "week") == []
    assert [row.user_id for row in await service.leaderboard("discord", "g1", "all")] == ["u2"]


async def test_a_course_without_trivia_is_explained(tmp_path):
    course = make_course([])
    async with open_store(tmp_path / "bot.db") as store:
        with pytest.raises(TriviaError, match="no trivia questions"):
            await TriviaService(store, course).start_round("discord", "g", "c")


async def test_reveal_still_works_when_the_fact_left_the_course(env):
    store, service, clock = env
    r = await service.start_round("discord", "g1", "c1")
    await service.confirm_posted(r, "m1")
    item = service.item(r.item_id)
    await service.submit_answer(r.id, "u1", item.answer)
    smaller = make_course([f for f in FACTS if f[0] != item.id])
    later = TriviaService(store, smaller, service.settings, clock)
    clock.advance(minutes=61)
    reveal = await later.reveal(r.id)
    assert reveal.answer == item.answer and reveal.citation is None and reveal.correct == 1


# ---- the terminal preview -----------------------------------------------------------------------


def test_run_trivia_plays_rounds_from_input_and_output_streams():
    from bot.adapters.console.trivia import run_trivia

    course = make_course()
    answers = [f"{it.answer}\n" for it in course.trivia_items]
    # The round order is the engine's; type every answer until one is accepted: wrong ones cost the round.
    out = io.StringIO()
    code = run_trivia(course, TriviaSettings(), rounds=2, input=io.StringIO("".join(answers)), output=out)
    text = out.getvalue()
    assert code == 0
    assert "Question 1/2:" in text and "Question 2/2:" in text
    assert "The answer:" in text and "    “A sentence that proves" in text
    assert "    — Cuban missile crisis averted, ¶" in text  # the title once, then where
    assert "You got" in text


def test_run_trivia_shows_numbered_choices_and_accepts_a_number():
    from bot.adapters.console.trivia import run_trivia

    course = make_course([FACTS[0]] + [FACTS[1]])
    out = io.StringIO()
    run_trivia(course, TriviaSettings(), rounds=1, input=io.StringIO("9\n1\n"), output=out)
    text = out.getvalue()
    assert "  1. " in text and "  4. " in text
    assert "Pick one of the choices (1-4)." in text  # 9 is not a choice: asked again
    assert "You got" in text


def test_run_trivia_stops_on_end_of_input_and_on_q():
    from bot.adapters.console.trivia import run_trivia

    out = io.StringIO()
    assert run_trivia(make_course(), rounds=3, input=io.StringIO(""), output=out) == 0
    assert "No questions answered." in out.getvalue()
    out = io.StringIO()
    run_trivia(make_course(), rounds=3, input=io.StringIO("q\n"), output=out)
    assert "Question 2/3" not in out.getvalue()


def test_run_trivia_without_items_returns_1():
    from bot.adapters.console.trivia import run_trivia

    out = io.StringIO()
    assert run_trivia(make_course([]), rounds=1, input=io.StringIO(""), output=out) == 1
    assert "no trivia questions" in out.getvalue()


# ---- the real course ----------------------------------------------------------------------------

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge" / "cuban-missile-crisis"


def _real_course():
    return load_course(KNOWLEDGE)


def test_every_real_trivia_item_accepts_its_own_answers_and_rejects_its_distractors():
    course = _real_course()
    items = course.trivia_items
    assert items, "the bundled course should have trivia"
    for it in items:
        for good in (it.answer, *it.accept):
            assert check_answer(it, good), (it.id, good)
        for bad in it.distractors:
            assert not check_answer(it, bad), (it.id, bad)
        assert course.fact(it.fact_id).citation.quote


async def test_real_course_rounds_have_choices_with_the_answer(tmp_path):
    course = _real_course()
    clock = FakeClock(START)
    async with open_store(tmp_path / "bot.db", clock=clock) as store:
        service = TriviaService(store, course, TriviaSettings(), clock)
        for day in range(len(course.trivia_items)):
            r = await service.start_round("slack", "T1", "C1", day=date(2026, 2, 1) + timedelta(days=day))
            # every bundled item has three distractors of its own: always a multiple-choice round
            assert len(service.item(r.item_id).distractors) >= 2 and r.choices, r.item_id
            assert right_answer(service, r) in r.choices
            assert len(set(r.choices)) == len(r.choices)
        history = await store.item_history("slack", "T1", "C1")
        assert history == []  # pending rounds are not "used" until posted
