"""The order of a course's text, and questions about the order of events: "what happens after the third wish", "what happened before the
blockade". A story or a process is told in order, so what happens after an event is usually the sentence
that comes after the one telling it, which shares few words with the question ("The knocking stops at
once."). ``bot.core.answering`` finds the event's sentence like any question and answers with its
neighbour, unless the sentence the words find says itself what happened after (or before) it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from bot.core.models import Passage
from bot.core.text import words

AFTER, BEFORE = "after", "before"

# "what happens after X", "what happened right after X", "what comes next after X", "what happens before X"
_ORDER = re.compile(r"^(?:and |so |but )?(?:what|which event) (?:happens|happened|happen|comes|came|occurs|occurred|goes on|went on)"
                    r"(?: next| just| right| straight| immediately| soon)? (after|before) (?P<event>.+)$")


@dataclass(frozen=True, slots=True)
class OrderQuestion:
    relation: str  # AFTER or BEFORE
    event: str  # "the third wish"


def order_question(text: str) -> OrderQuestion | None:
    """The event a question asks what came after (or before), when it asks only that."""
    m = _ORDER.match(" ".join(words(text)))
    if m is None:
        return None
    return OrderQuestion(m.group(1), m.group("event"))


CLAUSE_WORDS = 6  # "after the blockade was lifted": the words after "after" that name the event


def relation_clauses(text: str, relation: str) -> list[str]:
    """What a sentence says came before (or after) something: the few words after each "after" (or "before")."""
    return [" ".join(m.group(1).split()[:CLAUSE_WORDS]) for m in re.finditer(rf"\b{relation}\b([^.;!?]*)", text, re.IGNORECASE)]


class TextOrder:
    """Where each sentence stands in the course's text: the one after or before another, in the same source."""

    def __init__(self, passages: Sequence[Passage]):
        self.passages = passages

    @cached_property
    def _place(self) -> dict[str, int]:  # passage id -> place in the text, worked out on first use
        return {p.id: i for i, p in enumerate(self.passages)}

    def after(self, passage_id: str, skip: set[str]) -> Passage | None:
        """The next sentence of the same source that is not in ``skip``."""
        i = self._place.get(passage_id)
        if i is None:
            return None
        source = self.passages[i].source_id
        for p in self.passages[i + 1 :]:
            if p.source_id != source:
                return None
            if p.id not in skip:
                return p
        return None

    def before(self, passage_id: str) -> Passage | None:
        """The sentence just before, in the same source."""
        i = self._place.get(passage_id)
        if not i:
            return None
        p = self.passages[i - 1]
        return p if p.source_id == self.passages[i].source_id else None
