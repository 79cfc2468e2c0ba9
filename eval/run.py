#!/usr/bin/env python3
"""Run the whole evaluation, print one table, and fail below the floors in eval/floors.yaml.

usage: python eval/run.py [--shared DIR] [--floors FILE] [--misses] [--no-floors]

Rows:
  <course> facts       each course in eval/courses with its held-out set in eval/sets
  <course> text only   the same questions on a copy of the course holding only its source text
  bundled dev ...      the bundled course's development set (../shared/eval, when present):
                       with its facts, text only, and with every fact cut to its first phrasing
  squad rhine          the SQuAD 2.0 article, scored by ../shared/eval/squad/squad_eval.py (when present)

The shared material lives beside the checkout (../shared/eval, or --shared / $CLASSBOT_SHARED_EVAL);
rows that need it are skipped, with a note, when it is absent, and so are their floors.
Exit status: 0 when every floor holds, 1 when a figure is below its floor (or above a max_ ceiling),
2 when the evaluation itself could not run.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import score as sc  # noqa: E402  (eval/ is a folder of scripts, not a package)

EVAL = Path(__file__).resolve().parent
REPO = EVAL.parent
BUNDLED = REPO / "knowledge" / "cuban-missile-crisis"


@dataclass
class Row:
    name: str
    metrics: dict[str, float] = field(default_factory=dict)
    note: str = ""


def shared_dir(arg: Path | None) -> Path:
    if arg is not None:
        return arg
    env = os.environ.get("CLASSBOT_SHARED_EVAL")
    return Path(env) if env else REPO.parent / "shared" / "eval"


def metrics_of(s: sc.Score, ov: sc.Overlap | None) -> dict[str, float]:
    m = {"n": s.n, "overall": s.overall, "in_scope": s.in_scope, "declined": s.declined,
         "right_when_answered": s.precision, "wrong": s.wrong_any, "wrong_confident": s.wrong_confident}
    if s.teen_n:
        m["teen"] = s.teen
    if ov is not None:
        m["overlap_exact"], m["overlap_near"] = ov.exact, ov.near
    return m


def score_row(name: str, qset: sc.QuestionSet, course: Path, phrasings_from: Path | None,
              misses: bool) -> Row:
    s = sc.run_set(qset, course)
    ov = sc.overlap(qset.questions, sc.fact_phrasings(phrasings_from)) if phrasings_from else None
    if misses:
        for o in s.misses:
            print(f"  [{name}] MISS {o.question.text!r} gold={','.join(o.question.gold) or 'NONE'} "
                  f"answered={o.answered} conf={o.confidence:.2f} quote={o.quote[:80]!r}")
    return Row(name, metrics_of(s, ov))


def course_rows(tmp: Path, misses: bool) -> list[Row]:
    rows = []
    for course in sorted(p for p in (EVAL / "courses").iterdir() if p.is_dir()):
        qset = sc.load_set(EVAL / "sets" / f"{course.name}.tsv", EVAL / "sets" / f"{course.name}.sentences.yaml")
        rows.append(score_row(f"{course.name} facts", qset, course, course, misses))
        rows.append(score_row(f"{course.name} text only", qset, sc.text_only_copy(course, tmp), course, misses))
    return rows


def bundled_rows(shared: Path, tmp: Path, misses: bool) -> list[Row]:
    tsv, sents = shared / "dev_questions.tsv", shared / "sentences.yaml"
    if not (tsv.is_file() and sents.is_file()):
        return [Row("bundled dev", note=f"skipped: no {tsv}")]
    qset = sc.load_set(tsv, sents)
    return [
        score_row("bundled dev facts", qset, BUNDLED, BUNDLED, misses),
        score_row("bundled dev text only", qset, sc.text_only_copy(BUNDLED, tmp), BUNDLED, misses),
        score_row("bundled dev first phrasing", qset, sc.first_phrasing_copy(BUNDLED, tmp), BUNDLED, misses),
    ]


SQUAD_LAST = re.compile(r"overall ([\d.]+) answerable ([\d.]+) abstain ([\d.]+) answered-precision ([\d.]+)")
SQUAD_RWA = re.compile(r"right when answered ([\d.]+)")
SQUAD_N = re.compile(r"questions (\d+)")
SQUAD_ARTICLE = re.compile(r" answered (\d+) right (\d+)$", re.M)


def squad_row(shared: Path) -> Row:
    script = shared / "squad" / "squad_eval.py"
    if not script.is_file():
        return Row("squad rhine", note=f"skipped: no {script}")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    p = subprocess.run([sys.executable, str(script), "--", *sc.default_command()], capture_output=True,
                       text=True, timeout=1800, cwd=REPO, env=env)
    last, rwa = SQUAD_LAST.search(p.stdout), SQUAD_RWA.search(p.stdout)
    if p.returncode != 0 or not last or not rwa:
        raise sc.EvalError(f"squad_eval.py failed (exit {p.returncode}): {(p.stdout + p.stderr)[-1500:]}")
    n = SQUAD_N.search(p.stdout)
    wrong = sum(int(a) - int(r) for a, r in SQUAD_ARTICLE.findall(p.stdout))
    return Row("squad rhine", {"n": float(n[1]) if n else 0.0, "overall": float(last[1]), "in_scope": float(last[2]),
                               "declined": float(last[3]), "right_when_answered": float(rwa[1]), "wrong": wrong},
               note="in scope = answerable questions right; declined = unanswerable ones declined; "
                    "squad_eval.py does not report confidence")


COLUMNS = [("n", "n", "{:.0f}"), ("overall", "overall", "{:.3f}"), ("in_scope", "in scope", "{:.3f}"),
           ("declined", "declined", "{:.3f}"), ("teen", "teen", "{:.3f}"),
           ("right_when_answered", "right/answered", "{:.3f}"), ("wrong", "wrong", "{:.0f}"),
           ("wrong_confident", "wrong>=0.8", "{:.0f}"), ("overlap_exact", "overlap =", "{:.3f}"),
           ("overlap_near", "overlap ~90", "{:.3f}")]


def table(rows: Sequence[Row]) -> str:
    head = ["set"] + [title for _, title, _ in COLUMNS]
    body = [[r.name] + [fmt.format(r.metrics[k]) if k in r.metrics else "-" for k, _, fmt in COLUMNS]
            for r in rows if r.metrics]
    widths = [max(len(line[i]) for line in [head, *body]) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths, strict=True)))
             for line in [head, *body]]
    lines.insert(1, "-" * len(lines[0]))
    lines += [f"{r.name}: {r.note}" for r in rows if r.note]
    return "\n".join(lines)


FLOORED = ("overall", "in_scope", "declined", "teen")


def suggest_floors(rows: Sequence[Row]) -> dict[str, dict[str, float]]:
    """Floors just under today's figures (at least 0.005 under, to two decimals); ceilings at today's
    count of confident wrong answers. The engine is deterministic, so a floor only stops a regression."""
    out: dict[str, dict[str, float]] = {}
    for r in rows:
        if not r.metrics:
            continue
        limits: dict[str, float] = {k: max(0.0, round(math.floor((r.metrics[k] - 0.005) * 100) / 100, 2))
                                    for k in FLOORED if k in r.metrics}
        if r.name.startswith("squad"):  # the target for SQuAD includes trust in a given answer
            limits["right_when_answered"] = round(math.floor((r.metrics["right_when_answered"] - 0.005) * 100) / 100, 2)
        if "wrong_confident" in r.metrics:
            limits["max_wrong_confident"] = int(r.metrics["wrong_confident"])
        out[r.name] = limits
    return out


def check_floors(rows: Sequence[Row], floors: dict) -> list[str]:
    """Every broken floor as a line; a floor for a row that was not run (shared data absent) is skipped."""
    by_name = {r.name: r for r in rows if r.metrics}
    skipped = [r.name for r in rows if not r.metrics]
    problems = []
    for name, limits in (floors or {}).items():
        row = by_name.get(name)
        if row is None:
            if not any(name.startswith(s) for s in skipped):
                problems.append(f"{name}: no such row")
            continue
        for key, limit in (limits or {}).items():
            metric = key[4:] if key.startswith("max_") else key
            if metric not in row.metrics:
                problems.append(f"{name}: no metric {metric!r}")
            elif key.startswith("max_") and row.metrics[metric] > limit:
                problems.append(f"{name}: {metric} {row.metrics[metric]:g} is above its ceiling {limit:g}")
            elif not key.startswith("max_") and row.metrics[metric] < limit:
                problems.append(f"{name}: {metric} {row.metrics[metric]:.3f} is below its floor {limit:.3f}")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, help="the shared eval folder (default ../shared/eval)")
    ap.add_argument("--floors", type=Path, default=EVAL / "floors.yaml")
    ap.add_argument("--no-floors", action="store_true", help="print the table only")
    ap.add_argument("--misses", action="store_true", help="list every question not right")
    ap.add_argument("--suggest-floors", action="store_true",
                    help="print a floors.yaml just under today's figures (after a deliberate improvement)")
    args = ap.parse_args(argv)
    shared = shared_dir(args.shared)
    try:
        with tempfile.TemporaryDirectory() as d:
            tmp = Path(d)
            rows = course_rows(tmp, args.misses) + bundled_rows(shared, tmp, args.misses) + [squad_row(shared)]
    except sc.EvalError as e:
        print(f"evaluation could not run: {e}", file=sys.stderr)
        return 2
    print(table(rows))
    if args.suggest_floors:
        print("\n" + yaml.safe_dump({"floors": suggest_floors(rows)}, sort_keys=False), end="")
        return 0
    if args.no_floors:
        return 0
    floors = yaml.safe_load(args.floors.read_text(encoding="utf-8")) or {}
    problems = check_floors(rows, floors.get("floors") or {})
    if problems:
        print("\nBELOW FLOOR:\n" + "\n".join(f"  {p}" for p in problems))
        return 1
    print(f"\nall floors in {args.floors.relative_to(REPO) if args.floors.is_relative_to(REPO) else args.floors} hold")
    return 0


if __name__ == "__main__":
    sys.exit(main())
