"""Whole-course checks on top of reading: duplicates, links, trivia answers, coverage, and (for
``classbot validate`` only) the course asked its own questions.

Every check here is linear in the size of the course, so ``load_course`` can run them on every
start. The self-check (every listed phrasing asked through the real answer engine) costs one
question per phrasing, so only ``validate`` runs it.

A phrasing that misses its fact is a **warning**, not an error: the bot still answers every fact
through its other phrasings and the text, the miss depends on the engine's version as much as on
the course (a bot must not refuse to start after an upgrade), and the teacher's fix is a matter of
judgement (reword it, add a keyword, or drop a phrasing that asks about something else). Errors
are what makes the course unusable or wrong: those stop the bot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.core.errors import Problem
from bot.core.knowledge import all_problems, read_course
from bot.core.meaning import VectorCache
from bot.core.models import AsksQuestions, Course, Fact, Passage


@dataclass
class Coverage:
    cited: int
    total: int
    uncited: list[Passage] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.cited / self.total if self.total else 1.0


@dataclass
class Report:
    course: Course | None
    problems: list[Problem]  # errors: the bot will not start on the course
    coverage: Coverage | None
    warnings: list[Problem] = field(default_factory=list)  # worth a look; the bot still starts


def validate(path: str | Path, self_check: bool = True, vectors: VectorCache | None = None) -> Report:
    """Every problem of a course, root causes first. ``self_check`` also asks the course its own
    questions (see ``phrasing_misses``); it runs only on a course without errors. ``vectors``: where
    the course's sentence vectors are kept (the running bot's cache: validating then serving encodes once)."""
    draft = read_course(path)
    problems = all_problems(draft)
    course = draft.course
    if course is None:
        return Report(None, problems, None)
    warnings = phrasing_misses(course, vectors=vectors) if self_check and not problems else []
    return Report(course, problems, coverage(course), warnings)


def coverage(course: Course) -> Coverage:
    cited = {pid for f in course.facts for pid in f.citation.passage_ids}
    uncited = [p for p in course.passages if p.id not in cited]
    return Coverage(len(course.passages) - len(uncited), len(course.passages), uncited)


# Two phrasings of different facts at or above this similarity (fuzz.ratio of their sorted terms)
# are near-identical; ``classbot new`` (bot.core.drafting) drops such drafted phrasings.
CONFUSABLE = 92.0
PARALLEL_FROM = 5000  # phrasings: from here the self-check asks in several processes (where fork is available)


def phrasing_misses(course: Course, workers: int | None = None, vectors: VectorCache | None = None) -> list[Problem]:
    """Ask the real answer engine every phrasing the teacher listed; one that does not come back to
    its own fact is reported, at its line, with what the bot answers instead."""
    from bot.core.answering import Engine

    global _ENGINE
    _ENGINE = Engine(course, vectors=vectors)
    asked = [(fact, q, line) for fact in course.facts
             for q, line in zip(fact.questions, fact.question_lines or (fact.line,) * len(fact.questions), strict=False)]
    questions = list(dict.fromkeys(q for _, q, _ in asked))  # a phrasing two facts share is asked once
    try:
        outcome_of = dict(zip(questions, _ask_many(questions, workers), strict=True))
    finally:
        _ENGINE = None
    where = {f.id: f for f in course.facts}
    out = []
    for fact, question, line in asked:
        outcome = outcome_of[question]
        if outcome[0] == fact.id:
            continue
        out.append(Problem(fact.file, line, 0, f"warning: the question \"{question}\" of fact '{fact.id}' "
                           f"{_reached(outcome, where, fact.file)}; reword it with words of its own fact, or add a keyword"))
    return out


_ENGINE: AsksQuestions | None = None  # the engine the self-check's worker processes inherit (fork): built once, never pickled
_Outcome = tuple[str | None, bool, str | None, str | None]  # (fact id, answered, location of the first citation, reason)


def _ask_chunk(questions: list[str]) -> list[_Outcome]:
    engine = _ENGINE
    assert engine is not None, "_ENGINE is set before questions are asked"
    out: list[_Outcome] = []
    for q in questions:
        a = engine.ask(q)
        out.append((a.fact_id, a.answered, a.citations[0].location if a.citations else None, a.reason))
    return out


def _ask_many(questions: list[str], workers: int | None) -> list[_Outcome]:
    import multiprocessing
    import os
    import sys

    if workers is None:
        workers = min(os.cpu_count() or 1, 8) if len(questions) >= PARALLEL_FROM else 1
    if workers <= 1 or not sys.platform.startswith("linux"):  # fork is safe and cheap on Linux only
        return _ask_chunk(questions)
    size = -(-len(questions) // (workers * 4))
    chunks = [questions[i : i + size] for i in range(0, len(questions), size)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return [o for part in pool.map(_ask_chunk, chunks) for o in part]


def _reached(outcome: _Outcome, facts: dict[str, Fact], file: str) -> str:
    fact_id, answered, location, reason = outcome
    if fact_id is not None:
        other = facts.get(fact_id)
        at = "" if other is None else f" (line {other.line})" if other.file == file else f" ({other.file} line {other.line})"
        return f"is answered with fact '{fact_id}'{at} instead"
    if answered and location:
        return f"is answered with a sentence of the text ({location}) instead of its fact"
    if reason == "vague":
        return "gets no answer: the bot finds it too vague (\"not sure which part of the course you mean\")"
    if reason in (None, "not_covered"):
        return "gets no answer: the bot says the course does not cover it"
    if reason == "empty":
        return "has no words the bot can use"
    return f"is taken for chat, not a question (\"{reason}\"), and gets no answer"
