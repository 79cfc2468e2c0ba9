"""The question as the course reads it, for the sentence encoder (bot.core.encoder).

The encoder knows English, not this course: it cannot know that "RFK" is the course's "Robert Kennedy",
that a student's "mothership" is the teacher's listed synonym for "command module", or that "ultamatum"
was typed for "ultimatum". The word matcher knows all three (the course's ``aliases`` and ``synonyms``,
and its typo fixes), so the question handed to the encoder spells them out:

    "what did rfk tell dobrinin"  ->  "what did rfk (Robert Kennedy) tell Dobrynin (the Soviet ambassador)"

- a mistyped word is replaced by the course word it was read as;
- a name from an alias group gets, in brackets, up to two other names of its group that are not just
  another spelling of it (rapidfuzz ratio below SPELLING);
- a synonym the course's text never uses gets the members of its group that the text does use.

An all-capitals alias ("US") is matched as written unless its lower-case form is no everyday word
("rfk" is "RFK", "us" is not "US").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.core.lexicon import is_common
from bot.core.models import Course
from bot.core.text import QUESTION_WORDS, STOP_WORDS, words

SPELLING = 70.0  # two names closer than this (rapidfuzz ratio, 0-100) are spellings of one name
MORE = 2  # other names added per name found


@dataclass(frozen=True)
class _Expansion:
    pattern: re.Pattern[str]
    extra: str


def _pattern(name: str) -> re.Pattern[str]:
    lower = name.lower()
    exact = name.isupper() and (lower in STOP_WORDS or lower in QUESTION_WORDS or is_common(lower))
    body = r"\s+".join(re.escape(part) for part in name.split())
    return re.compile(rf"(?<!\w){body}(?!\w)", 0 if exact else re.IGNORECASE)


def _others(name: str, group: tuple[str, ...]) -> list[str]:
    chosen: list[str] = []
    for other in filter(words, group):
        if other == name or fuzz.ratio(other.lower(), name.lower()) >= SPELLING:
            continue
        if any(fuzz.ratio(other.lower(), c.lower()) >= SPELLING for c in chosen):
            continue
        if set(words(other)) & set(words(name)):  # "Anatoly Dobrynin" adds nothing to "Dobrynin"
            continue
        chosen.append(other)
        if len(chosen) == MORE:
            break
    return chosen


class Reading:
    """Built once per course; ``of`` rewrites one question."""

    def __init__(self, course: Course, seen: set[str]):
        found: list[_Expansion] = []
        for group in course.aliases:
            for name in filter(words, group):  # a name with no word in it matches nothing
                others = _others(name, group)
                if others:
                    found.append(_Expansion(_pattern(name), ", ".join(others)))
        for group in course.synonyms:
            used = [w for w in filter(words, group) if all(x in seen for x in words(w))]
            for name in filter(words, group):
                if name not in used and used:
                    found.append(_Expansion(_pattern(name), ", ".join(used[:MORE])))
        found.sort(key=lambda e: -len(e.pattern.pattern))  # "the President's brother" before "the President"
        self._expansions = found

    def of(self, text: str, fixed: dict[str, str]) -> str:
        for typed, meant in fixed.items():
            text = re.sub(rf"(?<!\w){re.escape(typed)}(?!\w)", meant, text, flags=re.IGNORECASE)
        taken: list[tuple[int, int]] = []
        inserts: list[tuple[int, str]] = []
        for exp in self._expansions:
            for m in exp.pattern.finditer(text):
                if any(m.start() < end and start < m.end() for start, end in taken):
                    continue  # inside a longer name already expanded
                taken.append((m.start(), m.end()))
                inserts.append((m.end(), f" ({exp.extra})"))
        for at, extra in sorted(inserts, reverse=True):
            text = text[:at] + extra + text[at:]
        return text
