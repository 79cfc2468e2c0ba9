#!/usr/bin/env python3
"""Score `classbot ask --json` against a held-out question set.

usage: python eval/score.py SET.tsv SENTENCES.yaml --knowledge COURSE [--text-only] [--misses] [-- COMMAND ...]

A question set is a TSV file: question, gold, and optionally a style column ("teen" for questions typed
the way teenagers type on phones, "plain" otherwise). Lines starting with "#" are comments. Gold is a
comma-separated list of sentence ids (any one of them counts) or NONE for a question the course does not
answer. SENTENCES.yaml maps each sentence id to a phrase of that sentence.

The command (default: this interpreter running `-m bot ask --json`) gets `--knowledge COURSE` appended,
reads every question on stdin, one a line, and writes one JSON object a line (the `ask --json` contract):
{"answered": bool, "confidence": float, "citations": [{"quote": str, ...}], ...}.

Judging (the same contract as ../shared/eval/score.py):
  * an in-scope question is right when it is answered and the FIRST citation's quote contains the phrase
    of one of its gold sentences (lower case, runs of whitespace folded, curly apostrophes straightened);
  * an out-of-scope question (NONE) is right when it is declined (answered false);
  * every other answer that was given is wrong; it is also counted as confidently wrong when its
    confidence is >= 0.8. A declined in-scope question is a miss, not a wrong answer.

--text-only scores a copy of the course holding only its source text(s) (no course.yaml, no facts), so the
bot answers from passages alone. The overlap figures compare the questions with the course's own fact
phrasings: a question the teacher listed (near) word for word tests recall, not understanding.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rapidfuzz import fuzz

REPO = Path(__file__).resolve().parent.parent
CONFIDENT = 0.8
NEAR_RATIO = 90.0


class EvalError(Exception):
    """A question set, sentence file or course the evaluation cannot use, or a command that failed."""


@dataclass(frozen=True)
class Question:
    text: str
    gold: tuple[str, ...]  # sentence ids; empty when the course does not answer the question
    teen: bool = False

    @property
    def in_scope(self) -> bool:
        return bool(self.gold)


@dataclass(frozen=True)
class QuestionSet:
    name: str
    questions: tuple[Question, ...]
    sentences: dict[str, str]  # id -> normalised phrase


@dataclass(frozen=True)
class Outcome:
    question: Question
    answered: bool
    right: bool
    confidence: float
    quote: str

    @property
    def wrong(self) -> bool:
        """An answer was given and it is not right (a decline is never 'wrong', only a miss)."""
        return self.answered and not self.right


@dataclass(frozen=True)
class Overlap:
    exact: float  # share of questions equal to a fact phrasing after normalisation
    near: float  # share with rapidfuzz ratio >= NEAR_RATIO to some phrasing (includes exact)


@dataclass
class Score:
    n: int = 0
    right: int = 0
    in_scope_n: int = 0
    in_scope_right: int = 0
    out_scope_n: int = 0
    out_scope_declined: int = 0
    teen_n: int = 0
    teen_right: int = 0
    answered: int = 0
    answered_right: int = 0
    wrong_any: int = 0
    wrong_confident: int = 0
    misses: list[Outcome] = field(default_factory=list)

    @property
    def overall(self) -> float:
        return self.right / self.n if self.n else 0.0

    @property
    def in_scope(self) -> float:
        return self.in_scope_right / self.in_scope_n if self.in_scope_n else 0.0

    @property
    def declined(self) -> float:
        return self.out_scope_declined / self.out_scope_n if self.out_scope_n else 0.0

    @property
    def teen(self) -> float:
        return self.teen_right / self.teen_n if self.teen_n else 0.0

    @property
    def precision(self) -> float:
        """Right answers / answers given: how far a student can trust a reply."""
        return self.answered_right / self.answered if self.answered else 0.0


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("\u2018", "'")).strip().lower()


def norm_question(text: str) -> str:
    """For overlap: lower case, punctuation dropped, whitespace folded."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower().replace("\u2019", "'").replace("'", "")).split())


def load_sentences(path: Path) -> dict[str, str]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise EvalError(f"cannot read sentences file {path}: {e}") from e
    if not isinstance(data, dict) or not all(isinstance(v, str) and v.strip() for v in data.values()):
        raise EvalError(f"{path}: expected a mapping of sentence id to a non-empty phrase")
    return {str(k): norm(v) for k, v in data.items()}


def parse_set(name: str, tsv_text: str, sentences: dict[str, str]) -> QuestionSet:
    questions: list[Question] = []
    for lineno, line in enumerate(tsv_text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) not in (2, 3) or not cols[0].strip():
            raise EvalError(f"{name}:{lineno}: expected question<TAB>gold[<TAB>style]")
        style = cols[2].strip() if len(cols) == 3 else "plain"
        if style not in ("teen", "plain"):
            raise EvalError(f"{name}:{lineno}: style must be 'teen' or 'plain', not {style!r}")
        gold_col = cols[1].strip()
        gold = () if gold_col == "NONE" else tuple(g.strip() for g in gold_col.split(",") if g.strip())
        if not gold and gold_col != "NONE":
            raise EvalError(f"{name}:{lineno}: gold is empty; write NONE for an out-of-scope question")
        unknown = [g for g in gold if g not in sentences]
        if unknown:
            raise EvalError(f"{name}:{lineno}: unknown sentence id(s) {', '.join(unknown)}")
        questions.append(Question(cols[0].strip(), gold, style == "teen"))
    if not questions:
        raise EvalError(f"{name}: no questions")
    return QuestionSet(name, tuple(questions), sentences)


def load_set(tsv_path: Path, sentences_path: Path) -> QuestionSet:
    try:
        text = tsv_path.read_text(encoding="utf-8")
    except OSError as e:
        raise EvalError(f"cannot read question set {tsv_path}: {e}") from e
    return parse_set(tsv_path.name, text, load_sentences(sentences_path))


def judge(question: Question, output: dict, sentences: dict[str, str]) -> Outcome:
    answered = bool(output.get("answered"))
    cites = output.get("citations") or []
    quote = norm(cites[0].get("quote") or "") if answered and cites else ""
    try:
        confidence = float(output.get("confidence") or 0.0)
    except (TypeError, ValueError):
        confidence = 0.0
    # in scope: answered with a gold sentence first; out of scope: declined
    right = answered and any(sentences[g] in quote for g in question.gold) if question.in_scope else not answered
    return Outcome(question, answered, right, confidence, quote)


def score(outcomes: Iterable[Outcome]) -> Score:
    s = Score()
    for o in outcomes:
        q = o.question
        s.n += 1
        s.right += o.right
        if q.in_scope:
            s.in_scope_n += 1
            s.in_scope_right += o.right
        else:
            s.out_scope_n += 1
            s.out_scope_declined += o.right
        if q.teen:
            s.teen_n += 1
            s.teen_right += o.right
        if o.answered:
            s.answered += 1
            s.answered_right += o.right
        if o.wrong:
            s.wrong_any += 1
            s.wrong_confident += o.confidence >= CONFIDENT
        if not o.right:
            s.misses.append(o)
    return s


def default_command() -> list[str]:
    return [sys.executable, "-m", "bot", "ask", "--json"]


def ask_batch(command: Sequence[str], questions: Sequence[str], knowledge: Path, timeout: float = 1200) -> list[dict]:
    """Run the command once in batch mode; one JSON object per question, in order."""
    if any("\n" in q or "\r" in q for q in questions):
        raise EvalError("a question holds a line break; batch mode reads one question a line")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    try:
        p = subprocess.run([*command, "--knowledge", str(knowledge)], input="\n".join(questions) + "\n",
                           capture_output=True, text=True, timeout=timeout, cwd=REPO, env=env)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise EvalError(f"could not run {' '.join(command)}: {e}") from e
    outs = []
    for line in p.stdout.splitlines():
        if line.strip().startswith("{"):
            try:
                outs.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise EvalError(f"not JSON: {line[:200]!r}") from e
    if len(outs) != len(questions):
        raise EvalError(f"got {len(outs)} answers for {len(questions)} questions (exit {p.returncode}): "
                        f"{p.stderr.strip()[-1500:]}")
    return outs


def run_set(qset: QuestionSet, knowledge: Path, command: Sequence[str] | None = None) -> Score:
    outs = ask_batch(command or default_command(), [q.text for q in qset.questions], knowledge)
    return score(judge(q, o, qset.sentences) for q, o in zip(qset.questions, outs, strict=True))


def fact_phrasings(course: Path) -> list[str]:
    """Every question phrasing listed in the course's facts/*.yaml (read with safe_load only)."""
    out: list[str] = []
    for path in sorted((course / "facts").glob("*.y*ml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for fact in data.get("facts") or []:
            out.extend(str(q) for q in fact.get("questions") or [])
    return out


def overlap(questions: Sequence[Question], phrasings: Sequence[str]) -> Overlap:
    if not questions:
        return Overlap(0.0, 0.0)
    normed = {norm_question(p) for p in phrasings}
    exact = near = 0
    for q in questions:
        nq = norm_question(q.text)
        if nq in normed:
            exact += 1
            near += 1
        elif any(fuzz.ratio(nq, p) >= NEAR_RATIO for p in normed):
            near += 1
    return Overlap(exact / len(questions), near / len(questions))


def source_files(course: Path) -> list[Path]:
    """The course's source texts: those course.yaml lists, else every .txt/.md in the folder."""
    meta = course / "course.yaml"
    if meta.is_file():
        data = yaml.safe_load(meta.read_text(encoding="utf-8")) or {}
        listed = [course / s["file"] for s in data.get("sources") or [] if isinstance(s, dict) and s.get("file")]
        if listed:
            return listed
    return sorted(p for p in course.rglob("*") if p.suffix in (".txt", ".md") and p.is_file())


def text_only_copy(course: Path, parent: Path) -> Path:
    """A course folder holding only the source text(s): the bot answers from passages alone."""
    dest = parent / f"{course.name}-text-only"
    dest.mkdir(parents=True)
    for src in source_files(course):
        shutil.copyfile(src, dest / src.name)
    return dest


def first_phrasing_copy(course: Path, parent: Path) -> Path:
    """A copy of the course with every fact cut to its first listed phrasing (a teacher in a hurry)."""
    dest = parent / f"{course.name}-first-phrasing"
    shutil.copytree(course, dest)
    for path in sorted((dest / "facts").glob("*.y*ml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for fact in data.get("facts") or []:
            fact["questions"] = list(fact.get("questions") or [])[:1]
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120), encoding="utf-8")
    return dest


def format_score(s: Score) -> str:
    return (f"overall {s.overall:.3f} in-scope {s.in_scope:.3f} declined {s.declined:.3f} teen {s.teen:.3f} "
            f"wrong {s.wrong_any} wrong>=0.8 {s.wrong_confident} (questions {s.n}, answered {s.answered}, "
            f"right when answered {s.precision:.3f})")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command: list[str] | None = None
    if "--" in argv:
        cut = argv.index("--")
        argv, command = argv[:cut], argv[cut + 1:]
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("questions", type=Path)
    ap.add_argument("sentences", type=Path)
    ap.add_argument("--knowledge", type=Path, required=True, help="the course folder")
    ap.add_argument("--text-only", action="store_true", help="score a copy with only the source text")
    ap.add_argument("--misses", action="store_true", help="list every question not right")
    args = ap.parse_args(argv)
    try:
        qset = load_set(args.questions, args.sentences)
        with tempfile.TemporaryDirectory() as tmp:
            course = text_only_copy(args.knowledge, Path(tmp)) if args.text_only else args.knowledge
            s = run_set(qset, course, command)
        ov = overlap(qset.questions, fact_phrasings(args.knowledge))
    except EvalError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.misses:
        for o in s.misses:
            print(f"  MISS {o.question.text!r} gold={','.join(o.question.gold) or 'NONE'} answered={o.answered} "
                  f"confidence={o.confidence:.2f} quote={o.quote[:90]!r}")
    print(f"overlap with fact phrasings: exact {ov.exact:.3f}, ratio>={NEAR_RATIO:.0f} {ov.near:.3f}")
    print(format_score(s))
    return 0


if __name__ == "__main__":
    sys.exit(main())
