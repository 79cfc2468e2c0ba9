"""Text into terms for matching: case, accents and apostrophes folded, stop words dropped, words
stemmed, and a course's aliases ("Soviet Union", "USSR") and multi-word synonyms read as one term
each. Also the synonym table (general synonyms plus the course's own) that ``bot.core.matching``
expands question words with."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache

from bot.core.lexicon import PHRASES, SYNONYM_GROUPS
from bot.core.models import Course
from bot.core.text import QUESTION_WORDS, STOP_WORDS, index_term, stem, words

ALIAS_PREFIX = "\u00a7"  # alias group terms look like "§ussr": they never clash with a real word
PHRASE_PREFIX = "~"  # a course's multi-word synonym: "~fall_from_power"


_CAPITALS = re.compile(r"[A-Z]{2}")
_ORIGINAL = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]+\b")


def course_acronyms(course: Course) -> frozenset[str]:
    """The words a course writes in capitals inside ordinary text ("WHO", "US", "NATO"), folded.
    Text in capitals throughout (a shouted title) says nothing and is skipped."""
    found: set[str] = {w.lower() for group in course.aliases for name in group for w in _ACRONYM.findall(name)}
    texts = [p.text for p in course.passages]
    for f in course.facts:
        texts += [f.answer, f.citation.quote, *f.keywords]
    for t in texts:
        if _CAPITALS.search(t) and any(ch.islower() for ch in t):
            found.update(m.lower() for m in _ACRONYM.findall(t))
    return frozenset(found)


def wording_key(text: str) -> int:
    """The words of a text as written, function words included, in any order: a question the
    teacher listed word for word has its phrasing's key ("when was the crisis over")."""
    return hash(frozenset(w for w in words(text) if w not in _NOISE))


_NOISE = frozenset({"a", "an", "the", "please", "pls", "plz"})


def phrase_term(seq: tuple[str, ...]) -> str:
    """The one term a multi-word synonym ("fall from power") is matched as."""
    return PHRASE_PREFIX + "_".join(stem(w) for w in seq)


class Analyzer:
    """Text -> terms, with the course's aliases folded into one term per group."""

    def __init__(self, aliases: tuple[tuple[str, ...], ...] = (), acronyms: frozenset[str] = frozenset(),
                 synonyms: tuple[tuple[str, ...], ...] = ()):
        self.acronyms = acronyms  # folded words the course writes in capitals ("who" for a course on the WHO)
        self.phrases: dict[tuple[str, ...], str] = {}
        for group in aliases:
            canonical = ALIAS_PREFIX + "_".join(words(group[0])) or ALIAS_PREFIX
            for name in group:
                seq = tuple(words(name))
                if seq:
                    self.phrases[seq] = canonical
        for group in synonyms:  # the course's own multi-word synonyms ("fall from power") are one term
            for name in group:
                seq = tuple(words(name))
                if len(seq) > 1:
                    self.phrases.setdefault(seq, phrase_term(seq))
        for phrase, word in PHRASES.items():  # general phrasal verbs, unless the course says otherwise
            self.phrases.setdefault(tuple(phrase.split()), stem(word))
        self.longest = max((len(p) for p in self.phrases), default=0)
        self.starts = {p[0] for p in self.phrases}  # words that can begin an alias

    def add_phrase(self, seq: tuple[str, ...], term: str) -> None:
        """One more multi-word phrase read as one term, unless the course already reads it otherwise."""
        if seq not in self.phrases:
            self.phrases[seq] = term
            self.starts.add(seq[0])
            self.longest = max(self.longest, len(seq))

    def tokens(self, text: str) -> list[tuple[str, str]]:
        """(word, term) pairs in order, aliases joined; term is '' for stop words."""
        raw_words = words(text)
        if (self.starts.isdisjoint(raw_words) and not _CAPITALS.search(text)  # no alias, no acronym: the common case
                and not any(len(w) >= 4 and w[-1] == "s" and w[:-1] in self.starts for w in raw_words)):
            return [(w, index_term(w)) for w in raw_words]
        # a name with its possessive "s" typed without the apostrophe ("jfks brother")
        raw_words = [w[:-1] if len(w) >= 4 and w[-1] == "s" and w not in self.starts and w[:-1] in self.starts else w
                     for w in raw_words]
        originals: list[str] | None = None
        out: list[tuple[str, str]] = []
        i = 0
        while i < len(raw_words):
            match = None
            for n in range(min(self.longest, len(raw_words) - i) if raw_words[i] in self.starts else 0, 0, -1):
                seq = tuple(raw_words[i : i + n])
                if seq in self.phrases and (len(seq) > 1 or seq[0] not in STOP_WORDS or self._alias_allowed(raw_words, originals := originals or _ORIGINAL.findall(text), i, text)):
                    match = (n, self.phrases[seq])
                    break
            if match:
                n, term = match
                out.append((" ".join(raw_words[i : i + n]), term))
                i += n
                continue
            w = raw_words[i]
            if w in STOP_WORDS or w in QUESTION_WORDS:
                # "US", "UN", "WHO" are names, not function words, when the course writes them so
                originals = originals or _ORIGINAL.findall(text)
                acronym = self._written_as_name(raw_words, originals, i, text, self.acronyms)
                out.append((w, w if acronym else ""))
            else:
                out.append((w, stem(w)))
            i += 1
        return out

    @staticmethod
    def _written_as_name(raw: list[str], originals: list[str], i: int, text: str, names: frozenset[str] | None = None) -> bool:
        """Whether a function word is written as a name: in capitals ("US", "WHO") in a text that is
        not all capitals (in "WHO WON THE CRISIS" capitals say nothing), or after "the" ("the us");
        with ``names``, "the who" counts only for a word the course writes in capitals."""
        if i > 0 and raw[i - 1] == "the" and (names is None or raw[i] in names):
            return True
        original = originals[i] if i < len(originals) and len(originals) == len(raw) else ""
        return len(original) > 1 and original.isupper() and any(ch.islower() for ch in text)

    def _alias_allowed(self, raw: list[str], originals: list[str], i: int, text: str = "") -> bool:
        """A one-word alias that is also a common word ("US") counts only when written as a name
        ("US", "the us"), so "tell us" and "TELL US ABOUT IT" keep it a stop word."""
        return self._written_as_name(raw, originals, i, text)

    def terms(self, text: str) -> list[str]:
        return [t for _, t in self.tokens(text) if t]


def _group_terms(group: tuple[str, ...]) -> set[str]:
    out = set()
    for name in group:
        seq = tuple(words(name))
        if len(seq) == 1:
            out.add(stem(seq[0]))
        elif seq:
            out.add(phrase_term(seq))
    return out


@cache
def _general_synonyms() -> dict[str, frozenset[str]]:
    """Stem -> the stems of its general synonyms (the same for every course, so built once)."""
    table: dict[str, set[str]] = defaultdict(set)
    for group in SYNONYM_GROUPS:
        terms = _group_terms(group)
        for t in terms:
            table[t] |= terms - {t}
    return {t: frozenset(others) for t, others in table.items()}


def synonym_table(course_groups: tuple[tuple[str, ...], ...]) -> dict[str, frozenset[str]]:
    """The general synonyms plus the course's own (``synonyms:`` in course.yaml)."""
    general = _general_synonyms()
    if not course_groups:
        return general
    table: dict[str, set[str]] = defaultdict(set, {t: set(o) for t, o in general.items()})
    for group in course_groups:
        terms = _group_terms(group)
        for t in terms:
            table[t] |= terms - {t}
    return {t: frozenset(others) for t, others in table.items()}
