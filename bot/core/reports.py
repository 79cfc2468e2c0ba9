"""The teacher's report: what students asked and how trivia went, this week and over the last weeks.

``build_report`` reads the store port only and returns a plain :class:`Report`; adapters render it
(text, blocks, an embed) and may attach the chart drawn by ``bot.charts`` from ``Report.weeks``.

Weeks run Monday to Sunday in the server's trivia timezone (UTC when it has none); the current
week ends now. A past week can be asked for (``week_of``). Trivia rounds are dated by their local day; questions are counted per UTC day,
so a question asked close to midnight may count for the neighbouring day.

Unanswered questions are kept per course, not per server: the report lists those of the course
last asked this week, near-duplicates merged, each with how often it was asked in all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from bot.core.models import Course, TriviaItem
from bot.core.store import ActivityStore, ReportingStore, TriviaConfigStore, UnansweredQuestion

WEEKS = 6  # weeks of history in a report by default
MAX_WEEKS = 52
TOP = 10  # rows in each list of the report
HARDEST = 5
# Two unanswered questions are merged when rapidfuzz's token_sort_ratio (Indel similarity of the
# words sorted, 0-100, after default_process: lower case, punctuation removed) is at least this:
# about one differing character in ten, e.g. a typo or two, or the same words in another order.
# It compares characters only, so it holds for any course and language.
SAME_QUESTION = 90
NO_UNIT = ""
NO_UNIT_TITLE = "No unit"

__all__ = [
    "HARDEST",
    "ItemResult",
    "Report",
    "ReportStore",
    "SAME_QUESTION",
    "TOP",
    "TriviaSummary",
    "UnansweredTopic",
    "UnhelpfulAnswer",
    "UnitQuestions",
    "UnitWeek",
    "WEEKS",
    "WeekSeries",
    "build_report",
    "merge_similar",
]


class ReportStore(ActivityStore, ReportingStore, TriviaConfigStore, Protocol):
    """What build_report needs of the store."""


@dataclass(frozen=True, slots=True)
class UnansweredTopic:
    """One unanswered question, with the near-duplicates merged into it."""

    question: str  # the most asked wording
    count: int  # times asked in all, every wording together
    wordings: tuple[str, ...]  # the other wordings merged into it
    last_asked: float


@dataclass(frozen=True, slots=True)
class UnhelpfulAnswer:
    """An answer students voted "not helpful" this week."""

    fact_id: str | None  # None: an answer quoted from a passage, no fact
    question: str  # the fact's first question, or what the student asked for a passage answer
    unit: str
    unhelpful: int
    helpful: int


@dataclass(frozen=True, slots=True)
class UnitQuestions:
    """Questions one unit answered this week."""

    unit: str
    title: str
    count: int


@dataclass(frozen=True, slots=True)
class TriviaSummary:
    rounds: int
    answers: int
    correct: int
    players: int  # different students who answered

    @property
    def share_right(self) -> float | None:
        return self.correct / self.answers if self.answers else None


@dataclass(frozen=True, slots=True)
class ItemResult:
    """How one trivia item fared over the report's weeks."""

    item_id: str
    question: str
    unit: str
    rounds: int
    answered: int
    correct: int

    @property
    def share_right(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True, slots=True)
class UnitWeek:
    """One unit in one week: questions it answered, trivia answers to its items and how many were right."""

    unit: str
    questions: int
    trivia_answers: int
    trivia_correct: int

    @property
    def participation(self) -> int:
        return self.questions + self.trivia_answers

    @property
    def accuracy(self) -> float | None:
        return self.trivia_correct / self.trivia_answers if self.trivia_answers else None


@dataclass(frozen=True, slots=True)
class WeekSeries:
    start: date  # a Monday
    end: date  # the Sunday, or today for the current week
    units: tuple[UnitWeek, ...]  # every unit of Report.units, in that order
    not_covered: int  # questions the course could not answer

    def unit(self, unit: str) -> UnitWeek:
        return next(u for u in self.units if u.unit == unit)


@dataclass(frozen=True, slots=True)
class Report:
    course_id: str
    course_title: str
    platform: str | None  # None: every platform
    guild_id: str | None  # None: every server
    timezone: str
    generated_at: datetime
    week_start: date  # the report's week: its Monday
    week_end: date  # the last day the report covers: today, or the Sunday of a past week
    units: tuple[tuple[str, str], ...]  # (id, title): the course's units in its order, then others seen
    unanswered: tuple[UnansweredTopic, ...]  # this week's, most asked first; of the course in EVERY server
    # (the unanswered log is kept per course: a chat adapter should say so, or leave the list out
    # where one deployment serves unrelated classes the same course)
    unhelpful: tuple[UnhelpfulAnswer, ...]  # this week's, most "not helpful" votes first
    asked: tuple[UnitQuestions, ...]  # this week, per unit (units of Report.units, zero included)
    not_covered: int  # this week's questions the course could not answer
    trivia: TriviaSummary  # this week
    hardest: tuple[ItemResult, ...]  # over all the report's weeks, lowest share right first
    weeks: tuple[WeekSeries, ...]  # oldest first; the last is this week

    @property
    def is_current_week(self) -> bool:
        """Whether the report is on the week it was made in (not a past week)."""
        return self.generated_at.astimezone(ZoneInfo(self.timezone)).date() <= self.week_start + timedelta(days=6)

    @property
    def questions_asked(self) -> int:
        return sum(u.count for u in self.asked) + self.not_covered

    def to_json(self) -> dict[str, Any]:
        def share(x: float | None) -> float | None:
            return None if x is None else round(x, 3)

        return {
            "course": {"id": self.course_id, "title": self.course_title},
            "platform": self.platform,
            "guild_id": self.guild_id,
            "timezone": self.timezone,
            "generated_at": self.generated_at.isoformat(),
            "week": {"start": self.week_start.isoformat(), "end": self.week_end.isoformat()},
            "units": [{"id": u, "title": t} for u, t in self.units],
            "unanswered_scope": "course",  # every server of the course: the log is not kept per server
            "unanswered": [{"question": t.question, "count": t.count, "wordings": list(t.wordings),
                            "last_asked": datetime.fromtimestamp(t.last_asked, UTC).isoformat()} for t in self.unanswered],
            "unhelpful": [{"fact_id": a.fact_id, "question": a.question, "unit": a.unit, "unhelpful": a.unhelpful,
                           "helpful": a.helpful} for a in self.unhelpful],
            "asked": {"total": self.questions_asked, "not_covered": self.not_covered,
                      "per_unit": [{"unit": q.unit, "title": q.title, "count": q.count} for q in self.asked]},
            "trivia": {"rounds": self.trivia.rounds, "answers": self.trivia.answers, "correct": self.trivia.correct,
                       "players": self.trivia.players, "share_right": share(self.trivia.share_right)},
            "hardest": [{"item_id": i.item_id, "question": i.question, "unit": i.unit, "rounds": i.rounds,
                         "answered": i.answered, "correct": i.correct, "share_right": share(i.share_right)}
                        for i in self.hardest],
            "weeks": [{"start": w.start.isoformat(), "end": w.end.isoformat(), "not_covered": w.not_covered,
                       "units": [{"unit": u.unit, "questions": u.questions, "trivia_answers": u.trivia_answers,
                                  "trivia_correct": u.trivia_correct, "participation": u.participation,
                                  "accuracy": share(u.accuracy)} for u in w.units]} for w in self.weeks],
        }


def merge_similar(questions: list[UnansweredQuestion], threshold: int = SAME_QUESTION) -> list[UnansweredTopic]:
    """Near-duplicate questions as one topic (see SAME_QUESTION), most asked first. Each question
    joins the first, most asked, topic it is close to, so a topic is named by its most asked wording."""
    ordered = sorted(questions, key=lambda q: (-q.count, -q.last_asked, q.question))
    groups: list[tuple[str, list[UnansweredQuestion]]] = []
    for q in ordered:
        key = default_process(q.question)
        for head, members in groups:
            if fuzz.token_sort_ratio(head, key) >= threshold:
                members.append(q)
                break
        else:
            groups.append((key, [q]))
    topics = [
        UnansweredTopic(m[0].question, sum(q.count for q in m), tuple(q.question for q in m[1:]),
                        max(q.last_asked for q in m))
        for _, m in groups
    ]
    return sorted(topics, key=lambda t: (-t.count, -t.last_asked, t.question))


async def build_report(
    store: ReportStore,
    course: Course,
    guild_id: str | None,
    now: datetime,
    weeks: int = WEEKS,
    *,
    platform: str | None = None,
    week_of: date | None = None,
) -> Report:
    """The report of ``course`` in one server (``guild_id``; None: every server) at ``now`` (an
    aware datetime), on the week holding ``week_of`` (default: this week, up to ``now``), with
    ``weeks`` weeks of history up to it (that week included). Raises StoreError."""
    weeks = min(max(int(weeks), 1), MAX_WEEKS)
    zone_name = await _timezone(store, platform, guild_id)
    zone: tzinfo = ZoneInfo(zone_name)
    local_today = now.astimezone(zone).date()
    day = min(week_of, local_today) if week_of is not None else local_today
    week_start = day - timedelta(days=day.weekday())
    today = min(week_start + timedelta(days=6), local_today)  # the last day covered
    starts = [week_start - timedelta(weeks=i) for i in range(weeks - 1, -1, -1)]
    first = starts[0]
    since = datetime.combine(week_start, time(), zone).timestamp()
    until = min(now.timestamp(), datetime.combine(week_start + timedelta(days=7), time(), zone).timestamp())
    # questions are counted per UTC day, each in the week its date falls in: this week takes them up
    # to now (the UTC day may be local tomorrow already); a past week stops at its Sunday's date
    last_day = max(today, now.astimezone(UTC).date()) if today == local_today else today

    items = {i.id: i for i in course.trivia_items}
    unit_of_fact = {f.id: f.unit or NO_UNIT for f in course.facts}

    def week_index(day: date) -> int:
        return min(max((day - first).days // 7, 0), weeks - 1)

    # questions asked, per unit and week
    counts = await store.question_counts(course.id, platform, guild_id, first, last_day)
    asked: dict[tuple[int, str], int] = defaultdict(int)
    not_covered = [0] * weeks
    for c in counts:
        w = week_index(date.fromisoformat(c.day))
        if c.answered:
            asked[w, c.unit] += c.count
        else:
            not_covered[w] += c.count

    # trivia rounds of the course's items, per unit and week, and per item over the whole period
    rounds = [r for r in await store.round_results(platform, guild_id, first, today) if r.item_id in items]
    answers: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    per_item: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    this_week = [0, 0, 0]
    for r in rounds:
        w = week_index(date.fromisoformat(r.day))
        unit = _item_unit(items[r.item_id], unit_of_fact)
        answers[w, unit][0] += r.answered
        answers[w, unit][1] += r.correct
        acc = per_item[r.item_id]
        acc[0] += 1
        acc[1] += r.answered
        acc[2] += r.correct
        if w == weeks - 1:
            this_week[0] += 1
            this_week[1] += r.answered
            this_week[2] += r.correct
    players = await store.trivia_players(platform, guild_id, week_start, today)

    seen = {u for _, u in asked} | {u for _, u in answers}
    units = _units(course, seen)
    series = tuple(
        WeekSeries(start, min(start + timedelta(days=6), today),
                   tuple(UnitWeek(u, asked.get((w, u), 0), *answers.get((w, u), (0, 0))) for u, _ in units),
                   not_covered[w])
        for w, start in enumerate(starts)
    )
    hardest = sorted(
        (ItemResult(i, items[i].question, _item_unit(items[i], unit_of_fact), n, a, c)
         for i, (n, a, c) in per_item.items() if a),
        key=lambda r: (r.share_right, -r.answered, r.item_id),
    )[:HARDEST]
    return Report(
        course_id=course.id,
        course_title=course.title,
        platform=platform,
        guild_id=guild_id,
        timezone=zone_name,
        generated_at=now,
        week_start=week_start,
        week_end=today,
        units=units,
        unanswered=tuple(merge_similar(await store.unanswered_since(course.id, since, until))[:TOP]),
        unhelpful=tuple(await _unhelpful(store, course, platform, guild_id, since, until, unit_of_fact)),
        asked=tuple(UnitQuestions(u, t, series[-1].unit(u).questions) for u, t in units),
        not_covered=not_covered[-1],
        trivia=TriviaSummary(this_week[0], this_week[1], this_week[2], players),
        hardest=tuple(hardest),
        weeks=series,
    )


async def _timezone(store: TriviaConfigStore, platform: str | None, guild_id: str | None) -> str:
    """The server's trivia timezone; with several servers, theirs when they all agree; else UTC."""
    configs = await store.list_trivia_configs(platform)
    zones = {c.timezone for c in configs if guild_id is None or c.guild_id == str(guild_id)}
    return zones.pop() if len(zones) == 1 else "UTC"


def _item_unit(item: TriviaItem, unit_of_fact: dict[str, str]) -> str:
    return unit_of_fact.get(item.fact_id, NO_UNIT)


def _units(course: Course, seen: set[str]) -> tuple[tuple[str, str], ...]:
    """The course's units in its order, then units its facts name without declaring them, then the
    answers outside any unit (each only when it has activity, except the declared units)."""
    declared = [(u, t) for u, t in course.units]
    ids = {u for u, _ in declared}
    extra = sorted(u for u in seen if u and u not in ids)
    out = declared + [(u, u) for u in extra]
    if NO_UNIT in seen or not out:
        out.append((NO_UNIT, NO_UNIT_TITLE))
    return tuple(out)


async def _unhelpful(store: ReportingStore, course: Course, platform: str | None, guild_id: str | None, since: float,
                     until: float, unit_of_fact: dict[str, str]) -> list[UnhelpfulAnswer]:
    """This week's answers voted not helpful. Votes do not record their course: a fact id the course
    does not have (another course's, or a fact since removed) is left out."""
    out = []
    for v in await store.answer_votes(platform, guild_id, since, until):
        if v.unhelpful == 0:
            continue
        if v.fact_id is None:
            out.append(UnhelpfulAnswer(None, v.question, NO_UNIT, v.unhelpful, v.helpful))
        elif v.fact_id in unit_of_fact:
            fact = course.fact(v.fact_id)
            out.append(UnhelpfulAnswer(v.fact_id, fact.questions[0] if fact.questions else v.question,
                                       unit_of_fact[v.fact_id], v.unhelpful, v.helpful))
    return out[:TOP]
