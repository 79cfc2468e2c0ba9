#!/usr/bin/env python3
"""Generate bot/core/data/wordnet_senses.tsv: the other words for each word's most frequent sense, for the matcher.

    python scripts/build_wordnet_senses.py [WORDNET_DIR]     # default /usr/share/wordnet

Source: WordNet 3.0 (Princeton University; the Debian package `wordnet-base` installs its data in
/usr/share/wordnet). WordNet's licence allows copying and redistribution with its notice: the notice is
bot/core/data/WORDNET_LICENSE. The bot never reads WordNet itself, only the generated table.

For every one-word lemma of WordNet, and for each part of speech it has, only its FIRST sense is taken
(index.<pos> lists a lemma's senses most frequent first, by the SemCor counts): the other lemmas of that
synset, and the lemmas WordNet links to this lemma in that sense as derivationally related forms
("evaporate" ~ "evaporation", "die" ~ "death"). Rarer senses are left out on purpose: "air" has nine noun
senses and only the first is the gas; expanding every sense made as many false friends as it found
paraphrases (measured, bench/tuning and eval/).

The course side is expanded, not the question: the matcher looks up each word the course uses and lets a
question word that is one of its alternatives stand for it (at a discount), see bot.core.matching.

Lines (sorted by key, so the bot can binary-search the file without parsing it):
    term TAB alternative alternative ...
term and one-word alternatives are matcher terms (bot.core.text.stem); a multi-word alternative is written
with underscores between its folded words ("go_up"), its first word in the base form. A second kind of
line, key "!" + the first word of multi-word alternatives ("!go"), lists its irregular forms ("gone went"),
from WordNet's verb.exc, so "went up" is read as "go up" (regular forms are made by rule).
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.core.text import QUESTION_WORDS, STOP_WORDS, stem  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "bot" / "core" / "data" / "wordnet_senses.tsv"
POS = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
_LEMMA = re.compile(r"^[a-z]+(?:_[a-z]+)*$")
MAX_PHRASE_WORDS = 3


def content(word: str) -> bool:
    return len(word) >= 3 and word not in STOP_WORDS and word not in QUESTION_WORDS


def read_synsets(folder: Path) -> dict[tuple[str, int], tuple[list[str], list[tuple[int, str, int, int]]]]:
    """(pos, offset) -> (lemmas as written, derivation pointers (source word no., target pos, target offset, target word no.))."""
    out = {}
    for name, p in POS.items():
        for line in (folder / f"data.{name}").read_text(errors="replace").splitlines():
            if line.startswith(" "):
                continue
            fields = line.split(" | ")[0].split()
            offset = int(fields[0])
            n = int(fields[3], 16)
            # a lemma written with a capital is a name ("Aire", "Cecil Scott Forester"): never an alternative
            lemmas = [re.sub(r"\(.*\)$", "", fields[4 + 2 * i]) for i in range(n)]
            k = 4 + 2 * n
            ptr_count = int(fields[k])
            pointers = []
            for j in range(ptr_count):
                sym, target, tpos, st = fields[k + 1 + 4 * j : k + 5 + 4 * j]
                if sym == "+":  # derivationally related form (lemma to lemma)
                    tpos = "a" if tpos == "s" else tpos
                    pointers.append((int(st[:2], 16), tpos, int(target), int(st[2:], 16)))
            out[(p, offset)] = (lemmas, pointers)
    return out


def first_senses(folder: Path) -> dict[str, list[tuple[str, int]]]:
    """lemma -> [(pos, offset of its most frequent synset)] for each part of speech it has."""
    out: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for name, p in POS.items():
        for line in (folder / f"index.{name}").read_text(errors="replace").splitlines():
            if line.startswith(" "):
                continue
            fields = line.split()
            lemma, synset_cnt = fields[0], int(fields[2])
            tagged = int(fields[-synset_cnt - 1])
            if tagged:  # senses never seen in the tagged corpus are in no meaningful order: no first sense
                out[lemma].append((p, int(fields[-synset_cnt])))
    return out


def alternative(lemma: str) -> str | None:
    """A synset-mate as the table writes it: a matcher term, or folded words joined by '_'."""
    if not _LEMMA.match(lemma):  # also a name, written with a capital
        return None
    parts = lemma.split("_")
    if len(parts) == 1:
        return stem(lemma) if content(lemma) else None
    if len(parts) > MAX_PHRASE_WORDS or not any(len(w) >= 2 and w not in STOP_WORDS for w in parts):
        return None
    return lemma


def table(folder: Path) -> dict[str, set[str]]:
    synsets = read_synsets(folder)
    out: dict[str, set[str]] = defaultdict(set)
    for lemma, senses in first_senses(folder).items():
        if "_" in lemma or not _LEMMA.match(lemma) or not content(lemma):
            continue
        term = stem(lemma)
        for p, offset in senses:
            lemmas, pointers = synsets[(p, offset)]
            for other in lemmas:
                alt = alternative(other)
                if alt and alt != term:
                    out[term].add(alt)
            number = next((i + 1 for i, other in enumerate(lemmas) if other.lower() == lemma), 0)
            for source, tpos, target, tword in pointers:
                if source == number and (tpos, target) in synsets:
                    related = synsets[(tpos, target)][0][tword - 1]
                    alt = alternative(related)
                    if alt and alt != term and "_" not in alt:
                        out[term].add(alt)
    return out


def irregular_heads(folder: Path, phrases: set[str]) -> dict[str, set[str]]:
    """Irregular forms (verb.exc) of the first words of the multi-word alternatives: base -> forms."""
    heads = {p.split("_")[0] for p in phrases}
    out: dict[str, set[str]] = defaultdict(set)
    for line in (folder / "verb.exc").read_text(errors="replace").splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1] in heads and _LEMMA.match(parts[0]) and "_" not in parts[0]:
            out[parts[1]].add(parts[0])
    return out


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/usr/share/wordnet")
    alts = table(folder)
    phrases = {a for v in alts.values() for a in v if "_" in a}
    lines = {t: " ".join(sorted(v)) for t, v in alts.items() if v}
    for base, forms in irregular_heads(folder, phrases).items():
        lines["!" + base] = " ".join(sorted(forms))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("".join(f"{k}\t{v}\n" for k, v in sorted(lines.items())), encoding="utf-8")
    print(f"{OUT}: {len(lines)} lines, {len(phrases)} phrases, {OUT.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
