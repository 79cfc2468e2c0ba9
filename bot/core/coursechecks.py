"""The whole-course checks every start runs on top of reading: duplicate ids, links to facts that do
not exist, trivia answers their own check would mark wrong. Each is linear in the course's size."""

from __future__ import annotations

from bot.core.errors import Problem
from bot.core.models import Course


def course_problems(course: Course, declared_ids: set[str]) -> list[Problem]:
    return _duplicate_ids(course) + _unknown_related(course, declared_ids) + _trivia_answers(course)


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
