"""How good are `classbot new` drafts? For each course's source text: draft a course, validate it, and ask
every generated phrasing through `classbot ask --json` (one batch per course) to see whether it reaches the
fact it was generated for.

    PYTHONPATH=. python bench/draft_quality.py [SOURCE ...]

Default sources: the bundled course and the three evaluation courses. Prints one line per course and a total.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [
    *sorted((ROOT / "knowledge").glob("*/sources/*")),
    *sorted((ROOT / "eval" / "courses").glob("*/sources/*")),
]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True, cwd=ROOT)


def measure(source: Path, work: Path) -> dict:
    folder = work / source.parent.parent.name
    made = run("new", str(folder), "--from", str(source))
    if made.returncode:
        return {"course": folder.name, "error": made.stderr.strip()}
    valid = run("validate", str(folder))
    facts = yaml.safe_load((folder / "facts" / "drafts.yaml").read_text(encoding="utf-8"))["facts"]
    asked = [(f["id"], q) for f in facts for q in f["questions"]]
    out = run("ask", "--json", "--knowledge", str(folder), stdin="\n".join(q for _, q in asked) + "\n")
    answers = [json.loads(line) for line in out.stdout.splitlines()]
    hits = sum(1 for (fid, _), a in zip(asked, answers, strict=True) if a["fact_id"] == fid)
    per_fact: dict[str, list[bool]] = {}
    for (fid, _), a in zip(asked, answers, strict=True):
        per_fact.setdefault(fid, []).append(a["fact_id"] == fid)
    return {
        "course": folder.name, "sentences": None, "facts": len(facts), "valid": valid.returncode == 0,
        "phrasings": len(asked), "reach_own_fact": hits,
        "facts_all_phrasings_reach": sum(1 for v in per_fact.values() if all(v)),
        "facts_with_a_miss": sum(1 for v in per_fact.values() if not all(v)),
        "with_trivia": sum(1 for f in facts if f.get("trivia")),
        "one_phrasing_only": sum(1 for f in facts if len(f["questions"]) < 2),
    }


def main(argv: list[str]) -> int:
    sources = [Path(a) for a in argv] or DEFAULT
    totals = {"facts": 0, "phrasings": 0, "reach_own_fact": 0, "facts_with_a_miss": 0, "one_phrasing_only": 0}
    with tempfile.TemporaryDirectory() as tmp:
        for source in sources:
            r = measure(source, Path(tmp))
            if "error" in r:
                print(f"{r['course']}: FAILED {r['error']}")
                continue
            print(f"{r['course']}: {r['facts']} facts, validate {'OK' if r['valid'] else 'FAILED'}, "
                  f"{r['reach_own_fact']}/{r['phrasings']} phrasings reach their own fact "
                  f"({r['reach_own_fact'] / max(r['phrasings'], 1):.0%}), {r['facts_with_a_miss']} facts with a phrasing "
                  f"that misses, {r['one_phrasing_only']} with only one phrasing, {r['with_trivia']} with trivia")
            for k in totals:
                totals[k] += r[k]
    print(f"total: {totals['facts']} facts, {totals['reach_own_fact']}/{totals['phrasings']} phrasings reach their own fact "
          f"({totals['reach_own_fact'] / max(totals['phrasings'], 1):.0%}), {totals['facts_with_a_miss']} facts to fix "
          f"for a missing phrasing, {totals['one_phrasing_only']} with only one phrasing")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
