"""Finding teachers' quotes in a source text, for every fact of a course at once, in near-linear time.

A quote matches the source with whitespace runs folded to one space and curly apostrophes made
straight. The folded text is built once per source (with a compact map back to the original
offsets: only the places where a run of two or more whitespace characters was folded), and the
quotes are found through one pass over its words: each quote of three or more words is looked up
by its longest inner word (a whole word of the source wherever the quote occurs), and only those
places are compared. So the cost is one pass over the source plus the places each quote's anchor
word occurs, instead of one scan of the whole source per fact.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, compress, repeat
from operator import add

from rapidfuzz import fuzz, process

from bot.core.models import Citation, Passage, Source, format_location

_WS = re.compile(r"\s+")
_RUN = re.compile(r"\s{2,}")
_FOLD = re.compile(r"\s{2,}|[^\S ]")  # what folding changes: single spaces stay (far fewer pieces to join)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})
_CHUNK = 1 << 20  # folded characters split into words at a time (bounds the memory of the word pass)


def fold_quote(quote: str) -> str:
    return _WS.sub(" ", quote.translate(_APOSTROPHES)).strip()


class SourceIndex:
    """One source, folded once; finds quotes and the passages they fall in."""

    def __init__(self, source: Source, passages: Sequence[Passage]):
        self.source = source
        text = source.text.translate(_APOSTROPHES)
        self.lead = len(text) - len(text.lstrip())
        body = text[self.lead :]
        self.folded = _FOLD.sub(" ", body)
        # folded offset -> characters removed before it, at each run of 2+ whitespace characters
        self._at = array("q", [0])
        self._removed = array("q", [0])
        removed = 0
        for m in _RUN.finditer(body):
            removed += m.end() - m.start() - 1
            self._at.append(m.end() - removed)
            self._removed.append(removed)
        self.passages = [p for p in passages if p.source_id == source.id]
        self._starts = [p.start for p in self.passages]
        self._ends = [p.end for p in self.passages]

    def original(self, folded_offset: int) -> int:
        k = bisect_right(self._at, folded_offset) - 1
        return folded_offset + self.lead + self._removed[k]

    def find_many(self, quotes: Iterable[str]) -> dict[str, int]:
        """Folded quote -> its first offset in the folded text (absent when not found)."""
        found: dict[str, int] = {}
        long_quotes: list[tuple[str, list[str]]] = []
        for quote in set(quotes):
            words = quote.split(" ")
            if len(words) < 3:  # no whole word to anchor on: a plain search
                at = self.folded.find(quote) if quote else -1
                if at >= 0:
                    found[quote] = at
            else:
                long_quotes.append((quote, words))
        if not long_quotes:
            return found
        # anchor each quote on its rarest inner word (one counting pass over the words)
        counts = self._word_counts({w for _, ws in long_quotes for w in ws[1:-1]})
        anchored: dict[str, list[tuple[str, int]]] = {}  # anchor word -> [(quote, offset of the word in it)]
        for quote, words in long_quotes:
            i = min(range(1, len(words) - 1), key=lambda j: (counts[words[j]], -len(words[j])))
            if counts[words[i]]:  # an inner word missing from the text: the quote is not there
                anchored.setdefault(words[i], []).append((quote, len(" ".join(words[:i])) + 1))
        for word, at in self._word_places(anchored.keys()):
            waiting = anchored[word]
            for k, (quote, offset) in enumerate(waiting):
                if at >= offset and self.folded.startswith(quote, at - offset):
                    found[quote] = at - offset
                    waiting[k] = ("", 1 << 62)  # found: never compared again
        return found

    def _chunks(self) -> Iterator[tuple[int, list[str]]]:
        """The folded text's words, a chunk at a time (bounded memory), with the chunk's offset."""
        text = self.folded
        start = 0
        while start < len(text):
            end = len(text) if start + _CHUNK >= len(text) else text.find(" ", start + _CHUNK)
            if end < 0:
                end = len(text)
            yield start, text[start:end].split(" ")
            start = end + 1

    def _word_counts(self, wanted: set[str]) -> Counter[str]:
        counts: Counter[str] = Counter()
        for _, words in self._chunks():
            counts.update(compress(words, map(wanted.__contains__, words)))
        return counts

    def _word_places(self, wanted: Iterable[str]) -> Iterator[tuple[str, int]]:
        """(word, folded offset) for every place a wanted word stands as a whole word, in text order."""
        wanted = set(wanted)
        for start, words in self._chunks():
            offsets = accumulate(map(add, map(len, words), repeat(1)), initial=start)
            keep = list(map(wanted.__contains__, words))
            yield from zip(compress(words, keep), compress(offsets, keep), strict=False)

    def passages_between(self, start: int, end: int) -> list[Passage]:
        """The passages overlapping original offsets [start, end)."""
        lo = bisect_right(self._ends, start)
        hi = bisect_left(self._starts, end)
        return self.passages[lo:hi]

    def citation(self, folded_quote: str, folded_at: int) -> Citation | None:
        start = self.original(folded_at)
        end = self.original(folded_at + len(folded_quote) - 1) + 1
        hit = self.passages_between(start, end)
        return citation_for(self.source, hit) if hit else None

    def closest_hint(self, quote: str) -> str:
        if not self.passages:
            return "The source has no text."
        candidates = {i: p.text for i, p in enumerate(self.passages)}
        best = process.extractOne(quote, candidates, scorer=fuzz.partial_ratio)
        if not best or best[1] < 40:
            return "Nothing in the source is close: check you quoted the right text."
        passage = self.passages[best[2]]
        return f"Closest passage ({passage.location}): \"{passage.text}\""


def citation_for(source: Source, passages: Sequence[Passage]) -> Citation:
    first, last = passages[0], passages[-1]
    return Citation(
        source_id=source.id, source_title=source.title,
        location=format_location(first.section, first.paragraph, first.line_start, last.line_end),
        quote=" ".join(p.text for p in passages), passage_ids=tuple(p.id for p in passages), url=source.url,
    )


def cite(source: Source, passages: Sequence[Passage], quote: str) -> Citation | None:
    """The citation for one quote: the whole sentence(s) of the source it falls in."""
    index = SourceIndex(source, passages)
    needle = fold_quote(quote)
    at = index.find_many([needle]).get(needle)
    return None if at is None else index.citation(needle, at)
