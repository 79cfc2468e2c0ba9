#!/usr/bin/env python3
"""Generate bot/core/data/wordnet_related.tsv, the general related-word table the matcher reads.

    python scripts/build_wordnet_table.py [WORDNET_DIR]     # default /usr/share/wordnet

Source: WordNet 3.0 (Princeton University; the Debian package `wordnet-base` installs its data in
/usr/share/wordnet). WordNet's licence allows copying and redistribution with its notice: the notice is
bot/core/data/WORDNET_LICENSE. The bot never reads WordNet itself, only the generated table.

For every single-word lemma of WordNet, its most frequent senses are taken (the first sense, plus the
other senses among the first three that the WordNet team found tagged in their corpus, `tagsense_cnt`
of the index files), and from each:
  * synonyms: the other words of the synset, and the words derivationally related to this very lemma
    (WordNet's "+" pointers: produce ~ production, photosynthesis ~ photosynthesize);
  * broader: the words of the synset's direct hypernyms (one level: chop -> cut, oak -> tree).
Adjective satellites also give the words of their head synset ("similar to", "&").
Every word is reduced to the matcher's term (bot.core.text.stem), function words are left out, and
irregular forms of WordNet's exception lists (verb.exc, noun.exc, adj.exc) get their lemma's entry.

Each term also gets how often WordNet's sense-tagged corpus uses it (cntlist.rev, summed over the senses
of every lemma with that term): everyday English is in the tens and hundreds, a subject's own words
(magma, chlorophyll) at or near nought.

Each line of the table is: term TAB count TAB synonym terms (space-separated) TAB broader terms; lines are
sorted by term so the matcher can binary-search the file without parsing all of it.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.core.text import QUESTION_WORDS, STOP_WORDS, stem  # noqa: E402

POS = ("noun", "verb", "adj", "adv")
SENSES = 3  # senses looked at per lemma and part of speech (the first always, others only when tagged)
OUT = Path(__file__).resolve().parent.parent / "bot" / "core" / "data" / "wordnet_related.tsv"
_WORD = re.compile(r"^[a-z]+$")


def read_synsets(folder: Path, pos: str) -> dict[str, tuple[list[str], list[tuple[str, str, str, str]]]]:
    out = {}
    for line in (folder / f"data.{pos}").read_text(errors="replace").splitlines():
        if line.startswith(" "):
            continue
        parts = line.split(" | ")[0].split()
        offset, n_words = parts[0], int(parts[3], 16)
        ws = [parts[4 + 2 * i].lower() for i in range(n_words)]
        k = 4 + 2 * n_words
        n_ptr = int(parts[k])
        ptrs = [tuple(parts[k + 1 + 4 * i : k + 5 + 4 * i]) for i in range(n_ptr)]
        out[offset] = (ws, ptrs)
    return out


def clean(word: str) -> str | None:
    word = re.sub(r"\(.*\)$", "", word)  # adjective markers: "big(a)"
    if not _WORD.match(word) or word in STOP_WORDS or word in QUESTION_WORDS or len(word) < 3:
        return None
    return stem(word)


def build(folder: Path) -> dict[str, tuple[set[str], set[str]]]:
    letter = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
    synsets = {letter[p]: read_synsets(folder, p) for p in POS}
    synsets["s"] = synsets["a"]
    table: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for pos in POS:
        p = letter[pos]
        for line in (folder / f"index.{pos}").read_text(errors="replace").splitlines():
            if line.startswith(" "):
                continue
            parts = line.split()
            lemma = parts[0]
            key = clean(lemma)
            if key is None:
                continue
            n_ptr = int(parts[3])
            tagged = int(parts[5 + n_ptr])
            offsets = parts[6 + n_ptr :]
            same, broad = table[key]
            for n, off in enumerate(offsets[:SENSES]):
                if n > 0 and n >= tagged:
                    break
                ws, ptrs = synsets[p][off]
                same.update(t for w in ws if (t := clean(w)))
                here = [i + 1 for i, w in enumerate(ws) if re.sub(r"\(.*\)$", "", w) == lemma]
                for sym, toff, tpos, st in ptrs:
                    target_ws = synsets[tpos][toff][0]
                    if sym == "+" and int(st[:2], 16) in here:
                        t = clean(target_ws[int(st[2:], 16) - 1])
                        if t:
                            same.add(t)
                    elif sym in ("@", "@i") and st == "0000":
                        broad.update(t for w in target_ws if (t := clean(w)))
                    elif sym == "&" and p == "a":
                        same.update(t for w in target_ws if (t := clean(w)))
    for pos in POS:  # irregular forms: "chose" has the entry of "choose"
        for line in (folder / f"{'adj' if pos == 'adj' else pos}.exc").read_text(errors="replace").splitlines():
            form, *lemmas = line.split()
            fkey = clean(form)
            if fkey is None:
                continue
            for lemma in lemmas:
                lkey = clean(lemma)
                if lkey and lkey in table and lkey != fkey:
                    table[fkey][0].update(table[lkey][0] | {lkey})
                    table[fkey][1].update(table[lkey][1])
    return table


def counts(folder: Path) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for line in (folder / "cntlist.rev").read_text(errors="replace").splitlines():
        key, _, count = line.split()
        term = clean(key.split("%")[0])
        if term:
            out[term] += int(count)
    return out


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/usr/share/wordnet")
    table = build(folder)
    freq = counts(folder)
    lines = []
    for key in sorted(set(table) | set(freq)):
        same, broad = table[key] if key in table else (set(), set())
        same.discard(key)
        broad -= same | {key}
        if same or broad or freq.get(key):
            lines.append(f"{key}\t{freq.get(key, 0)}\t{' '.join(sorted(same))}\t{' '.join(sorted(broad))}\n")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("".join(lines), encoding="utf-8")
    print(f"{OUT}: {len(lines)} terms, {OUT.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
