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

from bot.core.text import STOP_WORDS, fold

HONORIFICS = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "doctor", "sir", "dame", "lady", "lord", "madam", "madame", "master",
    "mister", "st", "saint", "prof", "professor", "rev", "reverend", "father", "mother", "brother", "sister",
    "uncle", "aunt", "auntie", "king", "queen", "prince", "princess", "duke", "duchess", "count", "countess",
    "emperor", "empress", "pope", "president", "senator", "general", "captain", "colonel", "major", "sergeant",
    "lieutenant", "admiral", "judge", "inspector", "detective", "officer", "chief",
})

_CAPITALISED = re.compile(r"[A-Z][\w'\u2019-]*|[\w'\u2019-]+")


def first_names(texts: Iterable[str]) -> dict[str, str]:
    """Folded first word -> folded last word, for each name the texts give in full and in part."""
    follows: dict[str, Counter[str]] = defaultdict(Counter)
    seen: Counter[str] = Counter()
    alone: Counter[str] = Counter()  # a capitalised word not right after a capitalised word
    for text in texts:
        tokens = _CAPITALISED.findall(text)
        for i, token in enumerate(tokens):
            word = fold(token)
            seen[word] += 1
            before = tokens[i - 1] if i else ""
            if token[0].isupper() and i + 1 < len(tokens) and tokens[i + 1][0].isupper():
                follows[word][fold(tokens[i + 1])] += 1
            if token[0].isupper() and not (before and before[0].isupper()):
                alone[word] += 1
    out = {}
    for word, nexts in follows.items():
        if len(nexts) != 1 or word in HONORIFICS or word in STOP_WORDS:
            continue
        last, count = next(iter(nexts.items()))
        if count == seen[word] and alone[last] > 0:  # always "Julius Caesar"; "Caesar" alone too
            out[word] = last
    return out
