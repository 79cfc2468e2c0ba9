#!/usr/bin/env python3
"""Score the engine with some of its constants changed, in one process: the tuning courses (with facts and
text only), the bundled course's development set, and SQuAD's Rhine article when ../shared/eval is present.

usage: PYTHONPATH=$PWD python bench/tuning/variants.py [NAME=VALUE ...]

NAME is a module-level constant of bot/core/answering.py (MEANING_ANSWERS=1.2, MEANING_LEAD=99, ...);
MEANING_ANSWERS=99 MEANING_LEAD=99 MEANING_UNRELATED=-1 gives the words alone. One line is printed:
"tuning" is the mean overall of the tuning rows, with the answers wrong at any confidence and at >= 0.8;
"bundled" the development set with facts / text only; "squad" answerable right / right when answered /
unanswerable declined. This is how the table of engine round 4 in bench/tuning/README.md was made. It never
reads eval/ (the held-out courses have their own runner, eval/run.py).
"""

from __future__ import annotations

import json
import os
import re
import string
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "eval"))
import score as sc  # noqa: E402  (eval/ is a folder of scripts)

from bot.core import answering  # noqa: E402

SHARED = Path(os.environ.get("CLASSBOT_SHARED_EVAL") or REPO.parent / "shared" / "eval")


def squad_norm(text: str) -> str:
    """SQuAD's answer normalisation (as ../shared/eval/squad/squad_eval.py): lower case, no punctuation or articles."""
    text = "".join(ch for ch in text.lower() if ch not in set(string.punctuation))
    return " ".join(re.sub(r"\b(a|an|the)\b", " ", text).split())


def rows(sets: list[tuple[str, Path, sc.QuestionSet]], tmp: Path) -> dict[tuple[str, str], sc.Score]:
    out = {}
    for name, course, qset in sets:
        for mode, path in (("facts", course), ("text", sc.text_only_copy(course, tmp))):
            engine = answering.load_engine(path)
            outcomes = []
            for q in qset.questions:
                a = engine.ask(q.text)
                reply = {"answered": a.answered, "confidence": a.confidence, "citations": [{"quote": c.quote} for c in a.citations]}
                outcomes.append(sc.judge(q, reply, qset.sentences))
            out[(name, mode)] = sc.score(outcomes)
    return out


def squad(tmp: Path) -> str:
    data_files = sorted((SHARED / "squad").glob("*.json"))
    if not data_files:
        return "squad: not present"
    pos = pos_ok = imp = imp_ok = answered = answered_ok = 0
    for art in json.loads(data_files[0].read_text(encoding="utf-8"))["data"]:
        folder = Path(tempfile.mkdtemp(dir=tmp))
        paragraphs = "\n\n".join(p["context"].strip() for p in art["paragraphs"])
        (folder / f"{art['title']}.txt").write_text(f"{art['title'].replace('_', ' ')}\n\n{paragraphs}\n", encoding="utf-8")
        engine = answering.load_engine(folder)
        for p in art["paragraphs"]:
            for q in p["qas"]:
                a = engine.ask(q["question"].replace("\n", " "))
                quote = squad_norm(a.citations[0].quote) if a.citations else ""
                if q["is_impossible"]:
                    imp += 1
                    imp_ok += not a.answered
                    continue
                right = a.answered and any(squad_norm(g["text"]) in quote for g in q["answers"])
                pos, pos_ok = pos + 1, pos_ok + right
                answered, answered_ok = answered + a.answered, answered_ok + right
    return f"squad {pos_ok / pos:.3f} / {answered_ok / max(1, answered):.3f} / {imp_ok / imp:.3f}"


def main() -> int:
    for arg in sys.argv[1:]:
        name, _, value = arg.partition("=")
        if not hasattr(answering, name):
            print(f"bot.core.answering has no constant {name}", file=sys.stderr)
            return 2
        setattr(answering, name, type(getattr(answering, name))(value))
    sets = [(c.name, c, sc.load_set(HERE / "sets" / f"{c.name}.tsv", HERE / "sets" / f"{c.name}.sentences.yaml"))
            for c in sorted(p for p in (HERE / "courses").iterdir() if p.is_dir())]
    with tempfile.TemporaryDirectory() as tmp:
        tuning = rows(sets, Path(tmp))
        line = (f"tuning {sum(s.overall for s in tuning.values()) / len(tuning):.3f} "
                f"wrong {sum(s.wrong_any for s in tuning.values())} (>=0.8: {sum(s.wrong_confident for s in tuning.values())})")
        if (SHARED / "dev_questions.tsv").is_file():
            dev = sc.load_set(SHARED / "dev_questions.tsv", SHARED / "sentences.yaml")
            bundled = rows([("bundled", REPO / "knowledge" / "cuban-missile-crisis", dev)], Path(tmp))
            line += f"  bundled {bundled[('bundled', 'facts')].overall:.3f} / {bundled[('bundled', 'text')].overall:.3f}"
        line += "  " + squad(Path(tmp))
    print(" ".join(sys.argv[1:]) or "as shipped", "|", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
