"""How long `classbot review` takes to build its queue from a large backlog (real SQLite file).

N distinct unanswered questions (a quarter of them near-duplicates: a typo of another) and N/10
"not helpful" votes, on the bundled course; prints the time to read the rows and to build the queue
(near-duplicate merging and the nearest facts and sentences of every item).

    python bench/bench_review.py [--questions 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import bundled_knowledge_path  # noqa: E402
from bot.core.answering import Engine  # noqa: E402
from bot.core.knowledge import load_course  # noqa: E402
from bot.core.review import build_queue  # noqa: E402
from bot.store import open_store  # noqa: E402

WORDS = ["missile", "cuba", "kennedy", "khrushchev", "berlin", "turkey", "blockade", "castro", "nato", "france", "china", "navy", "submarine", "u2", "pilot", "spy", "photo", "letter", "deal", "hotline", "war", "peace", "army", "moscow", "washington"]


def questions(n: int, rng: random.Random) -> list[str]:
    out = []
    for i in range(n):
        if out and i % 4 == 0:  # a typo of an earlier question
            q = list(rng.choice(out))
            k = rng.randrange(len(q))
            q[k] = "x"
            out.append("".join(q))
        else:
            out.append(f"what about the {' '.join(rng.sample(WORDS, 3))} {i}")
    return out


async def main(n: int) -> None:
    rng = random.Random(7)
    engine = Engine(load_course(bundled_knowledge_path()))
    with tempfile.TemporaryDirectory() as tmp:
        async with open_store(Path(tmp) / "bench.db") as store:
            for q in questions(n, rng):
                await store.record_unanswered("discord", engine.course.id, "g", "c", q, None, asker=q)
            for i in range(n // 10):
                await store.record_feedback("discord", "g", "c", f"u{i}", f"who was {rng.choice(WORDS)}", None, False,
                                            message_id=f"m{i}")
            t0 = time.perf_counter()
            rows = await store.review_rows(engine.course.id)
            t1 = time.perf_counter()
            items = build_queue(rows, engine)
            t2 = time.perf_counter()
    print(f"rows: {len(rows)} ({n} questions, {n // 10} votes) -> {len(items)} items")
    print(f"read rows: {(t1 - t0) * 1000:.1f} ms; build queue (merge + nearest): {(t2 - t1) * 1000:.0f} ms "
          f"({(t2 - t1) * 1e6 / max(len(items), 1):.0f} us per item)")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", type=int, default=2000)
    asyncio.run(main(ap.parse_args().questions))
