"""Start-up cost of a course: reading, checking and indexing it, and the cold `classbot ask`.

Prints numbers; asserts nothing.

    python bench/bench_startup.py                   # 5,000 facts / 50,000 phrasings / 10 MB source
    python bench/bench_startup.py --facts 1000 --phrasings 10 --megabytes 1
    python bench/bench_startup.py --cold-only       # just the cold `classbot ask` on the bundled course

Each step runs in its own process, so its peak memory (ru_maxrss) is its own:

* load      read_course: YAML, sources, sentence splitting, every quote found (what every start does first)
* start     load_course: load + the whole-course checks the bot runs on every start
* validate  `classbot validate`: the same plus the self-check (every phrasing asked through the engine)
* engine    load_course + building the answer engine's index (what `classbot ask` does before answering)
* cold ask  `classbot ask "who won"` as a fresh process on the bundled course (median of several runs)
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "sa", "do", "fe", "gu", "hi", "ja", "be", "an", "or"]


def generate(folder: Path, facts: int, phrasings: int, megabytes: float, seed: int = 11) -> dict:
    """Write a course folder: one source of about ``megabytes`` MB, ``facts`` facts of ``phrasings`` phrasings."""
    rng = random.Random(seed)
    vocab = sorted({"".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(40_000)})
    weights = [1 / (i + 1) for i in range(len(vocab))]
    target = int(megabytes * 1024 * 1024)
    paragraphs, sentences, size, section = [], [], 0, 0
    lines = ["Generated course", ""]
    while size < target:
        if len(paragraphs) % 40 == 0:
            section += 1
            lines += [f"Part {section}", ""]
        para = []
        for _ in range(rng.randint(3, 6)):
            ws = rng.choices(vocab, weights=weights, k=rng.randint(9, 20))
            sentence = " ".join(ws).capitalize() + "."
            para.append(sentence)
            sentences.append(sentence)
        text = " ".join(para)
        paragraphs.append(text)
        lines += [text, ""]
        size += len(text) + 2
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    (folder / "facts").mkdir(exist_ok=True)
    (folder / "sources" / "text.txt").write_text("\n".join(lines), encoding="utf-8")
    (folder / "course.yaml").write_text("id: generated\ntitle: Generated course\nsources:\n  - file: sources/text.txt\n"
                                        "    id: text\n", encoding="utf-8")
    step = max(1, len(sentences) // facts)
    chosen = sentences[::step][:facts]
    per_file = 100
    for f in range(0, len(chosen), per_file):
        out = ["facts:"]
        for i, sentence in enumerate(chosen[f : f + per_file], f):
            ws = sentence.rstrip(".").lower().split()
            quote = " ".join(sentence.split()[: max(4, len(ws) * 2 // 3)])  # a fragment: the citation completes it
            out += [f"  - id: f{i}", "    questions:"]
            for _ in range(phrasings):
                out.append("      - what about " + " ".join(rng.sample(ws, min(4, len(ws)))))
            out += [f"    answer: {json.dumps(sentence)}", f"    quote: {json.dumps(quote.rstrip('.'))}"]
        (folder / "facts" / f"part-{f // per_file:03d}.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    return {"sentences": len(sentences), "facts": len(chosen), "phrasings": len(chosen) * phrasings,
            "source_mb": round((folder / "sources" / "text.txt").stat().st_size / 1e6, 1)}


def step(name: str, folder: str) -> dict:
    """One measurement, in this process."""
    from bot.core.knowledge import load_course, read_course
    from bot.core.validation import validate

    t = time.perf_counter()
    extra = {}
    if name == "load":
        draft = read_course(folder)
        extra["problems"] = len(draft.problems)
    elif name == "start":
        load_course(folder)
    elif name == "validate":
        report = validate(folder)
        extra["problems"], extra["warnings"] = len(report.problems), len(report.warnings)
    elif name == "engine":
        from bot.core.answering import Engine

        course = load_course(folder)
        loaded = time.perf_counter() - t
        Engine(course)
        extra["index_seconds"] = round(time.perf_counter() - t - loaded, 2)
    seconds = time.perf_counter() - t
    return {"step": name, "seconds": round(seconds, 2), "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            **extra}


def run_step(name: str, folder: Path) -> dict:
    p = subprocess.run([sys.executable, __file__, "--step", name, str(folder)], capture_output=True, text=True, cwd=ROOT)
    if p.returncode:
        return {"step": name, "error": p.stderr.strip().splitlines()[-1:]}
    return json.loads(p.stdout)


def cold_ask(runs: int = 7) -> dict:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.run([sys.executable, "-m", "bot", "ask", "who won"], capture_output=True, text=True, cwd=ROOT)
        times.append(time.perf_counter() - t)
        assert p.returncode == 0, p.stderr
    return {"step": "cold ask (bundled course)", "median_s": round(statistics.median(times), 3),
            "min_s": round(min(times), 3), "runs": runs}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--facts", type=int, default=5000)
    ap.add_argument("--phrasings", type=int, default=10)
    ap.add_argument("--megabytes", type=float, default=10.0)
    ap.add_argument("--steps", default="load,start,validate,engine")
    ap.add_argument("--cold-only", action="store_true")
    ap.add_argument("--step", help=argparse.SUPPRESS)
    ap.add_argument("folder", nargs="?", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.step:
        print(json.dumps(step(args.step, args.folder)))
        return
    print(json.dumps(cold_ask()))
    if args.cold_only:
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "generated"
        t = time.perf_counter()
        made = generate(folder, args.facts, args.phrasings, args.megabytes)
        print(json.dumps({"generated": made, "seconds": round(time.perf_counter() - t, 1)}))
        for name in args.steps.split(","):
            print(json.dumps(run_step(name, folder)), flush=True)


if __name__ == "__main__":
    main()
