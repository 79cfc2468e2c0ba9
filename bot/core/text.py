"""Text normalisation shared by the matcher, the validator and trivia answer checking."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")  # accents and other marks
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*", re.UNICODE)

# Function words that carry no topic. Question words are kept apart (QUESTION_WORDS) so the
# matcher can use them as cues about what kind of answer is wanted.
STOP_WORDS = frozenset(
    """
    a about above after again against all am an and any are aren't as at be because been before being
    below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down
    during each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here
    here's hers herself him himself his i i'd i'll i'm i've if in into is isn't it it's its itself let's me
    more most mustn't my myself no nor not of off on once only or other ought our ours ourselves out over
    own same shan't she she'd she'll she's should shouldn't so some such than that that's the their theirs
    them themselves then there there's these they they'd they'll they're they've this those through to too
    under until up very was wasn't we we'd we'll we're we've were weren't what's when's where's which while
    who's whom why's with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves
    also just get got really please tell know explain describe mean means meant anything something thing
    things like one ones us s t d ll re ve m o y dont doesnt didnt isnt wasnt werent arent cant wont
    ever much many yes ok okay well hi hey hello thanks thank u ur r pls plz though although
    """.split()  # noqa: SIM905 (a word list is easier to read and edit as text)
)
QUESTION_WORDS = frozenset({"who", "whom", "whose", "what", "when", "where", "why", "how", "which"})


def fold(text: str) -> str:
    """Lowercase, strip accents, unify apostrophes. Keeps punctuation and spacing."""
    folded = text.translate(_APOSTROPHES).lower()
    if not folded.isascii():
        folded = _COMBINING.sub("", unicodedata.normalize("NFKD", folded))
    return folded


def words(text: str) -> list[str]:
    """Folded words, possessive 's removed ("Kennedy's" -> "kennedy"), other apostrophes dropped."""
    folded = fold(text)
    if "'" not in folded:
        return _WORD.findall(folded)
    out = []
    for w in _WORD.findall(folded):
        if w.endswith("'s"):
            w = w[:-2]
        out.append(w.replace("'", ""))
    return [w for w in out if w]


_stemmer = snowballstemmer.stemmer("english")


# Plurals the stemmer cannot join to their singular.
_IRREGULAR = {
    "leaves": "leaf", "halves": "half", "lives": "life", "knives": "knife", "wives": "wife", "wolves": "wolf",
    "shelves": "shelf", "thieves": "thief", "loaves": "loaf", "calves": "calf", "selves": "self", "men": "man",
    "women": "woman", "children": "child", "feet": "foot", "teeth": "tooth", "mice": "mouse", "geese": "goose",
    "people": "person", "oxen": "ox", "criteria": "criterion", "phenomena": "phenomenon", "data": "datum",
}


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    word = _IRREGULAR.get(word, word)
    if word.isdigit() or len(word) <= 3:
        return word
    stemmed: str = _stemmer.stemWord(word)  # snowballstemmer ships no types
    return stemmed


_TERMS: dict[str, str] = {}


def index_term(word: str) -> str:
    """The index term of a folded word: its stem, or '' for a stop word or question word."""
    found = _TERMS.get(word)
    if found is None:
        found = "" if word in STOP_WORDS or word in QUESTION_WORDS else stem(word)
        if len(_TERMS) < 500_000:
            _TERMS[word] = found
    return found


def slug(text: str) -> str:
    return "-".join(words(text))[:60] or "item"
