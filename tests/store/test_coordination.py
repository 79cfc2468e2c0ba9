"""Claims, leases and seen events, on both backends: what keeps several processes on one database
from doing a thing twice (issue 13). Two stores opened on one database stand for two processes."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

from bot.core.clock import FakeClock


async def test_only_one_of_two_processes_claims_a_servers_post_for_a_day(db):
    async with db.open() as a, db.open() as b:
        results = await asyncio.gather(*[
            store.claim_daily_post("discord", "g1", "2026-01-05", name)
            for _ in range(5) for store, name in ((a, "a"), (b, "b"))
        ])  # fmt: skip
        assert sorted(results) == [False] * 9 + [True]
        assert not await a.claim_daily_post("discord", "g1", date(2026, 1, 5), "a")  # not even its taker again
        assert await a.claim_daily_post("discord", "g1", "2026-01-06", "a")  # the next day is free
        assert await b.claim_daily_post("discord", "g2", "2026-01-05", "b")  # another server too
        assert await b.claim_daily_post("slack", "g1", "2026-01-05", "b")  # and another platform


async def test_a_lease_is_held_by_one_holder_renewed_and_taken_over_once_it_expires(db):
    clock = FakeClock(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    async with db.open(clock=clock) as a, db.open(clock=clock) as b:
        assert await a.acquire_lease("scheduler", "a", 10)
        assert not await b.acquire_lease("scheduler", "b", 10)
        clock.advance(seconds=8)
        assert await a.acquire_lease("scheduler", "a", 10)  # renewed: now good until 9:00:18
        clock.advance(seconds=8)
        assert not await b.acquire_lease("scheduler", "b", 10)
        assert await b.acquire_lease("other-job", "b", 10)  # leases are per name
        clock.advance(seconds=3)  # a stopped renewing: expired at 9:00:18
        assert await b.acquire_lease("scheduler", "b", 10)
        assert not await a.acquire_lease("scheduler", "a", 10)


async def test_a_released_lease_is_free_at_once_and_only_its_holder_can_release_it(db):
    async with db.open() as a, db.open() as b:
        assert await a.acquire_lease("scheduler", "a", 60)
        await b.release_lease("scheduler", "b")  # not b's: nothing happens
        assert not await b.acquire_lease("scheduler", "b", 60)
        await a.release_lease("scheduler", "a")
        assert await b.acquire_lease("scheduler", "b", 60)


async def test_an_event_is_a_first_delivery_once_until_its_record_expires(db):
    clock = FakeClock(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    async with db.open(clock=clock) as a, db.open(clock=clock) as b:
        first = await asyncio.gather(*[s.first_delivery("slack", "Ev1", 3600) for s in (a, b, a, b)])
        assert sorted(first) == [False, False, False, True]
        assert await b.first_delivery("slack", "Ev2", 3600)
        assert await b.first_delivery("discord", "Ev1", 3600)  # per platform
        clock.advance(timedelta(hours=1, seconds=1))
        assert await a.first_delivery("slack", "Ev1", 3600)  # forgotten after its time: the table stays small
        assert await db.rows("SELECT platform, event_id FROM seen_events ORDER BY platform, event_id") == [
            ("slack", "Ev1")]


async def test_of_many_racers_for_a_free_or_expired_lease_exactly_one_gets_it(db):
    clock = FakeClock(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    async with db.open(clock=clock) as a, db.open(clock=clock) as b:
        racers = [(store, f"{name}{i}") for i in range(6) for store, name in ((a, "a"), (b, "b"))]
        won = await asyncio.gather(*[store.acquire_lease("scheduler", holder, 10) for store, holder in racers])
        assert sum(won) == 1
        clock.advance(seconds=11)  # the winner stopped renewing
        won = await asyncio.gather(*[store.acquire_lease("scheduler", holder, 10) for store, holder in racers])
        assert sum(won) == 1
        assert await db.rows("SELECT holder FROM leases") == [
            (next(holder for (_, holder), ok in zip(racers, won, strict=True) if ok),)]
