"""The teacher's review queue on each backend: what has not been reviewed, and marks that keep it reviewed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.clock import FakeClock


async def test_reviewed_rows_do_not_come_back_even_when_asked_again(db):
    clock = FakeClock()
    async with db.open(clock=clock) as store:
        await store.record_unanswered("discord", "crisis", "g", "c", "What about Berlin?", None)
        await store.record_unanswered("discord", "crisis", "g", "c", "who was u thant", None)
        await store.record_feedback("discord", "g", "c", "u1", "who met rfk", "dobrynin", False, message_id="m1")
        await store.record_feedback("discord", "g", "c", "u2", "who met rfk", "dobrynin", True, message_id="m2")
        rows = await store.review_rows("crisis")
        assert sorted((r.kind, r.question) for r in rows) == [
            ("unanswered", "What about Berlin?"), ("unanswered", "who was u thant"), ("unhelpful", "who met rfk")]
        berlin = next(r for r in rows if r.question == "What about Berlin?")
        vote = next(r for r in rows if r.kind == "unhelpful")
        await store.mark_reviewed([berlin.row_id], [vote.row_id])
        clock.advance(timedelta(hours=1))
        await store.record_unanswered("discord", "crisis", "g", "c", "what about berlin", None)
        left = await store.review_rows("crisis")
    assert [(r.kind, r.question) for r in left] == [("unanswered", "who was u thant")]



async def test_review_rows_are_most_asked_first_then_latest_and_a_review_mark_keeps_the_exact_time(db):
    clock = FakeClock(datetime(2026, 3, 2, 9, 30, 15, 250000, tzinfo=UTC))
    async with db.open(clock=clock) as store:
        for q in ("who was castro", "Who was Castro?", "what is a blockade"):
            await store.record_unanswered("discord", "crisis", "g", "c", q, None)
            clock.advance(timedelta(minutes=1))
        await store.record_feedback("discord", "g", "c", "u1", "who met rfk", "dobrynin", False, message_id="m1")
        await store.record_unanswered("discord", "other-course", "g", "c", "not this course", None)
        rows = await store.review_rows("crisis")
        marked_at = clock.now().timestamp()
        await store.mark_reviewed([rows[0].row_id], [])
    assert [(r.kind, r.question, r.count, r.fact_id) for r in rows] == [
        ("unanswered", "Who was Castro?", 2, None), ("unhelpful", "who met rfk", 1, "dobrynin"),
        ("unanswered", "what is a blockade", 1, None),
    ]  # fmt: skip
    # a unix time survives to the millisecond (a 4-byte REAL would round it by up to a minute)
    [(stored,)] = await db.rows(f"SELECT reviewed_at FROM unanswered WHERE id = {rows[0].row_id}")
    assert abs(stored - marked_at) < 0.001
