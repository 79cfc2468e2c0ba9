"""Plain domain types shared by the core, the store and every adapter.

Nothing here knows about Discord, Slack or a terminal: adapters translate these
into their platform's messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Source:
    """One source text of a course (a .txt or .md file)."""

    id: str
    title: str
    path: str  # relative to the course folder, as the teacher wrote it
    text: str  # the whole file, as read
    author: str | None = None
    url: str | None = None
    licence: str | None = None


@dataclass(frozen=True, slots=True)
class Passage:
    """One sentence of a source, with where it stands.

    ``text`` is the verbatim source slice with line wraps folded into single spaces.
    """

    id: str  # "<source id>:<sentence number>", stable for a given text
    source_id: str
    section: tuple[str, ...]  # heading path, outermost first
    paragraph: int  # 1-based, within its section
    sentence: int  # 1-based, within its paragraph
    line_start: int  # 1-based, inclusive
    line_end: int
    start: int  # character offsets into Source.text
    end: int
    text: str
    bullet: bool = False

    @property
    def location(self) -> str:
        return format_location(self.section, self.paragraph, self.line_start, self.line_end)


def format_location(section: tuple[str, ...], paragraph: int, line_start: int, line_end: int) -> str:
    """'Cuban missile crisis averted › After the crisis, ¶2 (lines 23-27)'."""
    where = " › ".join(section)
    lines = f"line {line_start}" if line_start == line_end else f"lines {line_start}-{line_end}"
    head = f"{where}, ¶{paragraph}" if where else f"¶{paragraph}"
    return f"{head} ({lines})"


@dataclass(frozen=True, slots=True)
class Citation:
    """A verbatim quote from a source and where it comes from."""

    source_id: str
    source_title: str
    location: str  # human-readable, see format_location
    quote: str  # verbatim source text (whitespace folded)
    passage_ids: tuple[str, ...] = ()
    url: str | None = None

    @property
    def reference(self) -> str:
        """Title and location for people, without saying the title twice."""
        if self.location.startswith(self.source_title):
            return self.location
        return f"{self.source_title}, {self.location}"

    def to_json(self) -> dict[str, object]:
        return {"source": self.source_id, "title": self.source_title, "location": self.location, "quote": self.quote}


class AnswerType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    YEAR = "year"
    DATE = "date"
    NAME = "name"


@dataclass(frozen=True, slots=True)
class TriviaItem:
    """A trivia question attached to a fact."""

    id: str  # same as the fact's id (one trivia item per fact)
    fact_id: str
    question: str
    answer: str
    accept: tuple[str, ...] = ()  # other accepted answers
    type: AnswerType = AnswerType.TEXT
    distractors: tuple[str, ...] = ()  # wrong choices for multiple choice
    difficulty: str = "medium"  # easy | medium | hard
    tolerance: float = 0.0  # for number/year answers
    citation: Citation | None = None  # quiz items (quiz/*.yaml): where they came from; None for a fact's trivia


@dataclass(frozen=True, slots=True)
class Fact:
    """A curated fact: how students ask about it, the teacher's answer, and its citation."""

    id: str
    questions: tuple[str, ...]
    answer: str
    citation: Citation
    keywords: tuple[str, ...] = ()
    unit: str | None = None
    tags: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    trivia: TriviaItem | None = None
    file: str = ""  # where it was defined, for messages
    line: int = 0
    question_lines: tuple[int, ...] = ()  # the line of each phrasing in ``file`` (empty when not from a file)
    draft: bool = False  # written by `classbot new`, not yet checked by the teacher


@dataclass(frozen=True, slots=True)
class Course:
    id: str
    title: str
    description: str
    aliases: tuple[tuple[str, ...], ...]  # each group: names that mean the same thing
    sources: tuple[Source, ...]
    passages: tuple[Passage, ...]
    facts: tuple[Fact, ...]
    folder: str = ""
    units: tuple[tuple[str, str], ...] = ()  # (id, title), in the teacher's order
    synonyms: tuple[tuple[str, ...], ...] = ()  # the course's own word groups, matched at a discount
    quiz: tuple[TriviaItem, ...] = ()  # imported quiz items (quiz/*.yaml): trivia with no fact behind them

    @property
    def trivia_items(self) -> tuple[TriviaItem, ...]:
        return tuple(f.trivia for f in self.facts if f.trivia is not None) + self.quiz

    def source(self, source_id: str) -> Source:
        for s in self.sources:
            if s.id == source_id:
                return s
        raise KeyError(source_id)

    def fact(self, fact_id: str) -> Fact:
        for f in self.facts:
            if f.id == fact_id:
                return f
        raise KeyError(fact_id)


@dataclass(frozen=True, slots=True)
class Answer:
    """What the engine says to a question. Adapters render this and nothing else."""

    question: str
    answered: bool
    text: str | None  # the short answer (teacher's words, or the cited sentence for passages)
    confidence: float  # 0..1
    citations: tuple[Citation, ...] = ()
    fact_id: str | None = None
    suggestions: tuple[str, ...] = ()  # questions the course does cover, to offer as buttons
    notice: str | None = None  # why nothing was answered, for people
    reason: str | None = None  # why nothing was answered, for code: empty | greeting | vague | not_covered
    course_id: str = ""

    @property
    def is_gap(self) -> bool:
        """A real question the course does not cover: worth showing the teacher."""
        return self.reason == "not_covered"

    @property
    def quotes_itself(self) -> bool:
        """Answered straight from the text: the answer is the quote, so show it once."""
        return bool(self.citations) and self.text == self.citations[0].quote

    @property
    def weak(self) -> bool:
        """Answered, but with a weak match: adapters show a confidence hint."""
        return self.answered and self.confidence < 0.7

    def to_json(self) -> dict[str, object]:
        return {
            "question": self.question,
            "answered": self.answered,
            "answer": self.text,
            "confidence": round(self.confidence, 3),
            "fact_id": self.fact_id,
            "citations": [c.to_json() for c in self.citations],
            "suggestions": list(self.suggestions),
        }


@dataclass(slots=True)
class TriviaRound:
    """One posted trivia question in one channel on one local day."""

    id: int | None
    guild_id: str
    channel_id: str
    item_id: str
    day: str  # local date, ISO format, in the channel's timezone
    posted_at: float  # unix seconds
    closes_at: float
    choices: tuple[str, ...] = ()  # empty for free-text rounds
    message_id: str | None = None
    status: str = "pending"  # pending -> posted -> revealed
    meta: dict[str, Any] = field(default_factory=dict)  # JSON kept with the round (course, platform, reveal state)


@dataclass(frozen=True, slots=True)
class Topic:
    """A unit (or tag) of the course, for /topics."""

    id: str
    title: str
    fact_count: int
    examples: tuple[str, ...]  # a few questions students can ask


class AsksQuestions(Protocol):
    """Anything that answers a question: one course's engine, or several courses' (``bot.core.answering``)."""

    def ask(self, question: str) -> Answer: ...
