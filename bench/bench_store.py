"""How fast the SQLite store takes trivia answers (one committed transaction each), and how much disk
the unanswered-question log takes per 1,000 questions, with the old (schema 2) log and the bounded one.

    .venv/bin/python bench/bench_store.py [answers]
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import string
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.core.clock import FakeClock  # noqa: E402
from bot.core.models import TriviaRound  # noqa: E402
from bot.store import Scoring, open_store  # noqa: E402
from bot.store.schema import MIGRATIONS  # noqa: E402

QUESTIONS = 1000
LENGTH = 1000  # characters per question: what a student can paste into Discord's /ask


async def answers(n: int) -> None:
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


def _questions(seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(string.ascii_lowercase + " ") for _ in range(LENGTH)) for _ in range(QUESTIONS)]


def _size(path: Path) -> int:
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def old_log(tmp: Path, questions: list[str]) -> int:
    """Bytes added by the schema-2 log (one row per ask, text uncapped), as the old store wrote it."""
    path = tmp / "old.db"
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode = WAL")
    for migration in MIGRATIONS[:2]:
        for sql in migration.statements("sqlite"):
            con.execute(sql)
    con.execute("PRAGMA user_version = 2")
    con.commit()
    empty = _size(path)
    for i, q in enumerate(questions):
        con.execute(
            "INSERT INTO unanswered (platform, course_id, guild_id, channel_id, question, question_key, user_id, asked_at)"
            " VALUES ('discord', 'c', '123456789012345678', '123456789012345678', ?, ?, NULL, ?)",
            (q, " ".join(q.lower().split()), float(i)),
        )
        con.commit()
    con.close()
    return _size(path) - empty


async def new_log(tmp: Path, name: str, questions: list[str], askers: list[str]) -> tuple[int, int]:
    """Bytes added by the bounded log and how many questions were kept."""
    path = tmp / f"{name}.db"
    clock = FakeClock()
    async with open_store(path, clock=clock):
        pass
    empty = _size(path)
    kept = 0
    async with open_store(path, clock=clock) as store:
        for q, who in zip(questions, askers, strict=True):
            kept += await store.record_unanswered("discord", "c", "123456789012345678", "123456789012345678", q, None, who)
            clock.advance(seconds=5)
    return _size(path) - empty, kept


async def unanswered_growth() -> None:
    questions = _questions()
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        old = old_log(t, questions)
        one, kept_one = await new_log(t, "one", questions, ["mallory"] * QUESTIONS)
        many, kept_many = await new_log(t, "many", questions, [f"student{i}" for i in range(QUESTIONS)])
        repeat, kept_repeat = await new_log(t, "repeat", [questions[0]] * QUESTIONS, [f"student{i}" for i in range(QUESTIONS)])
    print(f"unanswered log, {QUESTIONS} questions of {LENGTH} characters (bytes on disk after a checkpoint):")
    print(f"  before (schema 2, every ask a row, uncapped):    {old:>9,} bytes  ({old / QUESTIONS:,.0f} per question)")
    print(f"  after, one account asking them all:              {one:>9,} bytes  ({kept_one} kept: the daily quota)")
    print(f"  after, {QUESTIONS} different students:               {many:>9,} bytes  ({many / QUESTIONS:,.0f} per question, "
          f"{kept_many} kept)")
    print(f"  after, one question asked {QUESTIONS} times:            {repeat:>9,} bytes  (one row, count {kept_repeat})")
    per_day_old = old / QUESTIONS * 86_400 / 5  # one account at a 5 s cooldown, all day
    print(f"  one account at the 5 s cooldown for a day: before {per_day_old / 1e6:,.0f} MB, after {one / 1e3:,.0f} KB")


if __name__ == "__main__":
    asyncio.run(answers(int(sys.argv[1]) if len(sys.argv) > 1 else 500))
    asyncio.run(unanswered_growth())
