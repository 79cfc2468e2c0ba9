"""The PostgreSQL store next to the SQLite store: committed trivia answers per second (one
acknowledged, committed transaction each; one after another, then all at once), and the reveal
(claim, points, streaks, in one transaction) of a round with 1,000 correct answers.

    .venv/bin/python bench/bench_store_pg.py [postgresql://user@host:port/postgres] [answers]

The URL (default: $CLASSBOT_TEST_DATABASE_URL) names a server and a user that may CREATE DATABASE:
the bench makes a fresh database there and drops it afterwards. SQLite runs in a temporary folder.

Durability is made equal where the bench can: SQLite runs as the bot does (WAL, synchronous=FULL),
and the bench's PostgreSQL database gets synchronous_commit = on (a commit waits for its WAL to be
flushed). The server's fsync setting is printed: the test server of .ci/postgres.sh runs with
fsync = off, where no commit reaches the disk, so figures meant for the README need a server with
fsync = on. The machine's load average is printed too.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asyncpg  # noqa: E402

from bot.core.models import TriviaRound  # noqa: E402
from bot.store import Scoring, describe_target, open_store  # noqa: E402

REVEALED = 1000


async def measure(target: str, n: int) -> dict[str, float]:
    async with open_store(target) as store:
        r = await store.create_round("bench", TriviaRound(None, "g", "c", "i", "2026-01-05", 0, 1e12))
        await store.mark_round_posted(r.id, "m")
        t0 = time.perf_counter()
        for i in range(n):
            await store.record_answer(r.id, f"u{i}", "x", i % 3 == 0)
        t1 = time.perf_counter()
        burst = await asyncio.gather(*(store.record_answer(r.id, f"b{i}", "x", True) for i in range(n)))
        t2 = time.perf_counter()
        assert all(outcome == "recorded" for outcome in burst)
        big = await store.create_round("bench", TriviaRound(None, "g", "c", "i", "2026-01-06", 0, 1e12))
        await store.mark_round_posted(big.id, "m2")
        await asyncio.gather(*(store.record_answer(big.id, f"r{i}", "x", True) for i in range(REVEALED)))
        t3 = time.perf_counter()
        awards = await store.reveal_round(big.id, Scoring())
        t4 = time.perf_counter()
        assert awards is not None and len(awards) == REVEALED
    return {"sequential": n / (t1 - t0), "concurrent": n / (t2 - t1), "reveal_ms": 1000 * (t4 - t3)}


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


async def main(url: str, n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        lite = await measure(str(Path(tmp) / "bench.db"), n)
    name = f"classbot_bench_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = on')
    fsync, version = await admin.fetchval("SHOW fsync"), await admin.fetchval("SHOW server_version")
    try:
        pg = await measure(with_database(url, name), n)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    print(f"store bench: {n} answers each way, reveal of {REVEALED} correct answers; PostgreSQL at {describe_target(url)}")
    print(f"PostgreSQL {version}: fsync = {fsync}, synchronous_commit = on; SQLite: WAL, synchronous = FULL; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    print(f"{'':34}{'SQLite':>12}{'PostgreSQL':>14}")
    print(f"{'committed answers/s, one by one':34}{lite['sequential']:>12,.0f}{pg['sequential']:>14,.0f}")
    print(f"{'committed answers/s, all at once':34}{lite['concurrent']:>12,.0f}{pg['concurrent']:>14,.0f}")
    print(f"{'reveal of 1,000 answers (ms)':34}{lite['reveal_ms']:>12,.0f}{pg['reveal_ms']:>14,.0f}")


if __name__ == "__main__":
    args = sys.argv[1:]
    url = args.pop(0) if args and "://" in args[0] else os.environ.get("CLASSBOT_TEST_DATABASE_URL", "")
    if not url:
        sys.exit("give a postgresql:// URL (a user that may CREATE DATABASE) or set CLASSBOT_TEST_DATABASE_URL")
    asyncio.run(main(url, int(args[0]) if args else 1000))
