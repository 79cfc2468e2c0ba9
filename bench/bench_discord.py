"""Latency of the Discord adapter: MESSAGE_CREATE through the fake gateway -> reply at the fake's REST API.

A burst of questions (@mentions) from many users, cooldown 0, the real discord.py and the real engine.

    .venv/bin/python bench/bench_discord.py [--questions 200] [--users 30] [--course PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.adapters.discord.app import build_bot  # noqa: E402
from bot.config import DiscordSettings, Settings  # noqa: E402
from bot.core.answering import Engine  # noqa: E402
from bot.core.knowledge import load_course  # noqa: E402
from bot.store import open_store  # noqa: E402
from tests.fakes import write_course  # noqa: E402
from tests.fakes.discord_server import CHANNEL_ID, GUILD_ID, FakeDiscord  # noqa: E402


def questions_for(engine: Engine) -> list[str]:
    qs = [q for f in engine.course.facts for q in f.questions]
    return qs + ["What is the capital of France?", "who won the world cup in 1998?"]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


async def bench(n: int, users: int, course: Path | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = course or write_course(Path(tmp) / "course")
        engine = Engine(load_course(folder))
        store = await open_store(Path(tmp) / "bench.db")
        fake = await FakeDiscord().start()
        settings = Settings(
            knowledge_path=folder,
            database_path=Path(tmp) / "bench.db",
            ask_cooldown_seconds=0,
            discord=DiscordSettings(
                token=fake.token, api_base=fake.api_base, gateway_url=fake.gateway_url, guild_ids=(GUILD_ID,)
            ),
        )
        bot = build_bot(settings, engine, store, guild_ready_timeout=0.01)
        await bot.login(fake.token)
        task = asyncio.create_task(bot.connect())
        await asyncio.wait_for(bot.wait_until_ready(), 10)

        pool = questions_for(engine)
        sent: dict[str, float] = {}  # message id -> perf_counter at dispatch
        started = time.perf_counter()
        for i in range(n):
            msg = await fake.message_create(
                pool[i % len(pool)], author_id=500000000000000001 + i % users, mention_bot=True
            )
            sent[msg["id"]] = time.perf_counter()
        latencies: list[float] = []
        for _ in range(n):
            req = await fake.wait_for_request("POST", f"/channels/{CHANNEL_ID}/messages", timeout=30)
            ref = str(req.json["message_reference"]["message_id"])
            latencies.append((req.received_at - sent[ref]) * 1000)
        total = time.perf_counter() - started

        # one at a time, for the unloaded round trip
        single: list[float] = []
        for i in range(min(n, 50)):
            msg = await fake.message_create(
                pool[i % len(pool)], author_id=500000000000000001 + i % users, mention_bot=True
            )
            t0 = time.perf_counter()
            req = await fake.wait_for_request("POST", f"/channels/{CHANNEL_ID}/messages", timeout=30)
            assert str(req.json["message_reference"]["message_id"]) == msg["id"]
            single.append((req.received_at - t0) * 1000)
        await bot.close()
        await asyncio.wait_for(task, 10)
        await fake.close()
        await store.close()

    print(f"discord adapter: {n} questions from {users} users as @mentions (burst), course {engine.course.id!r}")
    print(f"  replies: {len(latencies)}   wall time: {total * 1000:.0f} ms   throughput: {n / total:.0f} answers/s")
    print(
        f"  MESSAGE_CREATE -> reply at fake: p50 {statistics.median(latencies):.1f} ms   "
        f"p99 {pct(latencies, 99):.1f} ms   max {max(latencies):.1f} ms"
    )
    print(
        f"  one at a time ({len(single)} questions): p50 {statistics.median(single):.2f} ms   "
        f"p99 {pct(single, 99):.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--course", type=Path, default=None, help="a course folder (default: a small test course)")
    args = parser.parse_args()
    asyncio.run(bench(args.questions, args.users, args.course))


if __name__ == "__main__":
    main()
