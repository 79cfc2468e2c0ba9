"""Answer-engine speed: index build time, per-question latency (p50/p99) and peak memory, and how they
grow with the size of the knowledge base. Prints numbers; asserts nothing.

    python bench/bench_engine.py               # bundled course + 1k, 10k, 100k generated
    python bench/bench_engine.py --sizes 1000  # just one generated size

Each size runs in its own process so peak memory (ru_maxrss) is that size's own.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def synthetic_course(n: int, seed: int = 7):
    """A course of n passages (sentences) and n facts citing them, in a Zipf-like vocabulary."""
    from bot.core.knowledge import citation_for
    from bot.core.models import Course, Fact, Source
    from bot.core.passages import split_passages

    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "sa", "do", "fe", "gu", "hi", "ja", "be"]
    vocab = sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(30_000)})
    cumulative, total = [], 0.0
    for i in range(len(vocab)):
        total += 1 / (i + 1)
        cumulative.append(total)
    sentences = []
    for _ in range(n):
        ws = rng.choices(vocab, cum_weights=cumulative, k=rng.randint(8, 22))
        sentences.append(" ".join(ws).capitalize() + ".")
    paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, n, 4)]
    text = "Generated course\n\n" + "\n\n".join(paragraphs) + "\n"
    source_id = "gen"
    passages = split_passages(source_id, text)
    source = Source(source_id, "Generated course", "gen.txt", text)
    facts = []
    for i, p in enumerate(passages):
        ws = p.text.rstrip(".").split()
        questions = tuple("what about " + " ".join(rng.sample(ws, min(4, len(ws)))) for _ in range(3))
        facts.append(Fact(id=f"f{i}", questions=questions, answer=p.text, citation=citation_for(source, [p])))
    return Course("gen", "Generated", "", (), (source,), tuple(passages), tuple(facts)), rng


def measure(size: int, questions: int) -> dict:
    from bot.config import bundled_knowledge_path
    from bot.core.answering import Engine
    from bot.core.knowledge import load_course

    if size == 0:
        t0 = time.perf_counter()
        course = load_course(bundled_knowledge_path())
        t1 = time.perf_counter()
        engine = Engine(course)
        build = time.perf_counter() - t1
        load = t1 - t0
        rng = random.Random(3)
        pool = [q for f in course.facts for q in f.questions] + ["who was fidel castro", "wat is teh hotlien", "nato"]
        asks = [rng.choice(pool) for _ in range(questions)]
    else:
        course, rng = synthetic_course(size)
        load = 0.0
        t1 = time.perf_counter()
        engine = Engine(course)
        build = time.perf_counter() - t1
        asks = []
        for _ in range(questions):
            p = rng.choice(course.passages).text.rstrip(".").split()
            q = " ".join(rng.sample(p, min(5, len(p))))
            if rng.random() < 0.3:  # a typo in one word
                w = rng.randrange(len(q))
                q = q[:w] + q[w + 1 :]
            asks.append(q)
    for q in asks[:20]:
        engine.ask(q)  # warm caches as a running bot would be
    times = []
    for q in asks:
        t = time.perf_counter()
        engine.ask(q)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {
        "size": size or "bundled",
        "passages": len(course.passages),
        "facts": len(course.facts),
        "load_s": round(load, 3),
        "build_s": round(build, 3),
        "p50_ms": round(statistics.median(times), 3),
        "p99_ms": round(times[int(len(times) * 0.99) - 1], 3),
        "max_ms": round(times[-1], 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def cold_ask(runs: int = 5) -> float:
    best = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bot", "ask", "--json", "who won the crisis"], capture_output=True, check=True)
        best.append(time.perf_counter() - t)
    return statistics.median(best)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[0, 1_000, 10_000, 100_000], help="0 = the bundled course")
    ap.add_argument("--questions", type=int, default=2000)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one, args.questions)))
        return
    print(f"{'course':>9} {'passages':>9} {'facts':>7} {'build s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'peak MB':>8}")
    for size in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(size), "--questions", str(args.questions)],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        print(f"{r['size']!s:>9} {r['passages']:>9} {r['facts']:>7} {r['build_s']:>8} {r['p50_ms']:>8} {r['p99_ms']:>8} {r['max_ms']:>8} {r['peak_rss_mb']:>8}")
    print(f"classbot ask as a fresh process (median of 5): {cold_ask():.3f} s")


if __name__ == "__main__":
    main()
