"""Trivia rounds and answers, on every backend: one round per channel per day, life cycle, answers counted once."""

from __future__ import annotations

import asyncio

import pytest

from bot.store import RoundExists, Scoring
from tests.store.helpers import a_round, posted_round


async def test_a_channel_can_never_get_two_rounds_on_one_day(db):
    async with db.open() as store:
        first = await store.create_round("discord", a_round())
        with pytest.raises(RoundExists) as err:
            await store.create_round("discord", a_round(item="days"))
        assert err.value.existing.id == first.id
        other_channel = await store.create_round("discord", a_round(channel="c2"))
        assert other_channel.id != first.id
        found = await store.round_for_day("discord", "g1", "c1", "2026-01-05")
    assert found is not None and found.item_id == "year" and found.status == "pending"
    assert found.meta["platform"] == "discord" and found.choices == ("1962", "1963", "1961")


async def test_round_life_cycle_and_lookups(db):
    async with db.open() as store:
        r = await store.create_round("discord", a_round())
        assert [p.id for p in await store.pending_rounds()] == [r.id]
        await store.mark_round_posted(r.id, "m42")
        assert (await store.get_round_by_message("discord", "m42")).id == r.id
        assert await store.get_round_by_message("slack", "m42") is None
        assert [o.id for o in await store.open_rounds("discord")] == [r.id]
        assert await store.reveal_round(r.id, Scoring()) == []
        assert await store.reveal_round(r.id, Scoring()) is None  # once only
        assert (await store.get_round(r.id)).status == "revealed"
        assert await store.open_rounds() == []
        failed = await store.create_round("discord", a_round(day="2026-01-06"))
        await store.mark_round_failed(failed.id, "no permission")
        got = await store.get_round(failed.id)
    assert got.status == "failed" and got.meta["failure"] == "no permission"


async def test_one_counted_answer_per_student_per_round(db):
    async with db.open() as store:
        r = await posted_round(store)
        assert await store.record_answer(r.id, "u1", "1962", True, now=1500.0) == "recorded"
        assert await store.record_answer(r.id, "u1", "1963", False, now=1500.0) == "already_answered"
        assert await store.get_answer(r.id, "u1") == ("1962", True)
        results = await asyncio.gather(*(store.record_answer(r.id, "u2", str(i), False, now=1500.0) for i in range(10)))
        assert results.count("recorded") == 1
        stats = await store.round_stats(r.id)
    assert (stats.answered, stats.correct) == (2, 1)


async def test_an_answer_is_refused_once_the_round_is_revealed_or_its_window_has_closed(db):
    async with db.open() as store:
        r = await posted_round(store)  # open from 1000 to 2000
        assert await store.record_answer(r.id, "u1", "1962", True, now=1999.0) == "recorded"
        assert await store.record_answer(r.id, "u2", "1962", True, now=2000.0) == "closed"  # window over
        assert await store.reveal_round(r.id, Scoring()) is not None
        # revealed (and scored) early, inside the window: nothing more gets in, so nothing goes unscored
        assert await store.record_answer(r.id, "u3", "1962", True, now=1500.0) == "closed"
        pending = await store.create_round("discord", a_round(day="2026-01-06"))
        await store.mark_round_failed(pending.id, "boom")
        assert await store.record_answer(pending.id, "u1", "1962", True, now=1500.0) == "closed"
        assert await store.record_answer(999, "u1", "x", True, now=1500.0) == "closed"
        assert (await store.round_stats(r.id)).answered == 1
        assert await store.get_answer(r.id, "u3") is None


async def test_answer_double_submit_from_two_connections_counted_once(db):
    async with db.open() as a, db.open() as b:
        r = await posted_round(a)
        results = await asyncio.gather(
            a.record_answer(r.id, "u1", "x", True, now=1500.0), b.record_answer(r.id, "u1", "y", False, now=1500.0)
        )
        assert sorted(results) == ["already_answered", "recorded"]
        assert (await b.round_stats(r.id)).answered == 1


async def test_item_history_counts_rounds_that_went_out(db):
    async with db.open() as store:
        r1 = await posted_round(store, day="2026-01-05", item="year")
        await store.record_answer(r1.id, "u1", "1962", True, now=1500.0)
        await store.record_answer(r1.id, "u2", "1963", False, now=1500.0)
        await posted_round(store, day="2026-01-06", item="days")
        failed = await store.create_round("discord", a_round(day="2026-01-07", item="blockade"))
        await store.mark_round_failed(failed.id, "boom")
        await posted_round(store, day="2026-01-05", item="days", channel="c2")
        history = {u.item_id: u for u in await store.item_history("discord", "g1", "c1")}
        whole_guild = await store.item_history("discord", "g1")
    assert set(history) == {"year", "days"}
    assert (history["year"].answered, history["year"].correct, history["year"].share_correct) == (2, 1, 0.5)
    assert history["days"].share_correct is None
    assert {u.item_id: u.times_used for u in whole_guild} == {"year": 1, "days": 2}


async def test_two_processes_recording_the_days_round_for_a_channel_get_one_round(db):
    async with db.open() as a, db.open() as b:
        results = await asyncio.gather(
            a.create_round("discord", a_round(item="year")), b.create_round("discord", a_round(item="days")),
            return_exceptions=True,
        )
        created = [r for r in results if not isinstance(r, BaseException)]
        refused = [r for r in results if isinstance(r, RoundExists)]
        assert len(created) == 1 and len(refused) == 1, results
        assert refused[0].existing.id == created[0].id  # the other is told which round there is
        assert len(await b.pending_rounds()) == 1
