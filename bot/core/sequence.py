"""Questions about the order of events: "what happens after the third wish", "what happened before the
blockade". A story or a process is told in order, so what happens after an event is usually the sentence
that comes after the one telling it, which shares few words with the question ("The knocking stops at
once."). ``bot.core.answering`` finds the event's sentence like any question and answers with its
neighbour, unless the sentence the words find says itself what happened after (or before) it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
