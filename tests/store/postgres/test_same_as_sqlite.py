"""The PostgreSQL store gives exactly what the SQLite store gives: the same trivia history played
on both (several channels and days, right, wrong and missing answers, reveals late and out of
order) awards the same points and streaks and shows the same leaderboards and stats."""

from __future__ import annotations

import random

import pytest

from bot.store import RoundExists, Scoring, open_store
from tests.store.helpers import a_round

USERS = ["u1", "u2", "u3", "u4", "u5"]
DAYS = [f"2026-01-{d:02d}" for d in range(5, 24)]


async def play(target: str, seed: int) -> list[object]:
    rng = random.Random(seed)
    scoring = Scoring(points=10, streak_bonus=2, streak_bonus_cap=6)
    seen: list[object] = []
    async with open_store(target) as store:
        unrevealed: list[int] = []
        for day in DAYS:
            for channel, guild in (("c1", "g1"), ("c2", "g1"), ("c3", "g2")):
                if rng.random() < 0.3:
                    continue  # no round in this channel today
                try:
                    r = await store.create_round("discord", a_round(day, channel, f"item{rng.randrange(6)}", guild))
                except RoundExists:  # pragma: no cover - one per channel per day by construction
                    continue
                if rng.random() < 0.1:
                    await store.mark_round_failed(r.id, "Missing Access")
                    continue
                await store.mark_round_posted(r.id, f"m-{day}-{channel}")
                for user in USERS:
                    if rng.random() < 0.75:
                        seen.append(await store.record_answer(r.id, user, "x", rng.random() < 0.6, now=1500.0))
                unrevealed.append(r.id)
            rng.shuffle(unrevealed)
            while unrevealed and rng.random() < 0.8:  # most revealed the same day, some late, in any order
                seen.append(await store.reveal_round(unrevealed.pop(), scoring))
        for round_id in unrevealed:
            seen.append(await store.reveal_round(round_id, scoring))
        for guild in ("g1", "g2"):
            await store.set_leaderboard_optout("discord", guild, "u5", rng.random() < 0.5)
            for period in ("week", "all"):
                seen.append(await store.leaderboard("discord", guild, period, today=DAYS[-1]))  # type: ignore[arg-type]
            for user in USERS:
                seen.append(await store.user_stats("discord", guild, user, today=DAYS[-1]))
            seen.append(await store.item_history("discord", guild))
    return seen


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_the_same_history_scores_the_same_on_both_backends(seed, tmp_path, pg_dsn):
    on_sqlite = await play(str(tmp_path / "bot.db"), seed)
    on_postgres = await play(pg_dsn, seed)
    assert len(on_sqlite) > 50
    assert on_postgres == on_sqlite
