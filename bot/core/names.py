"""Names given in full and in part: a text introduces "Julius Caesar" and then says "Caesar". A question
about "Julius Caesar" should also find a sentence that says only "Caesar" (bot.core.matching counts the
first name as matched by the last, at a discount: "Robert Kennedy" and "Kennedy" may be two brothers).

A word is the first part of a name when the text writes it with a capital, always right before the same
capitalised word, and that word also stands alone elsewhere ("Caesar was made dictator for life"). Titles
of address are not first parts: "Mrs White" and "Mr White" are two people (English honorifics; the list is
grammar, the same for every course).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import pairwise

from bot.core.text import QUESTION_WORDS, STOP_WORDS, fold

HONORIFICS = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "doctor", "sir", "dame", "lady", "lord", "madam", "madame", "master",
    "mister", "st", "saint", "prof", "professor", "rev", "reverend", "father", "mother", "brother", "sister",
    "uncle", "aunt", "auntie", "king", "queen", "prince", "princess", "duke", "duchess", "count", "countess",
    "emperor", "empress", "pope", "president", "senator", "general", "captain", "colonel", "major", "sergeant",
    "lieutenant", "admiral", "judge", "inspector", "detective", "officer", "chief",
})

_NEVER_FIRST = HONORIFICS | STOP_WORDS | QUESTION_WORDS
_RUN = re.compile(r"[A-Z][\w'\u2019-]*(?:[ \t]+[A-Z][\w'\u2019-]*)*")  # capitalised words in a row ("Julius Caesar")


def first_names(texts: Iterable[str]) -> dict[str, str]:
    """Folded first word -> folded last word, for each name the texts give in full and in part."""
    texts = list(texts)
    follows: dict[str, Counter[str]] = defaultdict(Counter)
    alone: Counter[str] = Counter()  # a capitalised word not right after a capitalised word
    for text in texts:
        for run in _RUN.findall(text):
            names = run.split()
            alone[names[0].lower()] += 1
            for first, last in pairwise(names):
                follows[first.lower()][last.lower()] += 1
    candidates = {word: next(iter(nexts.items())) for word, nexts in follows.items() if len(nexts) == 1
                  and fold(word) not in _NEVER_FIRST and alone[next(iter(nexts))] > 0}
    if not candidates:
        return {}
    # how often each candidate is written at all, in any case ("Leading Soviet ..." once, "leading" elsewhere)
    anywhere = re.compile(r"(?<![\w'\u2019-])(?:" + "|".join(map(re.escape, sorted(candidates, key=len, reverse=True)))
                          + r")(?![\w'\u2019-])", re.IGNORECASE)
    seen = Counter(m.lower() for m in anywhere.findall("\n".join(texts)))
    return {fold(word): fold(last) for word, (last, count) in candidates.items() if count == seen[word]}
