#!/usr/bin/env python3
"""Score the engine's tuning courses (bench/tuning/courses) with the evaluation's own scorer.

usage: python bench/tuning/run.py [--misses]

These courses were written for tuning the answer engine, before the bot was run on them (see
bench/tuning/README.md); eval/ holds the held-out courses, which are only read as aggregate figures.
Rows: each course with its facts, and text only. Run from the repository root with PYTHONPATH=$PWD.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "eval"))
import score as sc  # noqa: E402  (eval/ is a folder of scripts)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--misses", action="store_true", help="list every question not answered right")
    args = ap.parse_args()
    print(f"{'set':28} {'n':>3} {'overall':>8} {'in scope':>9} {'declined':>9} {'teen':>6} {'wrong':>6} {'wrong>=0.8':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for course in sorted(p for p in (HERE / "courses").iterdir() if p.is_dir()):
            qset = sc.load_set(HERE / "sets" / f"{course.name}.tsv", HERE / "sets" / f"{course.name}.sentences.yaml")
            for name, path in ((f"{course.name} facts", course),
                               (f"{course.name} text only", sc.text_only_copy(course, Path(tmp)))):
                s = sc.run_set(qset, path)
                print(f"{name:28} {s.n:3} {s.overall:8.3f} {s.in_scope:9.3f} {s.declined:9.3f} {s.teen:6.3f} "
                      f"{s.wrong_any:6} {s.wrong_confident:10}")
                if args.misses:
                    for o in s.misses:
                        print(f"    MISS {o.question.text!r} gold={','.join(o.question.gold) or 'NONE'} "
                              f"answered={o.answered} conf={o.confidence:.2f} quote={o.quote[:90]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
