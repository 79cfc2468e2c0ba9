"""General related words of English, from WordNet 3.0: what a student may say for a word of the text.

Source: WordNet 3.0 (Princeton University, https://wordnet.princeton.edu), as installed by the Debian
package ``wordnet-base``; its licence (bot/core/data/WORDNET_LICENSE) allows redistribution with its
notice. ``scripts/build_wordnet_table.py`` reduces it to ``data/wordnet_related.tsv``: for each matcher
term, the terms of its most frequent senses' synonyms and derivationally related forms
(produce ~ production) and, separately, of their direct hypernyms (chop -> cut), and how often
WordNet's sense-tagged corpus (SemCor, its cntlist) uses the word. Nothing in it was
chosen for a course or a test. The file is read on the first look-up only (about 2 MB, a few
milliseconds) and searched by bisection.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent / "data" / "wordnet_related.tsv"
_NONE: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())


@cache
def _table() -> tuple[list[bytes], list[bytes]]:
    try:
        lines = TABLE.read_bytes().split(b"\n")
    except OSError:  # a broken install: the matcher still works with the words as typed
        return [], []
    lines = [line for line in lines if line]
    return [line.split(b"\t", 1)[0] for line in lines], lines


@cache
def _entry(term: str) -> tuple[int, frozenset[str], frozenset[str]]:
    keys, lines = _table()
    key = term.encode("utf-8", "ignore")
    i = bisect_left(keys, key)
    if i == len(keys) or keys[i] != key:
        return 0, *_NONE
    _, count, same, broad = lines[i].decode("utf-8").split("\t")
    return int(count), frozenset(same.split()), frozenset(broad.split())


def related(term: str) -> tuple[frozenset[str], frozenset[str]]:
    """(synonym terms, broader terms) of a matcher term (a stem), both empty when WordNet has none."""
    _, same, broad = _entry(term)
    return same, broad


def corpus_count(term: str) -> int:
    """How many times WordNet's sense-tagged corpus (SemCor, about 230,000 words) uses the term."""
    return _entry(term)[0]
