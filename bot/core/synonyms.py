"""A course's own synonyms: ``synonyms:`` in course.yaml, checked like every other key.

    synonyms:
      - [cowardly, weak, scared]          # words students use for what the text says
      - [fall from power, ousted, lose power]

Each group lists two or more words or phrases that mean the same *in this course*. Unlike aliases
(names of one thing, matched as the same word), a synonym counts for less than the student's
own word. A word may stand in only one group (two groups would merge unrelated senses), and a
lone function word ("own", "over") cannot be a synonym because the matcher ignores it: write the
phrase it stands in ("its own way").
"""

from __future__ import annotations

from typing import Protocol

from bot.core.text import QUESTION_WORDS, STOP_WORDS, words
from bot.core.yamlfile import LDict, LList, Pos


class ReportsProblems(Protocol):
    """Where a problem of a course file goes (``bot.core.knowledge``'s reader, which imports this module)."""

    def problem(self, file: str, pos: Pos, message: str) -> None: ...


def read_synonyms(reader: ReportsProblems, meta: LDict, file: str) -> tuple[tuple[str, ...], ...]:
    """The synonym groups of ``meta`` (a course.yaml mapping); problems go to ``reader.problem``."""
    raw = meta.get("synonyms")
    if raw is None:
        return ()
    if not isinstance(raw, LList):
        reader.problem(file, meta.value_pos["synonyms"], "'synonyms' should be a list of groups, e.g. - [cowardly, weak, scared]")
        return ()
    groups: list[tuple[str, ...]] = []
    seen: dict[str, tuple[int, int]] = {}
    for group, pos in zip(raw, raw.item_pos, strict=True):
        if not isinstance(group, list) or len(group) < 2 or any(isinstance(g, (dict, list)) or g is None for g in group):
            reader.problem(file, pos, "each synonym group should list two or more words, e.g. [cowardly, weak, scared]")
            continue
        names = []
        for item in group:
            name = " ".join(str(item).split())
            ws = words(name)
            if not ws:
                reader.problem(file, pos, f"'{name}' has no word in it")
                continue
            if len(ws) == 1 and (ws[0] in STOP_WORDS or ws[0] in QUESTION_WORDS):
                reader.problem(file, pos, f"'{name}' is a function word the bot ignores, so it can never match; "
                                          f"write the phrase it stands in instead (e.g. 'its {ws[0]} way')")
                continue
            key = " ".join(ws)
            if key in seen and seen[key] != pos:
                reader.problem(file, pos, f"'{name}' is in two synonym groups (also line {seen[key][0]}); "
                                          "a word can stand in only one group")
                continue
            seen[key] = pos
            names.append(name)
        if len(names) >= 2:
            groups.append(tuple(names))
    return tuple(groups)
