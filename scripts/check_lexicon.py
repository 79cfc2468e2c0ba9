#!/usr/bin/env python3
"""Check the core's general synonym groups against WordNet 3.0 (Princeton; the `wordnet-base`
Debian package installs its data in /usr/share/wordnet). Development tool only: the bot never
reads WordNet at run time.

    python scripts/check_lexicon.py [WORDNET_DIR]

A group passes when every word in it shares a WordNet synset (same part of speech) with at
least one other word of the group, after reducing inflected forms to their lemma with WordNet's
own exception lists (won -> win, fought -> fight) and its detachment rules. Prints each word that
does not, any word in two groups or that is a function word, and exits 1 if any.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

POS = ("noun", "verb", "adj", "adv")
RULES = {  # WordNet's morphy detachment rules
    "noun": [("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"), ("ies", "y")],
    "verb": [("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", "")],
    "adj": [("er", ""), ("est", ""), ("er", "e"), ("est", "e")],
    "adv": [],
}


def load(folder: Path):
    synsets: dict[tuple[str, str], set[str]] = {}
    exceptions: dict[tuple[str, str], set[str]] = defaultdict(set)
    for pos in POS:
        for line in (folder / f"index.{pos}").read_text(errors="replace").splitlines():
            if line.startswith(" "):
                continue
            parts = line.split()
            n_ptr = int(parts[3])
            n_senses = int(parts[4 + n_ptr])
            synsets[(parts[0], pos)] = set(parts[-n_senses:])
        exc = folder / f"{pos}.exc"
        for line in exc.read_text(errors="replace").splitlines():
            form, *bases = line.split()
            exceptions[(form, pos)].update(bases)
    return synsets, exceptions


def lemmas(word: str, pos: str, synsets, exceptions) -> set[str]:
    out = {b for b in exceptions.get((word, pos), ()) if (b, pos) in synsets}
    if (word, pos) in synsets:
        out.add(word)
    for suffix, ending in RULES[pos]:
        if word.endswith(suffix):
            base = word[: len(word) - len(suffix)] + ending
            if (base, pos) in synsets:
                out.add(base)
    return out


def senses(word: str, synsets, exceptions) -> set[tuple[str, str]]:
    out = {(pos, s) for pos in POS for lemma in lemmas(word.replace(" ", "_"), pos, synsets, exceptions)
           for s in synsets[(lemma, pos)]}
    head, _, rest = word.partition(" ")
    if rest:  # a phrasal verb: inflect its verb ("took place" -> "take_place")
        for base in lemmas(head, "verb", synsets, exceptions) | {head}:
            key = f"{base}_{rest.replace(' ', '_')}"
            out |= {("verb", s) for s in synsets.get((key, "verb"), ())}
    return out


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/wordnet")
    from bot.core.lexicon import PHRASES, SYNONYM_GROUPS

    synsets, exceptions = load(folder)
    bad = 0
    groups = [*SYNONYM_GROUPS, *([p, w] for p, w in PHRASES.items())]
    for group in groups:
        own = {w: senses(w, synsets, exceptions) for w in group}
        for w in group:
            if not any(own[w] & own[o] for o in group if o != w):
                print(f"not a WordNet synonym of the rest of its group: {w!r} in {list(group)}")
                bad += 1
    from bot.core.text import QUESTION_WORDS, STOP_WORDS

    where: dict[str, int] = {}
    for n, group in enumerate(SYNONYM_GROUPS):
        for w in group:
            if w in STOP_WORDS or w in QUESTION_WORDS:
                print(f"a function word the matcher ignores (it can never fire): {w!r} in {list(group)}")
                bad += 1
            if where.setdefault(w, n) != n:
                print(f"in two groups (merges two senses): {w!r} in {list(group)} and {list(SYNONYM_GROUPS[where[w]])}")
                bad += 1
    print(f"{len(groups)} groups checked, {bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
