"""Feedback and the unanswered-question log, on every backend."""

from __future__ import annotations

from bot.core.clock import FakeClock
from tests.store.helpers import posted_round


async def test_feedback_second_vote_on_same_message_replaces_the_first(db):
    async with db.open() as store:
        await store.record_feedback("discord", "g", "c", "u1", "who?", "dobrynin", True, message_id="m1")
        await store.record_feedback("discord", "g", "c", "u1", "who?", "dobrynin", False, message_id="m1")
        await store.record_feedback("discord", "g", "c", "u2", "who?", "dobrynin", True, message_id="m1")
        counts = {c.fact_id: c for c in await store.feedback_counts()}
    assert (counts["dobrynin"].helpful, counts["dobrynin"].unhelpful) == (1, 1)


async def test_unanswered_questions_grouped_most_asked_first_and_askers_only_when_given(db):
    clock = FakeClock()
    async with db.open(clock=clock) as store:
        await store.record_unanswered("discord", "crisis", "g", "c", "What about Berlin?", None)
        clock.advance(minutes=1)
        await store.record_unanswered("slack", "crisis", "T", "C", "what about  berlin", "U7")
        await store.record_unanswered("discord", "crisis", "g", "c", "Who was U Thant?", None)
        await store.record_unanswered("discord", "other", "g", "c", "Unrelated", None)
        rows = await store.list_unanswered("crisis", limit=10)
    assert [(r.question, r.count) for r in rows] == [("what about berlin", 2), ("Who was U Thant?", 1)]
    assert rows[0].user_ids == ("U7",) and rows[1].user_ids == ()


async def test_unanswered_log_caps_the_text_and_merges_repeats_into_one_row(db):
    from bot.store.rules import UNANSWERED_MAX_CHARS

    clock = FakeClock()
    async with db.open(clock=clock) as store:
        long = "why " + "blah " * 400
        for n in range(5):
            await store.record_unanswered("discord", "crisis", "g", "c", long.upper() if n % 2 else long, None, f"u{n}")
            clock.advance(minutes=1)
        [row] = await store.list_unanswered("crisis")
    assert row.count == 5 and len(row.question) <= UNANSWERED_MAX_CHARS and row.question.endswith("…")
    assert row.last_asked - row.first_asked == 4 * 60
    assert await db.rows("SELECT COUNT(*), MAX(LENGTH(question)), MAX(LENGTH(question_key)) FROM unanswered") \
        == [(1, len(row.question), len(row.question) - 1)]  # the key: the text without its "…"


async def test_one_asker_adds_at_most_the_daily_quota_and_again_the_next_day(db):
    from bot.store.rules import UNANSWERED_PER_ASKER_PER_DAY as QUOTA

    clock = FakeClock()
    async with db.open(clock=clock) as store:
        kept = [await store.record_unanswered("slack", "crisis", "T", "C", f"question number {i}", None, "U1")
                for i in range(QUOTA + 5)]
        assert kept == [True] * QUOTA + [False] * 5
        assert await store.record_unanswered("slack", "crisis", "T", "C", "another student", None, "U2")
        assert not await store.record_unanswered("slack", "crisis", "T", "C", "question number 0", None, "U1")
        assert await store.count_unanswered("crisis") == QUOTA + 1
        clock.advance(days=1)
        assert await store.record_unanswered("slack", "crisis", "T", "C", "a new day", None, "U1")
        quota_rows = await db.rows("SELECT day, asker FROM unanswered_quota")
    assert len(quota_rows) == 1  # only today's counts are kept, and not as user ids
    assert all("U1" not in asker and "U2" not in asker for _, asker in quota_rows)


async def test_control_and_bidi_characters_never_reach_the_log(db):
    async with db.open() as store:
        await store.record_unanswered("discord", "crisis", "g", "c", "who\x1b]0;owned\x07 was\rU\u202eThant\u2028?", "u\x071")
        [row] = await store.list_unanswered("crisis")
    assert row.question == "who was UThant ?" and row.user_ids == ("u1",)


async def test_feedback_and_trivia_answers_are_kept_clean_and_capped_too(db):
    async with db.open() as store:
        r = await posted_round(store)
        await store.record_answer(r.id, "u1", "\x1b]0;x\x07nineteen\r\u202e62" + " sixty" * 500, False, now=1500.0)
        await store.record_feedback("discord", "g", "c", "u1", "who\x1b[2K won\x07" * 200, "f", True, "m1")
        answer, _ = await store.get_answer(r.id, "u1")
    [(question,)] = await db.rows("SELECT question FROM feedback")
    assert answer.startswith("nineteen 62 sixty") and len(answer) <= 300 and len(question) <= 300
    assert not any(ch in answer + question for ch in "\x1b\x07\r\u202e")
