"""How long the event loop stalls while the ask service answers a crafted question (near-miss typos
of the course's own words, 1,000 characters) on a large generated course: the longest gap between
two ticks of a task that only sleeps, next to the time the question itself takes. Before issue 9
item 6 the engine ran on the loop, so the stall was the whole question time.

    .venv/bin/python bench/bench_loop.py [facts]
"""

from __future__ import annotations

import asyncio
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_engine import synthetic_course  # noqa: E402

from bot.core.answering import Engine  # noqa: E402
from bot.core.asking import AskService  # noqa: E402


def crafted(course, seed: int = 1) -> str:
    rng = random.Random(seed)
    words = sorted({w for p in course.passages for w in p.text.lower().rstrip(".").split() if len(w) > 5})
    return " ".join(w[:3] + w[4:] for w in rng.sample(words, 200))[:1000]


async def stall(service: AskService, question: str, off_loop: bool) -> tuple[float, float]:
    """(longest gap between loop ticks, question time) in ms."""
    gaps: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    tick = asyncio.create_task(ticker())
    await asyncio.sleep(0.01)
    t0 = time.perf_counter()
    if off_loop:
        await service.ask(question, guild_id=None, channel_id=None, user_id="mallory")
    else:  # what the service did before: the engine called on the loop itself
        service.engine.ask(question)
        await asyncio.sleep(0)
    took = time.perf_counter() - t0
    await asyncio.sleep(0.01)
    done.set()
    await tick
    return 1000 * max(gaps), 1000 * took


async def main(size: int) -> None:
    course, _ = synthetic_course(size)
    engine = Engine(course)
    service = AskService(engine, None, "bench")
    question = crafted(course)
    engine.ask(question)  # warm caches, as a running bot would be
    for label, off in (("engine on the loop (before)", False), ("engine in a worker thread (now)", True)):
        runs = [await stall(service, question, off) for _ in range(5)]
        worst = max(runs, key=lambda r: r[0])
        print(f"{label:32} question {worst[1]:7.1f} ms   longest loop stall {worst[0]:7.1f} ms")
    service.close()


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    print(f"course of {n} generated facts, crafted question of 1,000 characters, 1 ms ticker")
    asyncio.run(main(n))
