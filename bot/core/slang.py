"""Students' texting shorthand turned back into plain English before a question is matched.

Where the list comes from: general English texting and chat abbreviations, the kind listed in
Wiktionary's "Appendix:English internet slang" and "Category:English internet slang" and in
dictionaries of SMS language (wat, wut, wen, y, u, ur, r, ppl, abt, pls, bc, tho, idk, ...).
Nothing here is taken from a course: a word stands here because teenagers type it in any subject.
Three kinds of entry:

- ``SHORTHAND``: an abbreviation and the words it stands for ("ppl" -> "people", "whos" -> "who is").
- ``FILLER``: interjections and hedges that carry no question ("omg", "lol", "bruh", "tbh", "um").
- ``VOCATIVE``: words that are filler when they address someone at the start or end of a message
  ("bro what is ...", "... thanks dude") and keep their meaning inside it ("jfks bro" = brother).

Also: letters repeated for emphasis are folded ("sooo" -> "so", "whyyy" -> "why", "pleeease"), and
emoji or emoticons never reach the matcher (they are not words).

A word the course itself uses is never rewritten (``keep``): a maths course's "y" stays "y", a
course about Thai temples keeps "wat", and an acronym written in capitals ("UR", "OMG") that the
course writes in capitals stays an acronym.
"""

from __future__ import annotations

import re
from collections.abc import Collection

SHORTHAND: dict[str, str] = {
    # question words
    "wat": "what", "wut": "what", "wot": "what", "wht": "what", "wa": "what", "whut": "what", "wath": "what",
    "wen": "when", "whn": "when", "wer": "where", "wher": "where", "hw": "how", "hou": "how",
    "whos": "who is", "wats": "what is", "whats": "what is", "wuts": "what is", "hows": "how is",
    "wheres": "where is", "whens": "when is", "whys": "why is", "whatre": "what are",
    # pronouns and verbs
    "u": "you", "ya": "you", "yu": "you", "ur": "your", "urs": "yours", "r": "are", "im": "i am", "ive": "i have",
    "c": "see", "cud": "could", "shud": "should", "wud": "would", "wanna": "want to", "gonna": "going to",
    "gotta": "got to", "gimme": "give me", "lemme": "let me", "dunno": "do not know", "kno": "know", "knw": "know",
    "cant": "cannot", "dont": "do not", "didnt": "did not", "doesnt": "does not", "isnt": "is not",
    "wasnt": "was not", "werent": "were not", "arent": "are not", "wont": "will not", "wouldnt": "would not",
    "couldnt": "could not", "shouldnt": "should not", "havent": "have not", "hasnt": "has not", "hadnt": "had not",
    # everyday words
    "ppl": "people", "peeps": "people", "abt": "about", "bout": "about", "abut": "about", "pls": "please",
    "plz": "please", "plox": "please", "bc": "because", "bcs": "because", "bcuz": "because", "cuz": "because",
    "coz": "because", "cos": "because", "tho": "though", "thru": "through", "b4": "before", "bf4": "before",
    "2day": "today", "2moro": "tomorrow", "2nite": "tonight", "tmrw": "tomorrow", "gr8": "great", "l8r": "later",
    "w": "with", "wif": "with", "wiv": "with", "wo": "without", "n": "and", "nd": "and",
    "rly": "really", "rlly": "really", "srsly": "seriously", "prolly": "probably", "prob": "probably",
    "thx": "thanks", "thnx": "thanks", "tnx": "thanks", "ty": "thank you", "tysm": "thank you so much",
    "msg": "message", "govt": "government", "gov": "government", "info": "information", "diff": "difference",
    "bday": "birthday", "yr": "year", "yrs": "years", "hr": "hour", "hrs": "hours", "min": "minute",
    "mins": "minutes", "sec": "second", "secs": "seconds", "wk": "week", "wks": "weeks", "ppls": "people",
    "sth": "something", "smth": "something", "sumthin": "something", "nthng": "nothing", "nvm": "never mind",
    "idk": "i do not know", "idc": "i do not care", "ik": "i know", "iirc": "if i remember correctly",
    "rn": "right now", "atm": "at the moment", "bro": "brother", "sis": "sister", "teh": "the", "da": "the",
    "dat": "that", "dis": "this", "tht": "that", "thn": "then", "wen's": "when is", "y": "why",
    "ok": "ok", "k": "ok", "kk": "ok", "okk": "ok", "theres": "there is", "thats": "that is", "heres": "here is",
    "in2": "into", "on2": "onto", "2": "to", "4": "for", "m8": "mate", "gr8t": "great", "w8": "wait",
    "1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth",
}

FILLER = frozenset(
    """
    omg omfg lol lolz lool lmao lmfao rofl roflmao xd haha hahaha hehe heh bruh bruv tbh tbf ngl imo imho fr
    frfr btw smh fyi um umm ummm uh uhh uhm er erm hmm hmmm mmm ah ahh oh ooh welp yikes oof ugh meh jk ikr
    ong deadass lowkey highkey literally basically even actually
    """.split()  # noqa: SIM905 (a word list is easier to read and edit as text)
)

# Forms of address: filler at the edges of a message, meaningful inside it ("jfks bro").
VOCATIVE = frozenset({"bro", "bruv", "dude", "fam", "yo", "bot"})

# "y" alone means "why" only where a question word stands: first in the message.
_ONLY_FIRST = frozenset({"y", "c", "n", "w"})
# "2" and "4" are "to" and "for" only where a number cannot stand: before a word such as "the"
# ("what happens 2 the enzymes"), never before a noun ("2 days").
_NUMERAL_WORDS = frozenset({"2", "4"})
_BEFORE_FUNCTION = frozenset(
    ["the", "a", "an", "my", "your", "his", "her", "its", "our", "their", "this", "that", "these", "those", "me", "you", "him", "them", "us", "it", "be", "do", "go", "get", "make", "see", "find", "work", "out", "say", "stand"]
)

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_REPEAT3 = re.compile(r"([^\W\d_])\1{2,}")
_REPEAT2 = re.compile(r"([^\W\d_])\1+")


def _unrepeat(word: str, known: Collection[str]) -> str:
    """"sooo" -> "so", "whyyy" -> "why", "cooool" -> "cool": letters typed three or more times in a row
    are folded to two, or to one when that makes a word we know (and two does not)."""
    if not _REPEAT3.search(word):
        return word
    two = _REPEAT3.sub(r"\1\1", word)
    one = _REPEAT3.sub(r"\1", word)
    if one in known and two not in known:
        return one
    return two


def normalise(text: str, keep: Collection[str] = frozenset(), known: Collection[str] = frozenset()) -> str:
    """``text`` with texting shorthand spelt out and filler removed; everything else as typed
    (capitals included, so acronyms stay recognisable).

    ``keep``: lower-case words the course itself uses (never rewritten). ``known``: lower-case words
    that may be the target of folding repeated letters (defaults to the shorthand's own words)."""
    pool = known or _KNOWN
    found = list(_WORD.finditer(text))
    if not found:
        return text
    out: list[str] = []
    pos = 0
    last = len(found) - 1
    for n, m in enumerate(found):
        original = m.group(0)
        lower = original.lower().replace("\u2019", "'")
        out.append(text[pos : m.start()])
        pos = m.end()
        if lower in keep and lower not in _NUMERAL_WORDS:  # every course has a "2"; "2 the" is still "to the"
            out.append(original)
            continue
        word = _unrepeat(lower, pool)
        if word in keep and word not in _NUMERAL_WORDS:
            out.append(word)
            continue
        if word in FILLER:
            continue
        if word in VOCATIVE and (n == 0 or n == last):
            continue
        if word in _ONLY_FIRST and n != 0:
            out.append(original)
            continue
        if word in _NUMERAL_WORDS:
            following = found[n + 1].group(0).lower() if n < last else ""
            if n == last and word == "4":  # "what does f=ma stand 4"
                out.append("for")
            elif following in _BEFORE_FUNCTION:
                out.append(SHORTHAND[word])
            else:
                out.append(original)
            continue
        if word in SHORTHAND:
            out.append(SHORTHAND[word])
        else:
            out.append(original if word == lower else word)
    out.append(text[pos:])
    return " ".join("".join(out).split())


_KNOWN = frozenset(
    {w for v in SHORTHAND.values() for w in v.split()} | set(SHORTHAND) | FILLER
    | {"so", "no", "why", "who", "what", "how", "when", "where", "is", "was", "did", "yes", "hi", "hey", "hello",
       "please", "thanks", "cool", "good", "nice", "too", "all", "off", "see", "soon", "ok"}
)
