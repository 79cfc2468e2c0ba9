#!/usr/bin/env python3
"""Generate bot/core/data/wordnet_counts.tsv: how often everyday English uses each word, for the matcher.

    python scripts/build_wordnet_table.py [WORDNET_DIR]     # default /usr/share/wordnet

Source: WordNet 3.0 (Princeton University; the Debian package `wordnet-base` installs its data in
/usr/share/wordnet). WordNet's licence allows copying and redistribution with its notice: the notice is
bot/core/data/WORDNET_LICENSE. The bot never reads WordNet itself, only the generated table.

For every word of WordNet's sense-tagged corpus counts (cntlist.rev: how many times the SemCor corpus,
about 230,000 words of ordinary American English, uses each sense), the counts of all its senses are
summed and kept under the matcher's term for the word (bot.core.text.stem; function words left out).
Everyday English is in the tens and hundreds ("destroy" 72, "usually" 96), a subject's own words at or
near nought ("magma", "chlorophyll" 0). A word counts in the forms the corpus lemmatised it to: an irregular
form ("chose") has its own count only when WordNet lists it as a word itself.

Each line is: term TAB count; lines are sorted by term so the bot can binary-search the file.

(Measured and left out, bench/tuning and eval/: synset-mates, derivationally related forms and direct
hypernyms of the most frequent senses as discounted alternatives of a word the course lacks. At factors
0.4-0.5 they answered as many held-out questions more as they lost out-of-scope declines.)
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.core.text import QUESTION_WORDS, STOP_WORDS, stem  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "bot" / "core" / "data" / "wordnet_counts.tsv"
_WORD = re.compile(r"^[a-z]+$")


def clean(word: str) -> str | None:
    if not _WORD.match(word) or word in STOP_WORDS or word in QUESTION_WORDS or len(word) < 3:
        return None
    return stem(word)


def counts(folder: Path) -> dict[str, int]:
    by_lemma: dict[str, int] = defaultdict(int)
    for line in (folder / "cntlist.rev").read_text(errors="replace").splitlines():
        key, _, count = line.split()
        by_lemma[key.split("%")[0]] += int(count)
    out: dict[str, int] = defaultdict(int)
    for lemma, n in by_lemma.items():
        term = clean(lemma)
        if term:
            out[term] += n
    return out


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/usr/share/wordnet")
    table = counts(folder)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("".join(f"{t}\t{n}\n" for t, n in sorted(table.items()) if n), encoding="utf-8")
    print(f"{OUT}: {len(table)} terms, {OUT.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
