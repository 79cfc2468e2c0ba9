"""How often everyday English uses a word, from WordNet 3.0: is an unknown word phrasing or a topic?

Source: WordNet 3.0 (Princeton University, https://wordnet.princeton.edu), as installed by the Debian
package ``wordnet-base``; its licence (bot/core/data/WORDNET_LICENSE) allows redistribution with its
notice. ``scripts/build_wordnet_table.py`` reduces its sense-tagged corpus counts (cntlist: the SemCor
corpus, about 230,000 words of ordinary English) to ``data/wordnet_counts.tsv``: matcher term -> how many
times the corpus uses it. Nothing in it was chosen for a course or a test. The file (about 250 KB) is
read on the first look-up only (well under a millisecond) and searched by bisection, unparsed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent / "data" / "wordnet_counts.tsv"


@cache
def _table() -> bytes:
    try:
        return TABLE.read_bytes()
    except OSError:  # a broken install: every word then counts as unknown to everyday English
        return b""


@cache
def corpus_count(term: str) -> int:
    """How many times WordNet's sense-tagged corpus uses the matcher term (a stem); 0 when never."""
    data = _table()
    key = term.encode("utf-8", "ignore")
    lo, hi = 0, len(data)
    while lo < hi:  # bisection on the sorted lines of the file, without splitting it
        mid = (lo + hi) // 2
        start = data.rfind(b"\n", 0, mid) + 1
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        found, _, count = data[start:end].partition(b"\t")
        if found == key:
            return int(count)
        if found < key:
            lo = end + 1
        else:
            hi = start
    return 0
