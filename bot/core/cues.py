"""Question-type cues: what kind of answer a question asks for ("how many": a number, "how old": an age, "when": a
time, "who": a person, "why": a reason), and how well a text can give it. ``bot.core.matching``
lowers the score of a candidate that cannot hold the kind of answer asked for."""

from __future__ import annotations

import re

from bot.core.text import QUESTION_WORDS, STOP_WORDS, stem, words

_MONTHS = r"january|february|march|april|may|june|july|august|september|october|november|december"
_DATE = re.compile(rf"\b(1[0-9]{{3}}|20[0-9]{{2}}|{_MONTHS}|\d+(st|nd|rd|th)?\s+({_MONTHS})|next day|yesterday|today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|centur(y|ies)|decades?|(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|hundred|a few|several|many)\s+(years?|days?|weeks?|months?|hours?|minutes?|seconds?|decades?|centuries))\b")
_NUMBER = re.compile(r"\b(\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|dozen|dozens|several|few|both|single|half|all|none)\b")
_AGE = re.compile(r"\b(\d+|[a-z]+(-[a-z]+)?)[- ](years?|months?|weeks?|days?)[- ]old\b|\baged? (of )?(about |around )?\d+|\b(teen|teenage|teenager|child|baby|infant|elderly|adult|young|old) (man|woman|boy|girl|age)\b|\bages? of\b|\b\d+(st|nd|rd|th) birthday\b|\bborn\b")
_REASON = re.compile(r"\b(because|so|since|as a result|result|therefore|led|lead|caused?|contributed|reason|in order|so that|due|thus|meant|why|in return)\b")


CUE_WORDS = re.compile(r"\b(?:(?<=what )|(?<=which ))(?:year|date|day|month|time|century|decade|number|amount)\b|\b(?<=how )(?:long|many|much|often)\b", re.IGNORECASE)


COUNT_WINDOW = 6  # "three quarters of the world's active volcanoes": the counted words follow the number closely


def count_focus(text: str) -> str | None:
    """The stems of the words "how many" counts, up to the first function word ("how many active
    volcanoes are there" -> "activ volcano")."""
    ws = words(text)
    for i in range(len(ws) - 2):
        if ws[i] == "how" and ws[i + 1] == "many":
            out = []
            for w in ws[i + 2 : i + 5]:
                if w in STOP_WORDS or w in QUESTION_WORDS:
                    break
                out.append(stem(w))
            return " ".join(out) or None
    return None


def question_cue(text: str) -> str | None:
    t = " ".join(words(text))
    if re.search(r"\b(how old|what age)\b", t):
        return "age"
    if re.search(r"\b(how many|how much(?! time)|what (number|amount))\b", t):
        return "number"
    # "when" asks for a time at the start of a question, not inside a clause ("how did he look when he left")
    if re.search(r"^(when)\b|\bwhen (did|was|were|is|are|does|do|will|would|could|had|has)\b|\b(what (year|date|day|month|time|century|decade)|which (year|date|day|month)|how long|how much time)\b", t):
        return "when"
    if re.search(r"^(who|whom|whose)\b|\bwho (was|were|is|did)\b", t):
        return "who"
    if re.search(r"^why\b|\bwhy (did|was|were|do|does|is)\b|^what (causes|caused|makes|made|leads to|led to) ", t):
        return "why"
    return None


def cue_factor(cue: str | None, text: str, focus: str | None = None) -> float:
    """How well a candidate's text can answer the kind of question asked (1.0 = no doubt)."""
    if cue is None:
        return 1.0
    t = text.lower()
    if cue == "number":
        counts = _DATE.sub(" ", t)  # "28 October" is a date, not a count
        if focus:  # "how many (active) missiles": a number that counts them, within a few words
            ws = words(counts)
            wanted = set(focus.split())
            return 1.0 if any(
                _NUMBER.fullmatch(w) and not wanted.isdisjoint(stem(x) for x in ws[i + 1 : i + 1 + COUNT_WINDOW])
                for i, w in enumerate(ws)
            ) else 0.4
        return 1.0 if _NUMBER.search(counts) else 0.4
    # How far a text that cannot hold the kind of answer asked for is marked down (2142c73): a "how many"
    # answered without a number is almost surely wrong (0.4); a "when" without a date may still say when in
    # words ("after the blockade": 0.65); "who" and "why" are the most often answered without the cue
    # being visible (a pronoun, a reason not introduced by "because": 0.8).
    if cue == "age":  # "how old is herbert": an age ("twenty years old", "aged 12"), not "four in the morning"
        return 1.0 if _AGE.search(t) else 0.4
    if cue == "when":
        return 1.0 if _DATE.search(t) else 0.65
    if cue == "who":
        return 1.0 if re.search(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+", text) or re.search(r"\b(leader|president|ambassador|government|minister|king|queen|general|people|side|allies|brother)\b", t) else 0.8
    if cue == "why":
        return 1.0 if _REASON.search(t) else 0.8
    return 1.0
