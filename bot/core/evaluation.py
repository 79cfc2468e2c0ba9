"""`classbot eval`: how well the bot answers a teacher's own question file, and why it misses.

File format (tab-separated, # comments): question<TAB>gold. Gold is NONE when the bot should say
the course does not cover it, or comma-separated ids: fact ids of the course, or sentence ids of a
--sentences YAML (id: "phrase the cited quote must contain").
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import yaml

from bot.core.errors import ClassbotError

if TYPE_CHECKING:
    from bot.core.answering import Engine, MultiEngine


def read_questions(path: Path) -> list[tuple[str, list[str] | None]]:
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise ClassbotError(f"cannot read {path}: {e.strerror}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        if "\t" not in line:
            raise ClassbotError(f"{path}:{n}: expected question<TAB>gold ids (or NONE)")
        question, gold = line.split("\t", 1)
        gold = gold.strip()
        rows.append((question, None if gold.upper() == "NONE" else [g.strip() for g in gold.split(",") if g.strip()]))
    return rows


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().lower().replace("\u2019", "'")


def run_eval(
    engine: Engine | MultiEngine, questions: Path, sentences: Path | None = None, out: TextIO | None = None, *, min_score: float | None = None
) -> int:
    """Print each miss and the scores; the exit status: 1 when the overall score is below
    ``min_score`` (a teacher's or CI's bar), else 0."""
    out = out or sys.stdout
    phrases: dict[str, str] = {}
    if sentences:
        try:
            data = yaml.safe_load(sentences.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
            raise ClassbotError(f"cannot read {sentences}: {getattr(e, 'strerror', None) or e}") from None
        if not isinstance(data, dict):
            raise ClassbotError(f"{sentences} should map sentence ids to phrases")
        phrases = {str(k): _norm(str(v)) for k, v in data.items()}
    rows = read_questions(questions)
    courses = getattr(engine, "engines", None) or [engine]
    fact_ids = {f.id for e in courses for f in e.course.facts}
    unknown = sorted({g for _, gold in rows for g in gold or () if g not in fact_ids and g not in phrases})
    if unknown:
        print(f"warning: {questions} names ids that are neither facts of the course nor sentences of --sentences: "
              f"{', '.join(unknown)}", file=out)
    right = 0
    in_ok = in_n = out_ok = out_n = 0
    for question, gold in rows:
        answer = engine.ask(question)
        quote = _norm(answer.citations[0].quote) if answer.citations else ""
        if gold is None:
            out_n += 1
            ok = not answer.answered
            out_ok += ok
            why = "" if ok else f"answered a question the course does not cover, with {answer.fact_id or 'a passage'}: {quote[:80]!r}"
        else:
            in_n += 1
            ok = answer.answered and any(g == answer.fact_id or (g in phrases and phrases[g] in quote) for g in gold)
            in_ok += ok
            if ok:
                why = ""
            elif not answer.answered:
                why = f"said it is not covered (suggested: {', '.join(answer.suggestions) or 'nothing'})"
            else:
                why = f"cited the wrong thing ({answer.fact_id or 'passage'}, confidence {answer.confidence:.2f}): {quote[:80]!r}"
        right += ok
        if not ok:
            print(f"MISS {question!r} (gold {','.join(gold) if gold else 'NONE'}): {why}", file=out)
    total = len(rows) or 1
    score = right / total if rows else 0.0
    print(f"{right}/{len(rows)} right: overall {score:.3f}, in scope {in_ok}/{in_n}, "
          f"not covered {out_ok}/{out_n}", file=out)
    if min_score is not None and score < min_score:
        print(f"FAIL: overall {score:.3f} is below --min {min_score:.3f}", file=out)
        return 1
    return 0
