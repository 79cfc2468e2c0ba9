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


def real_sentences() -> list[str]:
    """Real English sentences to mutate: the bundled course's text and, when present, the SQuAD article."""
    from bot.config import bundled_knowledge_path
    from bot.core.passages import split_passages

    texts = [(bundled_knowledge_path() / "sources" / "cuban_missile_crisis.txt").read_text()]
    squad = Path(__file__).resolve().parents[2] / "shared" / "eval" / "squad" / "squad2_dev_rhine.json"
    for candidate in (squad, Path("/work/shared/eval/squad/squad2_dev_rhine.json")):
        if candidate.is_file():
            data = json.loads(candidate.read_text())
            texts += [p["context"] for art in data["data"] for p in art["paragraphs"]]
            break
    return [p.text for t in texts for p in split_passages("s", t)]


def mutated_text_course(n: int, seed: int = 11):
    """A text-only course of n sentences, each a real sentence with some words swapped for words
    of other sentences: thousands of sentences share the same words (the hard case for an
    inverted index), unlike a Zipf vocabulary of invented words."""
    from bot.core.models import Course, Source
    from bot.core.passages import split_passages

    rng = random.Random(seed)
    seeds = real_sentences()
    pool = [w for s in seeds for w in s.split()]
    sentences = []
    for _ in range(n):
        ws = rng.choice(seeds).rstrip(".").split()
        for _ in range(max(1, len(ws) // 4)):  # a quarter of the words replaced
            ws[rng.randrange(len(ws))] = rng.choice(pool).strip(".,;:")
        sentences.append(" ".join(ws).capitalize() + ".")
    paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, n, 4)]
    text = "Mutated course\n\n" + "\n\n".join(paragraphs) + "\n"
    passages = split_passages("mut", text)
    source = Source("mut", "Mutated course", "mut.txt", text)
    return Course("mut", "Mutated", "", (), (source,), tuple(passages), ()), rng


def worst_case_questions(engine, rng: random.Random, count: int = 20) -> list[str]:
    """Questions made to cost the most: up to 2,000 characters of near-miss typos of the course's
    own words (each one edit away, so every word is looked up as a typo) and of random letters."""
    import string

    vocab = [w for w in engine.index.vocab if len(w) >= 5] or ["missile"]

    def near(w: str) -> str:
        i = rng.randrange(len(w))
        return w[:i] + rng.choice(string.ascii_lowercase) + w[i + 1 :]

    out = []
    for k in range(count):
        if k % 2:
            out.append(" ".join(near(rng.choice(vocab)) for _ in range(400))[:2000])
        else:
            out.append(" ".join("".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 9)))
                                for _ in range(400))[:2000])
    return out


def measure(size: int, questions: int, mutated: bool = False) -> dict:
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
        course, rng = mutated_text_course(size) if mutated else synthetic_course(size)
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
    worst = []
    for q in worst_case_questions(engine, random.Random(5)):
        t = time.perf_counter()
        engine.ask(q)
        worst.append((time.perf_counter() - t) * 1000)
    return {
        "worst_ms": round(max(worst), 3),
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
    ap.add_argument("--mutated", type=int, nargs="*", default=[100_000],
                    help="sizes of text-only courses of mutated real sentences (none: --mutated with no value)")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--one-mutated", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one, args.questions, args.one_mutated)))
        return
    print("worst: the slowest of 20 crafted questions (2,000 characters of near-miss typos or random letters)")
    print(f"{'course':>9} {'passages':>9} {'facts':>7} {'build s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'worst ms':>9} {'peak MB':>8}")
    runs = [(size, False) for size in args.sizes] + [(size, True) for size in args.mutated]
    for size, mutated in runs:
        cmd = [sys.executable, __file__, "--one", str(size), "--questions", str(args.questions)]
        out = subprocess.run(cmd + (["--one-mutated"] if mutated else []), capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        name = f"mut {r['size']}" if mutated else str(r["size"])
        print(f"{name:>9} {r['passages']:>9} {r['facts']:>7} {r['build_s']:>8} {r['p50_ms']:>8} {r['p99_ms']:>8} "
              f"{r['max_ms']:>8} {r['worst_ms']:>9} {r['peak_rss_mb']:>8}")
    print(f"classbot ask as a fresh process (median of 5): {cold_ask():.3f} s")


if __name__ == "__main__":
    main()
