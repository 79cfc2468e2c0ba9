"""Negation and relation words as matching features.

Function words such as "not", "before" or "first" are dropped from the bag of terms (they are in
almost every sentence), but they decide what a sentence says: "Red blood cells do not have a
nucleus" does not answer "which blood cells have a nucleus", and "Armstrong was the first" does
not answer "who walked on the moon last". Nor does "Romulus, who killed his brother" answer "who
killed Romulus": the question's object is the one doing it there. This module reads them from the
question and from a candidate's text and says how much the candidate should be marked down.

The word lists are English grammar (negators; pairs of opposite comparatives, superlatives and
prepositions of time and place), the same for every subject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.text import QUESTION_WORDS, STOP_WORDS, words

NEGATORS = frozenset({
    "not", "no", "never", "nor", "neither", "none", "nobody", "nothing", "nowhere", "without", "cannot",
    "dont", "doesnt", "didnt", "isnt", "wasnt", "werent", "arent", "cant", "couldnt", "wouldnt", "shouldnt",
    "wont", "hasnt", "havent", "hadnt", "aint", "mustnt", "neednt", "lack", "lacks", "lacking",
})

OPPOSITES: dict[str, str] = {}
for _a, _b in (("before", "after"), ("more", "less"), ("most", "least"), ("first", "last"), ("above", "below"),
               ("over", "under"), ("earlier", "later"), ("higher", "lower"), ("bigger", "smaller"),
               ("larger", "smaller"), ("inside", "outside"), ("fewer", "more"), ("east", "west"),
               ("north", "south"), ("eastern", "western"), ("northern", "southern"), ("eastward", "westward"),
               ("northward", "southward"), ("upstream", "downstream"), ("lighter", "darker"),
               ("warmer", "colder"), ("older", "younger"), ("longer", "shorter"), ("wider", "narrower"),
               ("faster", "slower"), ("maximum", "minimum"), ("largest", "smallest"), ("highest", "lowest"),
               ("biggest", "smallest"), ("longest", "shortest"), ("oldest", "youngest"), ("earliest", "latest"),
               ("upper", "lower"), ("inner", "outer")):
    OPPOSITES.setdefault(_a, _b)
    OPPOSITES.setdefault(_b, _a)
RELATIONS = frozenset(OPPOSITES) | {"between", "during", "until", "since"}

NEGATION_FACTOR = 0.8  # a wh-question answered by a sentence of the other polarity
OPPOSITE_FACTOR = 0.8  # the question asks "after", the candidate says only "before"
MISSING_FACTOR = 0.97  # the question's relation word is not in the candidate: a tie-breaker
MATCH_FACTOR = 1.05  # the candidate says the same relation: evidence the bag of terms leaves out
ROLE_FACTOR = 0.5  # "who killed Romulus" answered by "Romulus, who killed his brother": the other side of the verb

# Questions that select members of a class ("which cells have ...", "who was first ..."), as opposed
# to yes/no or open questions ("did China think ...?", "how did China feel?"), which a negative
# sentence answers perfectly well.
_WH_START = re.compile(r"^(?:which|who|whom|whose|name|list)\b")
_DEFINE = re.compile(r"^(?:what|who)\s+(?:is|are|was|were)\s+(?:an?\s+|the\s+)?(\w+(?:\s+\w+)?)\s*\??\s*$")
# "what is her husband like", "what was hyde like", "describe the narrator": asks what someone or something is
_LIKE = re.compile(r"^(?:what|how)\s+(?:is|are|was|were)\s+(?:an?\s+|the\s+|his\s+|her\s+|their\s+|its\s+)?(\w+(?:\s+\w+)?)\s+like$"
                   r"|^describe\s+(?:an?\s+|the\s+|his\s+|her\s+|their\s+|its\s+)?(\w+(?:\s+\w+)?)$")
_MEANS = re.compile(r"^what\s+(?:does|did|do)\s+(?:the\s+(?:name|word|term)\s+)?(?:an?\s+|the\s+)?(\w+(?:\s+\w+)?)\s+"
                    r"(?:mean|stand for|represent|symbolise|symbolize)$|^what is the meaning of (?:the\s+)?(\w+(?:\s+\w+)?)$")


# "who killed romulus", "what destroyed carthage": a question asking who or what did something to someone
_AGENT = re.compile(r"^(?:who|what) (?!(?:is|are|was|were|be|been|did|does|do|has|have|had|can|could|will|would|should|"
                    r"may|might|must|shall)\b)(\w+) (?:the |a |an )?(\w+)$")


# Prefixes that make a word its opposite ("insignificant", "unimportant", "non-violent", "dislike").
_NEGATIVE_PREFIXES = ("un", "in", "im", "il", "ir", "non", "dis")


@dataclass(frozen=True, slots=True)
class Marks:
    """The negation and relation words of a text, and its words with a negative prefix."""

    negated: bool
    relations: frozenset[str]
    prefixed: frozenset[str] = frozenset()  # "insignificant" -> "significant" (the word it negates)
    words: frozenset[str] = frozenset()


def marks_of(text: str, keep_words: bool = False) -> Marks:
    ws = words(text)
    prefixed = frozenset(w[len(p):] for w in ws for p in _NEGATIVE_PREFIXES if w.startswith(p) and len(w) - len(p) >= 5)
    return Marks(any(w in NEGATORS for w in ws), frozenset(w for w in ws if w in RELATIONS), prefixed,
                 frozenset(ws) if keep_words else frozenset())


def selects(question: str) -> bool:
    """Whether a question picks something out (wh-question) rather than asking yes or no."""
    return bool(_WH_START.match(" ".join(words(question))))


def defined_term(question: str) -> str | None:
    """"what is nato" -> "nato", "what does the name hyde mean" -> "hyde": a question asking what
    something is or means, and nothing more."""
    t = " ".join(words(question))
    m = _LIKE.match(t) or _DEFINE.match(t) or _MEANS.match(t)
    term = m and (m.group(1) or m.group(m.lastindex or 1))
    if not term or any(w in STOP_WORDS or w in QUESTION_WORDS for w in term.split()):
        return None  # "what was the ultimatum about" asks more than what it is
    return term


def agent_question(question: str) -> tuple[str, str] | None:
    """(verb, object) of a question asking who or what did something to someone ("who killed romulus" ->
    ("killed", "romulus")), when it asks only that."""
    m = _AGENT.match(" ".join(words(question)))
    if m is None or m.group(2) in STOP_WORDS or m.group(1) in STOP_WORDS or m.group(1) in QUESTION_WORDS:
        return None
    return m.group(1), m.group(2)


def other_way_round(text: str, verb: str, obj: str) -> bool:
    """Whether a text has the question's object doing the verb itself ("Romulus, who killed his brother"),
    not having it done to it ("Romulus was killed by ...")."""
    t = " ".join(words(text))
    return re.search(rf"\b{re.escape(obj)} (?:who |which |that )?{re.escape(verb)}\b", t) is not None


def defines(text: str, term: str) -> bool:
    """Whether a text says what ``term`` is ("NATO is an alliance ...", "the hotline, a direct line",
    "a telephone line called the hotline"), not only mentions it."""
    t = " ".join(words(text))
    name = re.escape(term)
    return bool(
        re.search(rf"\b{name}\b(?:\s+\w+){{0,3}}\s+(?:is|are|was|were|means|meant|refers|stands|represents|symbolises|"
                  rf"symbolizes|symbolised|symbolized|suggests)\b", t)
        or re.search(rf"\b(?:called|named|known as|is|was)\s+(?:an?\s+|the\s+)?(?:\w+\s+){{0,2}}{name}\b", t)
        or re.search(rf"\b{name}\s+(?:an?|the)\s+\w+", t)
    )


def factor(question: Marks, selecting: bool, candidate: Marks) -> float:
    """How far a candidate is marked down for saying the opposite of what the question asks."""
    f = 1.0
    if selecting and question.negated != candidate.negated:
        f *= NEGATION_FACTOR
    for r in question.relations:
        if r in candidate.relations:
            f *= MATCH_FACTOR
            continue
        opposite = OPPOSITES.get(r)
        f *= OPPOSITE_FACTOR if opposite and opposite in candidate.relations else MISSING_FACTOR
    # "what were the insignificant flows" against a text about "significant flows"
    if question.prefixed and candidate.words and any(base in candidate.words for base in question.prefixed) \
            and not any(p + base in candidate.words for base in question.prefixed for p in _NEGATIVE_PREFIXES):
        f *= OPPOSITE_FACTOR
    return f
