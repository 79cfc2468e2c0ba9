"""Reveals, points, streaks and leaderboards, on every backend."""

from __future__ import annotations

from bot.store import Scoring
from tests.store.helpers import a_round, posted_round


async def test_streak_counts_consecutive_rounds_not_calendar_days(db):
    scoring = Scoring(points=10, streak_bonus=2, streak_bonus_cap=4)
    async with db.open() as store:
        awarded = []
        # Mon-Thu, then a post that failed on Friday, nothing at the weekend, then Monday and Tuesday
        for day in ["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-12", "2026-01-13"]:
            if day == "2026-01-12":
                failed = await store.create_round("discord", a_round(day="2026-01-09"))
                await store.mark_round_failed(failed.id, "Missing Access")
            r = await posted_round(store, day=day)
            await store.record_answer(r.id, "u1", "1962", True, now=1500.0)
            awarded.append((await store.reveal_round(r.id, scoring))[0])
        assert [a.streak for a in awarded] == [1, 2, 3, 4, 5, 6]
        assert [a.points for a in awarded] == [10, 12, 14, 14, 14, 14]  # bonus capped at 4
        stats = await store.user_stats("discord", "g1", "u1", today="2026-01-13")
        assert (stats.points, stats.streak, stats.best_streak, stats.correct, stats.rank) == (78, 6, 6, 6, 1)
        weeks_later = await store.user_stats("discord", "g1", "u1", today="2026-02-20")
        assert weeks_later.streak == 6  # trivia was off since: no round missed, nothing broken

        missed = await posted_round(store, day="2026-02-23")  # a round u1 did not answer
        await store.record_answer(missed.id, "u2", "1962", True, now=1500.0)
        await store.reveal_round(missed.id, scoring)
        after = await store.user_stats("discord", "g1", "u1", today="2026-02-23")
        assert (after.streak, after.best_streak) == (0, 6)
        assert {r.user_id: r.streak for r in await store.leaderboard("discord", "g1", "all", today="2026-02-23")} == {
            "u1": 0, "u2": 1,
        }  # fmt: skip
        back = await posted_round(store, day="2026-02-24")
        await store.record_answer(back.id, "u1", "1962", True, now=1500.0)
        assert [a.streak for a in await store.reveal_round(back.id, scoring)] == [1]


async def test_streaks_are_per_server_whichever_channel_the_rounds_are_in(db):
    async with db.open() as store:
        streaks = []
        for day, channel in [("2026-01-05", "c1"), ("2026-01-06", "c1"), ("2026-01-06", "c2"), ("2026-01-07", "c2"),
                             ("2026-01-08", "c1")]:
            r = await posted_round(store, day=day, channel=channel)
            await store.record_answer(r.id, "u1", "1962", True, now=1500.0)
            streaks += [a.streak for a in await store.reveal_round(r.id, Scoring())]
        stats = await store.user_stats("discord", "g1", "u1", today="2026-01-08")
        # right in two channels on the 6th: that day counts once, and the streak carries on in c2 and back in c1
        assert streaks == [1, 2, 2, 3, 4] and (stats.streak, stats.best_streak) == (4, 4)
        other = await posted_round(store, day="2026-01-05", channel="c9", guild="g2")  # another server: its own
        await store.record_answer(other.id, "u1", "1962", True, now=1500.0)
        assert [a.streak for a in await store.reveal_round(other.id, Scoring())] == [1]
        missed = await posted_round(store, day="2026-01-09", channel="c2")  # a server day u1 did not answer
        await store.reveal_round(missed.id, Scoring())
        assert (await store.user_stats("discord", "g1", "u1", today="2026-01-09")).streak == 0


async def test_a_round_right_elsewhere_the_same_day_keeps_a_streak_a_wrong_one_made(db):
    async with db.open() as store:
        streaks = []
        for day, channel, right in [("2026-01-05", "c1", True), ("2026-01-06", "c1", False), ("2026-01-06", "c2", True),
                                    ("2026-01-07", "c1", True)]:
            r = await posted_round(store, day=day, channel=channel)
            await store.record_answer(r.id, "u1", "x", right, now=1500.0)
            streaks += [a.streak for a in await store.reveal_round(r.id, Scoring())]
    assert streaks == [1, 2, 3]


async def test_wrong_answer_breaks_the_streak(db):
    async with db.open() as store:
        streaks = []
        for day, right in [("2026-01-05", True), ("2026-01-06", False), ("2026-01-07", True)]:
            r = await posted_round(store, day=day)
            await store.record_answer(r.id, "u1", "x", right, now=1500.0)
            streaks += [a.streak for a in await store.reveal_round(r.id, Scoring())]
    assert streaks == [1, 1]


async def test_leaderboard_week_and_all_time_and_optout(db):
    async with db.open() as store:
        # last week (Mon 2025-12-29): u1 right; this week (Mon 2026-01-05): u2 right twice, u3 once
        plan = {"2025-12-31": {"u1": True}, "2026-01-05": {"u2": True, "u3": True, "u1": False},
                "2026-01-06": {"u2": True, "u3": False}}
        for day, answers in plan.items():
            r = await posted_round(store, day=day)
            for user, right in answers.items():
                await store.record_answer(r.id, user, "x", right, now=1500.0)
            await store.reveal_round(r.id, Scoring(points=10, streak_bonus=0))
        week = await store.leaderboard("discord", "g1", "week", today="2026-01-07")
        alltime = await store.leaderboard("discord", "g1", "all", today="2026-01-07")
        assert [(r.rank, r.user_id, r.points) for r in week] == [(1, "u2", 20), (2, "u3", 10)]
        assert [(r.user_id, r.points) for r in alltime] == [("u2", 20), ("u1", 10), ("u3", 10)] or [
            (r.user_id, r.points) for r in alltime
        ] == [("u2", 20), ("u3", 10), ("u1", 10)]
        await store.set_leaderboard_optout("discord", "g1", "u2")
        week = await store.leaderboard("discord", "g1", "week", today="2026-01-07")
        assert [r.user_id for r in week] == ["u3"]
        hidden = await store.user_stats("discord", "g1", "u2", today="2026-01-07")
        assert hidden.optout and hidden.rank is None and hidden.points == 20
        assert (await store.user_stats("discord", "g1", "u3", today="2026-01-07")).rank == 1
        await store.set_leaderboard_optout("discord", "g1", "u2", False)
        assert (await store.leaderboard("discord", "g1", "all", limit=1, today="2026-01-07"))[0].user_id == "u2"
        other_guild = await store.leaderboard("discord", "g2", "all")
    assert other_guild == []
