"""Whole-course checks on top of reading: duplicates, confusable phrasings, trivia answers, coverage."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from rapidfuzz import fuzz

from bot.core.errors import Problem
from bot.core.knowledge import read_course
from bot.core.models import Course, Passage

# Two phrasings of different facts at or above this similarity (after the matcher's own
# normalisation: aliases, stop words, stemming) cannot be told apart by the matcher.
CONFUSABLE = 92.0


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
    problems: list[Problem]
    coverage: Coverage | None


def validate(path: str | Path) -> Report:
    draft = read_course(path)
    problems = list(draft.problems)
    course = draft.course
    if course is None:
        return Report(None, problems, None)
    problems += _duplicate_ids(course)
    problems += _unknown_related(course, draft.declared_ids)
    problems += _confusable_questions(course)
    problems += _trivia_answers(course)
    problems.sort(key=lambda p: (p.file, p.line, p.column))
    return Report(course, problems, coverage(course))


def coverage(course: Course) -> Coverage:
    cited = {pid for f in course.facts for pid in f.citation.passage_ids}
    uncited = [p for p in course.passages if p.id not in cited]
    return Coverage(len(course.passages) - len(uncited), len(course.passages), uncited)


def _duplicate_ids(course: Course) -> list[Problem]:
    first: dict[str, tuple[str, int]] = {}
    out = []
    for fact in course.facts:
        if fact.id in first:
            file, line = first[fact.id]
            out.append(Problem(fact.file, fact.line, 0, f"fact id '{fact.id}' is already used in {file} line {line}; ids must be unique"))
        else:
            first[fact.id] = (fact.file, fact.line)
    return out


def _unknown_related(course: Course, declared: set[str]) -> list[Problem]:
    ids = declared | {f.id for f in course.facts}  # a fact with problems of its own is reported once, there
    return [
        Problem(f.file, f.line, 0, f"fact '{f.id}' lists related fact '{r}', which does not exist")
        for f in course.facts for r in f.related if r not in ids
    ]


def _confusable_questions(course: Course) -> list[Problem]:
    from bot.core.matching import Analyzer

    analyzer = Analyzer(course.aliases)
    keyed: list[tuple[str, str, object]] = []  # (normalised, original, fact)
    for fact in course.facts:
        for q in fact.questions:
            norm = " ".join(sorted(analyzer.terms(q)))
            if norm:
                keyed.append((norm, q, fact))
    out, reported = [], set()
    for (na, qa, fa), (nb, qb, fb) in combinations(keyed, 2):
        if fa is fb or (fa.id, fb.id) in reported:
            continue
        if na == nb or fuzz.ratio(na, nb) >= CONFUSABLE:
            reported.add((fa.id, fb.id))
            out.append(Problem(
                fb.file, fb.line, 0,
                f"fact '{fb.id}' has the question \"{qb}\", which the bot cannot tell apart from \"{qa}\" of fact "
                f"'{fa.id}' ({fa.file} line {fa.line}); reword one so it names what is specific to its fact",
            ))
    return out


def _trivia_answers(course: Course) -> list[Problem]:
    if not course.trivia_items:
        return []
    from bot.core.trivia.answers import check_answer

    out = []
    for fact in course.facts:
        item = fact.trivia
        if item is None:
            continue
        for candidate in (item.answer, *item.accept):
            if not check_answer(item, candidate):
                out.append(Problem(
                    fact.file, fact.line, 0,
                    f"the trivia of fact '{fact.id}' would mark its own answer \"{candidate}\" wrong "
                    f"(type {item.type.value}); fix the answer, its type or the accepted answers",
                ))
    return out
