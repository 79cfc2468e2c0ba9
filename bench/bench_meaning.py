"""Matching by meaning: what the sentence encoder costs. Prints numbers; asserts nothing.

    python bench/bench_meaning.py            # encoder, bundled course, growth up to 4,000 texts
    python bench/bench_meaning.py --sizes 500 2000

- the encoder: load time and memory; one question's vector (p50/p95/p99)
- the bundled course: its vectors encoded from scratch and read back from the cache; a question answered
  with words and meaning against words only (p50/p99)
- growth: encoding N course sentences (real sentences of the bundled text, cycled with a number so that
  every text is new), seconds and texts per second
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

QUESTIONS = ["who won the crisis", "wat was the ultimatum", "when did it all end", "what did rfk say to the ambassador",
             "why did khrushchev back down", "what is nato", "how long did the crisis last", "who was castro",
             "what happened to the missiles in turkey", "tell me abt the hotline pls"]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[250, 1000, 4000])
    args = ap.parse_args()

    before = rss_mb()
    t = time.perf_counter()
    import numpy  # noqa: F401  (counted apart from the model)

    t_numpy = time.perf_counter() - t
    from bot.core.encoder import shared_encoder

    t = time.perf_counter()
    enc = shared_encoder()
    t_load = time.perf_counter() - t
    print(f"encoder: numpy import {t_numpy * 1000:.0f} ms, model load {t_load * 1000:.0f} ms, "
          f"peak RSS {before:.0f} -> {rss_mb():.0f} MB")

    times = []
    for i in range(300):
        q = f"{QUESTIONS[i % len(QUESTIONS)]} {i}"  # a new text each time: no cached vector
        t = time.perf_counter()
        enc.encode([q])
        times.append((time.perf_counter() - t) * 1000)
    print(f"one question's vector: p50 {statistics.median(times):.1f} ms, p95 {pct(times, 95):.1f} ms, p99 {pct(times, 99):.1f} ms")

    from bot.config import bundled_knowledge_path
    from bot.core.answering import Engine
    from bot.core.knowledge import load_course
    from bot.core.meaning import VectorCache

    course = load_course(bundled_knowledge_path())
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        engine = Engine(course, vectors=VectorCache(Path(tmp)))
        cold = time.perf_counter() - t
        t = time.perf_counter()
        engine = Engine(course, vectors=VectorCache(Path(tmp)))
        warm = time.perf_counter() - t
    n_texts = len(engine.meanings.vectors) if engine.meanings is not None else 0
    print(f"bundled course ({len(course.passages)} passages, {len(course.facts)} facts, {n_texts} texts): engine built "
          f"in {cold:.2f} s encoding every text, {warm:.2f} s from the vector cache")
    for label, meanings in (("words + meaning", engine.meanings), ("words only", None)):
        engine.meanings = meanings
        lat = []
        for i in range(400):
            q = f"{QUESTIONS[i % len(QUESTIONS)]} {i // len(QUESTIONS)}"
            t = time.perf_counter()
            engine.ask(q)
            lat.append((time.perf_counter() - t) * 1000)
        print(f"  a question, {label}: p50 {statistics.median(lat):.1f} ms, p99 {pct(lat, 99):.1f} ms")

    sentences = [p.text for p in course.passages]
    for n in args.sizes:
        texts = [f"{sentences[i % len(sentences)]} ({i})" for i in range(n)]
        gc.collect()
        t = time.perf_counter()
        enc.encode(texts)
        took = time.perf_counter() - t
        print(f"encode {n:6d} course texts: {took:6.2f} s ({n / took:5.0f} texts/s)")
    print(f"peak RSS {rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
