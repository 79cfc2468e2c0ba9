"""Counting the questions students ask, per unit of the course, for the teacher's report.

Only a count is kept (server, course, unit, UTC day, answered or not): never the question's text
or who asked. A question the course does not cover has no unit; an answer from a passage counts
for the unit of the first fact that cites that passage.
"""

from __future__ import annotations

import logging

from bot.core.answering import Engine, MultiEngine
from bot.core.courses import CourseLibrary
from bot.core.models import Answer, Course
from bot.core.store import ActivityStore

log = logging.getLogger(__name__)

__all__ = ["count_question", "unit_of"]


def unit_of(course: Course | None, answer: Answer) -> str | None:
    """The unit an answer belongs to: its fact's, else that of the first fact citing its passage."""
    if course is None or not answer.answered:
        return None
    if answer.fact_id:
        try:
            return course.fact(answer.fact_id).unit
        except KeyError:
            return None
    cited = set(answer.citations[0].passage_ids) if answer.citations else set()
    if not cited:
        return None
    return next((f.unit for f in course.facts if f.unit and cited & set(f.citation.passage_ids)), None)


async def count_question(store: ActivityStore | None, platform: str, guild_id: str | None, engine: Engine | MultiEngine | CourseLibrary,
                         answer: Answer, course_id: str = "") -> None:
    """Count ``answer``'s question (answered, or not covered; greetings and empty or vague messages are
    not questions). Never raises: a store failing must not cost the student an answer."""
    if store is None or not (answer.answered or answer.is_gap):
        return
    course_id = answer.course_id or course_id
    for_course = getattr(engine, "for_course", None)
    course = getattr(for_course(course_id) if for_course else engine, "course", None)
    try:
        await store.count_question(platform, guild_id, course_id, unit_of(course, answer), answer.answered)
    except Exception as e:
        log.warning("could not count a question for the reports: %s", e)
