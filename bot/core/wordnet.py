"""Two tables drawn from WordNet 3.0: how often everyday English uses a word, and the other words for
a word's most frequent sense.

Source: WordNet 3.0 (Princeton University, https://wordnet.princeton.edu), as installed by the Debian
package ``wordnet-base``; its licence (bot/core/data/WORDNET_LICENSE) allows redistribution with its
notice. Nothing in either table was chosen for a course or a test; both are read on the first look-up
only (well under a millisecond) and searched by bisection, unparsed.

- ``data/wordnet_counts.tsv`` (``scripts/build_wordnet_table.py``, about 250 KB): matcher term -> how many
  times WordNet's sense-tagged corpus (cntlist: SemCor, about 230,000 words of ordinary English) uses it.
  Is a word the course lacks phrasing or a topic?
- ``data/wordnet_senses.tsv`` (``scripts/build_wordnet_senses.py``, about 300 KB): matcher term -> the other
  lemmas of the FIRST (most frequent) sense of each of its parts of speech and the forms WordNet derives
  from it in that sense ("rise" -> "arise go_up lift move_up ..."). Only words whose senses SemCor ranks
  are listed. The matcher expands the course's words with it, never the question's.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent / "data" / "wordnet_counts.tsv"
SENSES = Path(__file__).resolve().parent / "data" / "wordnet_senses.tsv"


@cache
def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:  # a broken install: every word is then unknown to WordNet
        return b""


def _lookup(data: bytes, term: str) -> bytes | None:
    """The value of ``term`` in a file of sorted ``key TAB value`` lines, by bisection."""
    key = term.encode("utf-8", "ignore")
    lo, hi = 0, len(data)
    while lo < hi:  # bisection on the sorted lines of the file, without splitting it
        mid = (lo + hi) // 2
        start = data.rfind(b"\n", 0, mid) + 1
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        found, _, value = data[start:end].partition(b"\t")
        if found == key:
            return value
        if found < key:
            lo = end + 1
        else:
            hi = start
    return None


@cache
def corpus_count(term: str) -> int:
    """How many times WordNet's sense-tagged corpus uses the matcher term (a stem); 0 when never."""
    value = _lookup(_read(TABLE), term)
    return int(value) if value else 0


def sense_alternatives(term: str) -> list[str]:
    """Other words for the most frequent senses of the matcher term: matcher terms, or folded multi-word
    lemmas joined by '_' ("go_up"), first word in its base form."""
    value = _lookup(_read(SENSES), term)
    return value.decode("utf-8").split() if value else []


def verb_forms(base: str) -> set[str]:
    """The forms of a verb: irregular ones from WordNet's verb.exc (for the first words of the
    multi-word lemmas in the table), regular ones by rule (-s, -es, -ed, -d, -ing, -ies, -ied)."""
    forms = {base, base + "s", base + "es", base + "ed", base + "d", base + "ing"}
    if base.endswith("e"):
        forms.add(base[:-1] + "ing")
    if base.endswith("y"):
        forms |= {base[:-1] + "ies", base[:-1] + "ied"}
    value = _lookup(_read(SENSES), "!" + base)
    if value:
        forms.update(value.decode("utf-8").split())
    return forms
