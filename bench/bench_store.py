"""How fast the SQLite store takes trivia answers (one committed transaction each).

    .venv/bin/python bench/bench_store.py [answers]
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

from bot.core.models import TriviaRound
from bot.store import Scoring, open_store


async def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with open_store(Path(tmp) / "bench.db") as store:
            r = await store.create_round("bench", TriviaRound(None, "g", "c", "i", "2026-01-05", 0, 1e12))
            await store.mark_round_posted(r.id, "m")
            t0 = time.perf_counter()
            for i in range(n):
                await store.record_answer(r.id, f"u{i}", "x", i % 3 == 0)
            t1 = time.perf_counter()
            burst = await asyncio.gather(*(store.record_answer(r.id, f"b{i}", "x", True) for i in range(n)))
            t2 = time.perf_counter()
            await store.reveal_round(r.id, Scoring())
            t3 = time.perf_counter()
            await store.leaderboard("bench", "g", "all", 10, today="2026-01-05")
            t4 = time.perf_counter()
    print(f"sequential answers: {n / (t1 - t0):8.0f}/s ({1000 * (t1 - t0) / n:.2f} ms each)")
    counted = sum(outcome == "recorded" for outcome in burst)
    print(f"concurrent answers: {n / (t2 - t1):8.0f}/s ({counted} counted)")
    print(f"reveal + scoring of {2 * n} answers: {1000 * (t3 - t2):.0f} ms")
    print(f"leaderboard: {1000 * (t4 - t3):.1f} ms")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 500))
