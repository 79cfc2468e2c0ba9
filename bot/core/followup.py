"""Follow-up questions: "why?", "tell me more", "and then?", "what about Khrushchev?" right after an answer.

On its own "why?" means nothing; a moment after an answer it asks about that answer. Each asker has
a short context (their last answered question, forgotten after ``FOLLOW_UP_SECONDS``), and a
follow-up is resolved against it:

- "tell me more" / "go on": a related fact the teacher linked to the previous one and not shown
  yet, else the next sentence of the text;
- "and then?" / "what happened next": the next sentence of the text (the teacher's fact for it
  when there is one);
- "why?" / "how come": among the related facts and the sentences around the previous answer, the
  first that gives a reason ("because", "so", "as a result", ...);
- "what about X?" / "and X?": the previous question asked again about X (the names it held
  replaced by X).

Every answer is still a fact or a sentence of the course with its citation. A follow-up with no
context is answered like any other question, and so is one that finds nothing, but for "why?": when
nothing near the previous answer gives a reason, the bot says plainly that the course notes don't say
why (``reason`` "no_reason": not a gap to record, since "why?" alone tells the teacher nothing), rather
than answering "why?" on its own words with unrelated suggestions.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Protocol, cast

from bot.core.models import Answer, AsksQuestions
from bot.core.text import words

FOLLOW_UP_SECONDS = 300.0  # how long an answer can be followed up
MAX_CONVERSATIONS = 10_000  # askers remembered at once (the oldest are forgotten first)
FOLLOW_UP_CONFIDENCE = 0.75  # an answer found through the context, not through the words

MORE, NEXT, WHY, ABOUT = "more", "next", "why", "about"

_MORE = re.compile(r"^(?:(?:please |pls |can you |could you )?tell me more(?: about (?:it|that|this))?(?: please)?|more|go on|"
                   r"continue|keep going|more please|more info|anything else|what else|say more|explain more|elaborate)$")
_NEXT = re.compile(r"^(?:and then|and then what|then what|what then|what happened next|what happened then|"
                   r"what happened after that|what came next|after that|and after that|next|what next|and next|then)$")
_WHY = re.compile(r"^(?:and |but |so )?(?:why|why so|how come|why is that|why was that|why did that happen|"
                  r"why did they do that|why did he do that|why did she do that|for what reason|whats the reason|what is the reason)$")
_ABOUT = re.compile(r"^(?:(?:and )?(?:what|how) about|and|what of|same for|same with) (.+)$")


def classify(text: str) -> tuple[str, str] | None:
    """(kind, rest) when ``text`` can only be understood as a follow-up, else None."""
    t = " ".join(words(text))
    if not t or len(t) > 80:
        return None
    if _MORE.match(t):
        return MORE, ""
    if _NEXT.match(t):
        return NEXT, ""
    if _WHY.match(t):
        return WHY, ""
    m = _ABOUT.match(t)
    if m and len(m.group(1).split()) <= 4:
        return ABOUT, m.group(1)
    return None


@dataclass(slots=True)
class Turn:
    question: str  # the question as the asker meant it (a follow-up's resolved question)
    answer: Answer
    at: float
    shown: set[str] = field(default_factory=set)  # fact ids and passage ids already given


class Conversations:
    """The last answered question of each asker, for a few minutes."""

    def __init__(self, ttl: float = FOLLOW_UP_SECONDS, clock: Callable[[], float] = time.monotonic,
                 limit: int = MAX_CONVERSATIONS):
        self.ttl = ttl
        self.clock = clock
        self.limit = limit
        self._turns: OrderedDict[Hashable, Turn] = OrderedDict()
        self._lock = threading.Lock()  # asked from worker threads too

    def last(self, key: Hashable) -> Turn | None:
        turn = self._turns.get(key)
        if turn is None:
            return None
        if self.clock() - turn.at > self.ttl:
            del self._turns[key]
            return None
        return turn

    def remember(self, key: Hashable, question: str, answer: Answer, previous: Turn | None = None) -> None:
        if not answer.answered:
            return
        shown = set(previous.shown) if previous else set()
        shown |= _ids(answer)
        self._turns.pop(key, None)
        self._turns[key] = Turn(question, answer, self.clock(), shown)
        while len(self._turns) > self.limit:
            self._turns.popitem(last=False)

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._turns.pop(key, None)

    def ask(self, engine: AsksQuestions, key: Hashable, question: str) -> Answer:
        """``engine.ask(question)``, with ``question`` read as a follow-up of this asker's last
        answer when it is one (``key``: who asks where; None keeps no context)."""
        if key is None:
            return engine.ask(question)
        with self._lock:
            turn = self.last(key)
        followed = answer_follow_up(engine, question, turn)
        answer, meant = followed if followed else (engine.ask(question), question)
        with self._lock:
            self.remember(key, meant, answer, turn if followed else None)
        return answer


def _ids(answer: Answer) -> set[str]:
    out = set(answer.citations[0].passage_ids) if answer.citations else set()
    if answer.fact_id:
        out.add(answer.fact_id)
    return out


class FollowsUp(AsksQuestions, Protocol):
    """What a follow-up needs of one course's engine (``bot.core.answering.Engine``, which imports this module)."""

    def replace_subject(self, question: str, subject: str) -> str: ...

    def reason_for(self, previous: Answer, shown: set[str], question: str) -> Answer | None: ...

    def continuation(self, previous: Answer, shown: set[str], question: str, related_first: bool = True) -> Answer | None: ...


def answer_follow_up(engine: AsksQuestions, text: str, turn: Turn | None) -> tuple[Answer, str] | None:
    """The answer to ``text`` read as a follow-up of ``turn``, with the question it stood for;
    None when it is not a follow-up, there is no context, or the context gives nothing."""
    found = classify(text)
    if found is None or turn is None:
        return None
    kind, rest = found
    # several courses (MultiEngine): the course of the answer being followed up
    for_course = getattr(engine, "for_course", None)
    target = cast("FollowsUp | None", for_course(turn.answer.course_id) if for_course is not None else engine)
    if target is None:
        return None
    if kind == ABOUT:
        question = target.replace_subject(turn.question, rest)
        answer = target.ask(question)
        return (_as_asked(answer, text), question) if answer.answered else None
    if kind == WHY:
        return target.reason_for(turn.answer, turn.shown, text) or _no_reason(turn, text), turn.question
    found_answer = target.continuation(turn.answer, turn.shown, text, related_first=(kind == MORE))
    return (found_answer, turn.question) if found_answer is not None else None


def _as_asked(answer: Answer, text: str) -> Answer:
    """The answer, showing the student's own words as the question."""
    from dataclasses import replace

    return replace(answer, question=text.strip()[:2000])


NO_REASON = "no_reason"  # Answer.reason of a "why?" the course notes give no reason for


def _no_reason(turn: Turn, text: str) -> Answer:
    """A plain "the notes don't say why" about the previous answer, named by its question and section."""
    previous = turn.answer
    topic = f'"{turn.question.strip()[:200]}"'
    if previous.citations:
        section = previous.citations[0].reference.rsplit(", \u00b6", 1)[0]  # without the paragraph and lines
        topic += f" ({section})"
    return Answer(question=text.strip()[:2000], answered=False, text=None, confidence=0.0,
                  notice=f"The course notes don't say why. Nothing near the last answer, to {topic}, gives a reason.",
                  reason=NO_REASON, course_id=previous.course_id)
