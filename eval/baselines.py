#!/usr/bin/env python3
"""Comparison figures: plain retrieval baselines on the same question sets as eval/run.py.

usage: pip install -e ".[dev]" && python eval/baselines.py [--shared DIR]

Baselines (each answers every question with one sentence of the source text, so none ever declines):
  bm25        BM25Okapi (rank-bm25, default k1=1.5, b=0.75) over the text's sentences; lower-cased word
              tokens, no stemming, no stop words; the top sentence is the answer.
  fuzzy       rapidfuzz token_set_ratio of the question against every sentence; the best one is the answer.
  fuzzy-facts token_set_ratio against every question phrasing of the course's facts; the answer is the
              sentence holding the best fact's quote (the course's facts, like the bot's "facts" rows).

They are scored by eval/score.py's judge (same gold, same rules), and the SQuAD article the way
../shared/eval/squad/squad_eval.py scores it (answerable right = the sentence contains a gold span after
SQuAD normalisation). Sentences are split here by a simple rule of our own (headings dropped, a sentence
ends at . ! or ? before a capital), not by the bot's splitter. Needs the `dev` extra (rank-bm25).
"""

from __future__ import annotations

import argparse
import json
import re
import string
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as runner  # noqa: E402
import score as sc  # noqa: E402

try:
    from rank_bm25 import BM25Okapi
except ImportError:  # pragma: no cover - explained to the user
    sys.exit("eval/baselines.py needs rank-bm25: pip install -e '.[dev]'")

END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s+")
TOKEN = re.compile(r"\w+")


def split_sentences(text: str) -> list[str]:
    """Sentences of a source text; headings (markdown '#', the title, a short line without a full stop
    standing before a paragraph) are dropped. Bullets and numbered items start new sentences."""
    lines = text.splitlines()
    blocks: list[list[str]] = [[]]
    for i, raw in enumerate(lines):
        line = raw.strip()
        prev = lines[i - 1].strip() if i else ""
        if not line:
            blocks.append([])
            continue
        if line.startswith("#") or i == 0:
            blocks.append([])
            continue
        unpunctuated = not line.rstrip("\"')").endswith((".", "!", "?", ":"))
        if unpunctuated and len(line) < 60 and (not prev or i == 1) and not BULLET.match(line):
            blocks.append([])  # a heading: alone after a blank line (or right under the title)
            continue
        if BULLET.match(line):
            blocks.append([])
            line = BULLET.sub("", line)
        line = line.lstrip("\u2022 ")
        blocks[-1].append(line)
    out: list[str] = []
    for block in blocks:
        joined = " ".join(block).replace("\u2022", "\n")
        for part in joined.split("\n"):
            for sent in END.split(part.strip()):
                sent = sent.strip()
                # a fragment with no end punctuation is a heading run into the text (hard-wrapped files)
                if sent and sent.rstrip("\"')").endswith((".", "!", "?")):
                    out.append(sent)
    return out


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


Answerer = Callable[[str], str]


def bm25_answerer(sentences: Sequence[str]) -> Answerer:
    bm = BM25Okapi([tokens(s) for s in sentences])

    def answer(q: str) -> str:
        scores = bm.get_scores(tokens(q))
        return sentences[max(range(len(sentences)), key=lambda i: scores[i])]
    return answer


def fuzzy_answerer(sentences: Sequence[str]) -> Answerer:
    def answer(q: str) -> str:
        return process.extractOne(q, sentences, scorer=fuzz.token_set_ratio, processor=str.lower)[0]
    return answer


def fuzzy_facts_answerer(course: Path, sentences: Sequence[str]) -> Answerer | None:
    pairs: list[tuple[str, str]] = []  # (phrasing, sentence holding the fact's quote)
    folded = [sc.norm(s) for s in sentences]
    for path in sorted((course / "facts").glob("*.y*ml")):
        for fact in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("facts") or []:
            quote = sc.norm(str(fact.get("quote", "")))
            holder = next((s for s, f in zip(sentences, folded, strict=True) if quote and quote in f), quote)
            pairs.extend((str(q), holder) for q in fact.get("questions") or [])
    if not pairs:
        return None
    phrasings = [p for p, _ in pairs]

    def answer(q: str) -> str:
        _, _, idx = process.extractOne(q, phrasings, scorer=fuzz.token_set_ratio, processor=str.lower)
        return pairs[idx][1]
    return answer


def score_answerer(qset: sc.QuestionSet, answer: Answerer) -> sc.Score:
    outs = [{"answered": True, "confidence": 1.0, "citations": [{"quote": answer(q.text)}]} for q in qset.questions]
    return sc.score(sc.judge(q, o, qset.sentences) for q, o in zip(qset.questions, outs, strict=True))


def course_text(course: Path) -> str:
    return "\n\n".join(p.read_text(encoding="utf-8") for p in sc.source_files(course))


def set_rows(name: str, qset: sc.QuestionSet, course: Path) -> list[runner.Row]:
    sentences = split_sentences(course_text(course))
    unsplit = [g for g, phrase in qset.sentences.items() if not any(phrase in sc.norm(s) for s in sentences)]
    if unsplit:
        print(f"warning: {name}: gold sentence(s) {', '.join(unsplit)} not found whole after splitting", file=sys.stderr)
    answerers: list[tuple[str, Answerer | None]] = [
        ("bm25", bm25_answerer(sentences)), ("fuzzy", fuzzy_answerer(sentences)),
        ("fuzzy-facts", fuzzy_facts_answerer(course, sentences))]
    rows = []
    for label, a in answerers:
        if a is not None:
            m = runner.metrics_of(score_answerer(qset, a), None)
            del m["wrong_confident"]  # a baseline has no confidence
            rows.append(runner.Row(f"{name} {label}", m))
    return rows


def squad_norm(s: str) -> str:
    s = "".join(ch for ch in s.lower() if ch not in set(string.punctuation))
    return " ".join(re.sub(r"\b(a|an|the)\b", " ", s).split())


def squad_rows(shared: Path) -> list[runner.Row]:
    files = sorted((shared / "squad").glob("*.json"))
    if not files:
        return []
    rows = []
    for label, make in (("bm25", bm25_answerer), ("fuzzy", fuzzy_answerer)):
        pos = pos_ok = imp = n = 0
        for art in json.loads(files[0].read_text(encoding="utf-8"))["data"]:
            sentences = [s for p in art["paragraphs"] for s in split_sentences("title\n\n" + p["context"])]
            answer = make(sentences)
            for p in art["paragraphs"]:
                for q in p["qas"]:
                    n += 1
                    if q["is_impossible"]:
                        imp += 1
                        continue
                    pos += 1
                    quote = squad_norm(answer(q["question"].replace("\n", " ")))
                    pos_ok += any(squad_norm(a["text"]) and squad_norm(a["text"]) in quote for a in q["answers"])
        rows.append(runner.Row(f"squad rhine {label}", {
            "n": n, "overall": pos_ok / n, "in_scope": pos_ok / max(pos, 1), "declined": 0.0,
            "right_when_answered": pos_ok / n, "wrong": n - pos_ok}))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, help="the shared eval folder (default ../shared/eval)")
    args = ap.parse_args(argv)
    shared = runner.shared_dir(args.shared)
    rows: list[runner.Row] = []
    for course in sorted(p for p in (runner.EVAL / "courses").iterdir() if p.is_dir()):
        qset = sc.load_set(runner.EVAL / "sets" / f"{course.name}.tsv",
                           runner.EVAL / "sets" / f"{course.name}.sentences.yaml")
        rows += set_rows(course.name, qset, course)
    if (shared / "dev_questions.tsv").is_file():
        rows += set_rows("bundled dev", sc.load_set(shared / "dev_questions.tsv", shared / "sentences.yaml"),
                         runner.BUNDLED)
    rows += squad_rows(shared)
    print(runner.table(rows))
    print("\nEvery baseline answers every question: 'declined' is 0 and every out-of-scope question is a wrong "
          "answer.\nbm25 = rank-bm25 BM25Okapi over sentences; fuzzy = rapidfuzz token_set_ratio over sentences; "
          "fuzzy-facts = token_set_ratio over the facts' phrasings.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
