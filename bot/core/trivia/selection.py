"""Which trivia item a channel gets next, its multiple choices, and reading a choice back."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence

from bot.core.errors import TriviaError
from bot.core.models import TriviaItem
from bot.core.store import ItemUsage
from bot.core.trivia.answers import expected_answers, normalize

# ---------------------------------------------------------------------------------------------
# Selection and multiple choice


def seeded_rng(*parts: object) -> random.Random:
    """A Random seeded from the parts (guild, channel, day...), the same in every process."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def select_item(items: Sequence[TriviaItem], history: Sequence[ItemUsage], seed: object) -> TriviaItem:
    """The next item for a channel.

    No repeats until every item has been used (items are drawn from those used the fewest
    times). Within that pool, items the class got wrong weigh more, so in the next cycle they
    come back sooner; the item used last is avoided when there is any other choice.
    """
    if not items:
        raise TriviaError("this course has no trivia questions: add `trivia:` to some facts")
    usage = {u.item_id: u for u in history}
    counts = {it.id: usage[it.id].times_used if it.id in usage else 0 for it in items}
    fewest = min(counts.values())
    pool = [it for it in items if counts[it.id] == fewest]
    last = max(history, key=lambda u: u.last_day).item_id if history else None
    if len(pool) > 1:
        pool = [it for it in pool if it.id != last] or pool
    weights = []
    for it in pool:
        share = usage[it.id].share_correct if it.id in usage else None
        weights.append(1.0 if share is None else 1.0 + 4.0 * (1.0 - share))
    rng = seeded_rng("select", seed)
    return rng.choices(pool, weights=weights, k=1)[0]


def build_choices(item: TriviaItem, items: Sequence[TriviaItem], seed: object, size: int = 4) -> tuple[str, ...]:
    """Shuffled choices (the answer and up to size-1 distractors), or () for a free-text round.

    The item's own distractors come first; when it has fewer than size-1, other items' answers
    of the same type fill in. Fewer than two distractors in all means free text.
    """
    rng = seeded_rng("choices", item.id, seed)
    taken = {normalize(a) for a in expected_answers(item)}
    distractors: list[str] = []

    def add(text: str) -> None:
        key = normalize(text)
        if key and key not in taken and len(distractors) < size - 1:
            taken.add(key)
            distractors.append(text.strip())

    for d in item.distractors:
        add(d)
    if len(distractors) < size - 1:
        others = sorted({it.answer for it in items if it.id != item.id and it.type == item.type})
        rng.shuffle(others)
        for text in others:
            add(text)
    if len(distractors) < 2:
        return ()
    choices = [item.answer.strip(), *distractors]
    rng.shuffle(choices)
    return tuple(choices)


def parse_choice(text: str, choices: Sequence[str]) -> int | None:
    """A 0-based choice index from "2", "B", "b)", or the choice's own text; None otherwise."""
    s = text.strip().rstrip(").:").strip()
    if s.isdigit() and 1 <= int(s) <= len(choices):
        return int(s) - 1
    if len(s) == 1 and s.isalpha():
        index = ord(s.upper()) - ord("A")
        if 0 <= index < len(choices):
            return index
    key = normalize(text)
    for i, c in enumerate(choices):
        if key and normalize(c) == key:
            return i
    return None


__all__ = ["build_choices", "parse_choice", "seeded_rng", "select_item"]
