"""``classbot new DIR --from notes.txt``: a course drafted from a teacher's notes.

For each sentence of the notes that states something checkable (a date or year, a number, a name, a
cause), a fact is drafted with ``draft: true``: the sentence is its quote (verbatim, so it validates), its
answer, two or three questions generated from it by the rules below, and, when the sentence holds a
date/year/number/name, a fill-in-the-blank trivia item whose distractors are other spans of the same type
from the same notes.

Question rules (general English, no model; see Heilman & Smith, "Good Question! Statistical Ranking for
Question Generation", NAACL 2010, for the classic overgenerate-and-rank scheme these simplify):

- **who/what** (subject): a sentence that starts with a name (or "The X") followed by a verb gets the
  subject replaced by *Who* (names) or *What*: "Isaac Newton set out his laws in 1687." -> "Who set out his
  laws in 1687?". An appositive after the subject (", the brother of the President,") is dropped.
- **when**: a sentence holding a date or year gets "When did/was ...?" by moving the auxiliary (or *did* and
  the verb's base form) in front of the subject, the date phrase removed; else "What happened in 1687?".
- **how many**: a number followed by a noun gives "How many <noun> ...?" built the same way.
- **why**: "A because/as/since B" gives "Why <A as a question>?"; "A, so B" gives "Why <B as a question>?".
- **what is**: "X is/are/was Y" (a definition) gives "What is X?".
- a **keyword** phrasing, the way students type ("newton first law inertia"), from the sentence's names,
  numbers and longest content words.

Trivia distractors are spans of the same type from the same notes; names are sorted by how the text itself
writes them (after "the": a title or group; after in/from/at/on: a place; followed by a verb: a person), and a
name sharing a word with the answer ("Mr Hyde" for "Edward Hyde") is never a distractor.

Auxiliaries and irregular past tenses are the standard English lists. Questions that the matcher could not
tell apart from another fact's are dropped (the same rule ``classbot validate`` applies), so the drafted
course validates.

Why one module of about 600 lines: it is one pipeline (spans -> questions -> trivia -> course files)
whose steps share the same English word lists and patterns (auxiliaries, irregular past tenses, names,
dates, numbers: about 100 of its lines); it is used only by ``classbot new``.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.core.errors import ClassbotError
from bot.core.models import AnswerType, Passage
from bot.core.passages import split_passages
from bot.core.text import slug

NOTE_SUFFIXES = (".txt", ".md", ".markdown")
AUXILIARIES = frozenset("is are was were can could will would shall should may might must has have had does do did".split())  # noqa: SIM905
# English irregular past tenses -> base form (the common ones; any grammar's list of irregular verbs).
IRREGULAR_PAST = {
    "went": "go", "saw": "see", "made": "make", "took": "take", "gave": "give", "came": "come", "became": "become",
    "got": "get", "found": "find", "said": "say", "told": "tell", "thought": "think", "left": "leave", "kept": "keep",
    "began": "begin", "won": "win", "lost": "lose", "met": "meet", "sent": "send", "built": "build", "fell": "fall",
    "felt": "feel", "grew": "grow", "knew": "know", "led": "lead", "meant": "mean", "paid": "pay", "ran": "run",
    "rose": "rise", "sold": "sell", "stood": "stand", "threw": "throw", "wrote": "write", "brought": "bring",
    "bought": "buy", "caught": "catch", "taught": "teach", "fought": "fight", "set": "set", "put": "put",
    "held": "hold", "heard": "hear", "drew": "draw", "drove": "drive", "ate": "eat", "spoke": "speak",
    "broke": "break", "chose": "choose", "forgot": "forget", "hid": "hide", "struck": "strike", "sat": "sit",
    "shook": "shake", "understood": "understand", "withdrew": "withdraw", "overthrew": "overthrow",
}  # fmt: skip
CAUSE_MARKERS = (" because ", " as a result of ", " due to ", " since ", ", so ", " so that ", " therefore ", " which is why ")
# Capitalised words that start sentences without naming anything.
_NOT_NAMES = frozenset(
    ["the", "a", "an", "in", "on", "at", "by", "for", "from", "to", "of", "and", "but", "or", "if", "when", "while", "after", "before", "during", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "you", "i", "his", "her", "their", "our", "there", "here", "then", "so", "as", "with", "without", "however", "although", "because", "since", "later", "earlier", "first", "second", "third", "finally", "also", "both", "each", "every", "some", "many", "most", "one", "two", "three"]  # noqa: SIM905
)
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
_DATE = re.compile(
    rf"\b(?:the\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?)(?:,?\s+\d{{4}})?\b"
)
_YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})s?\b")
# A year follows a word that introduces one ("in 1687", "since 1962") or a date, or ends a clause;
# "a mass of 1200 kg" is a number, not a year.
_YEAR_BEFORE = frozenset(
    ["in", "since", "by", "until", "of", "from", "during", "after", "before", "around", "about", "circa", "c.", "year", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
)  # noqa: SIM905
_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(?:per\s*cent|percent|million|billion|thousand))?"
    r"\s+([a-z][a-z\-]+)",
    re.I,
)
# Words that only make a number approximate or a bound ("about 17,000 people", "more than 40 countries"): the
# approximators and comparative quantifiers English grammars list before a numeral (Quirk et al. 1985, A
# Comprehensive Grammar of the English Language, on approximators of numerals). In front of the number of a
# "How many" question they say nothing about what is counted, so the question is built as if they were absent.
_APPROXIMATOR = re.compile(
    r"(?:about|around|roughly|approximately|nearly|almost|some|over|under|just over|just under|up to|at least|"
    r"at most|more than|fewer than|less than|as many as|as few as|well over|close to)", re.I)
# A name: capitalised words, with particles inside or in front ("Charles de Gaulle", "de Gaulle", "van Gogh").
_NAME = re.compile(r"\b((?:(?:de|von|van|da|du|di|le|la)\s+)?[A-Z][a-zA-Z'’\-]+(?:\s+(?:of|de|von|van|[A-Z]\.)?\s*[A-Z][a-zA-Z'’\-]+)*)")
_SUBORDINATORS = ("when ", "if ", "as ", "after ", "before ", "while ", "although ", "once ", "on ", "in ", "for example, ")
_DETERMINERS = frozenset(("the", "a", "an", "this", "that", "these", "those", "both", "each", "every", "some", "many", "most"))
# Openings before the subject: connectives, and an adverbial phrase closed by a comma.
_LEAD_CONNECTIVE = re.compile(
    r"^(?:as a result|then|later|however|meanwhile|finally|at first|in (?:1[0-9]{3}|20[0-9]{2})|"
    r"(?:about |a few |some |many )?(?:a|one|two|three|\d+)? ?(?:years?|months?|weeks?|days?) later)\s*,?\s+", re.I)
_LEAD_ADVERBIAL = re.compile(r"^(?:on|in|at|after|before|during|for|about|as|although|while|because)\b[^,]{0,50},\s+", re.I)
# Words that start a sentence without being its subject ("There is", "It seemed", "At first he could").
_NO_SUBJECT = frozenset(("there", "it", "at", "in", "on", "after", "before", "during", "when", "if", "as", "for", "by", "with"))
_PREPOSITIONS = frozenset("of between in on at over under with for from by about into through during after before".split())  # noqa: SIM905
_PERSON_NOUNS = frozenset(
    ["man", "men", "woman", "women", "person", "people", "child", "children", "boy", "boys", "girl", "girls", "maid", "doctor", "lawyer", "butler", "cousin", "friend", "leader", "ambassador", "president", "king", "queen", "scientist", "student", "teacher", "ally", "allies", "critic", "critics", "soldier", "brother", "sister", "mother", "father", "son", "daughter", "wife", "husband", "crew"]  # noqa: SIM905
)
_PEOPLE_PRONOUNS = frozenset(("he", "she", "they", "we", "i"))
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*|\d+(?:\.\d+)?")
_STOP = frozenset(
    ["the", "a", "an", "of", "to", "and", "or", "but", "in", "on", "at", "for", "with", "by", "from", "that", "this", "these", "those", "is", "are", "was", "were", "be", "been", "being", "it", "its", "as", "which", "who", "whom", "whose", "what", "when", "where", "why", "how", "not", "no", "so", "than", "then", "there", "their", "they", "them", "he", "she", "his", "her"]  # noqa: SIM905
)
# Words after a number that are not what it counts ("in 1905 while working", "25 to 35 degrees").
_FUNCTION_WORDS = _STOP | _PREPOSITIONS | frozenset(("while", "and", "or", "but", "until", "because", "after", "before", "when"))


@dataclass
class Span:
    text: str
    type: AnswerType


@dataclass
class DraftFact:
    id: str
    quote: str
    questions: list[str]
    keywords: list[str]
    passage: Passage
    trivia: dict[str, object] | None = None


@dataclass
class NewCourse:
    folder: Path
    facts: list[DraftFact]
    sentences: int
    trivia: int = 0
    skipped: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# What a sentence states


def spans(sentence: str, proper: frozenset[str] = frozenset()) -> list[Span]:
    """The checkable things a sentence states, most specific first: dates, years, numbers, names.

    ``proper`` are the words the text capitalises in mid-sentence: a capitalised word that starts a sentence
    is part of a name only if it is one of them ("Leading Soviet communists" names "Soviet", not "Leading")."""
    out: list[Span] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], group: int, kind: AnswerType) -> None:
        a, b = m.span(group)
        if any(a < y and b > x for x, y in taken):
            return
        taken.append((a, b))
        out.append(Span(m.group(group).strip(), kind))

    for m in _DATE.finditer(sentence):
        add(m, 0, AnswerType.DATE)
    for m in _YEAR.finditer(sentence):
        before = sentence[: m.start()].split()[-1:] or [""]
        after = re.match(r"\s*([A-Za-z]+)", sentence[m.end() :])
        unit_after = after is not None and after.group(1).islower() and after.group(1) not in _FUNCTION_WORDS
        if not m.group(0).endswith("s") and not unit_after and (before[0].lower() in _YEAR_BEFORE or before[0][:1].isdigit() or not before[0]):
            add(m, 1, AnswerType.YEAR)
    for m in _NUMBER.finditer(sentence):
        add(m, 1, AnswerType.NUMBER)
    names = []
    for m in _NAME.finditer(sentence):
        start, name = m.start(1), m.group(1)
        if m.start() == 0 or sentence[: m.start()].rstrip().endswith((".", ":", "“", '"')):
            words = name.split()
            while words and (words[0].lower() in _NOT_NAMES or (words[0] not in proper and (
                    len(words) == 1 or words[0].lower().endswith(("ing", "ed", "ly"))))):  # "Leading Soviet" -> Soviet
                start += len(words[0]) + 1
                words = words[1:]
            name = " ".join(words)
        name = re.sub(r"['’]s$", "", name)  # "Kennedy's reputation": the name is Kennedy
        words = name.split()
        while words and any(start < y and start + len(words[0]) > x for x, y in taken):
            start += len(words[0]) + 1  # "28 October Dobrynin": the date is taken, the name is Dobrynin
            words = words[1:]
        name = " ".join(words)
        if not name or name.lower() in _NOT_NAMES or re.fullmatch(_MONTH, name):
            continue
        a, b = start, start + len(name)
        if any(a < y and b > x for x, y in taken):
            continue
        taken.append((a, b))
        names.append(Span(name, AnswerType.NAME))
    names.sort(key=lambda sp: -len(sp.text.split()))  # "Robert Kennedy" before "Soviet"
    return out + names


def has_cause(sentence: str) -> bool:
    s = f" {sentence.lower()} "
    return any(marker in s for marker in CAUSE_MARKERS)


# ---------------------------------------------------------------------------------------------
# Questions


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:-–—")
    return text.rstrip(".!?").strip()


def _lower_first(text: str, names: set[str]) -> str:
    if not text:
        return text
    first = text.split()[0]
    if first.lower() not in _NOT_NAMES and first.lower() not in _STOP:
        return text  # a name ("Dobrynin reported") keeps its capital
    return text[0].lower() + text[1:]


def _base(verb: str) -> str | None:
    """The base form of a past or third-person verb, or None when the word is not one."""
    v = verb.lower()
    if v in IRREGULAR_PAST:
        return IRREGULAR_PAST[v]
    if v.endswith("ied") and len(v) > 4:
        return v[:-3] + "y"
    if v.endswith("ed") and len(v) > 4:
        stem = v[:-2]
        if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "ls":
            return stem[:-1]  # stopped -> stop
        if stem.endswith(("at", "iv", "us", "ur", "is", "ag", "ov", "ir", "uc", "ak", "os", "ang", "ar", "ib", "iz", "yz",
                          "c", "u", "ud", "cid", "vid", "rg", "dg", "ut")):
            return stem + "e"  # silent e: created -> create, described -> describe, announced -> announce
        return stem
    return None


def invert(clause: str, names: set[str]) -> str | None:
    """A statement turned into a yes/no question body ("was the crisis over", "did de Gaulle pull France out"),
    or None when no verb is found near the start."""
    if clause.lower().startswith(_SUBORDINATORS) and ", " in clause:
        clause = clause.split(", ", 1)[1]  # "When a bus brakes, the passengers lurch" -> the main clause
    tokens = clause.split()
    for i, tok in enumerate(tokens[:10]):
        word = tok.lower().strip(",")
        if i == 0:
            continue
        if tok.endswith(","):
            return None  # a clause break before any verb: too complex
        subject = " ".join(tokens[:i])
        rest = " ".join(tokens[i + 1 :])
        if word in AUXILIARIES:
            return _clean(f"{word} {_lower_first(subject, names)} {rest}")
        base = _base(word)
        if base and tokens[i - 1].lower() not in ("the", "a", "an", "of", "to", "and", "in"):
            if base == "be":
                return None
            rest = re.split(r",? and (?=\w+ed\b)", rest)[0]  # "reported ... and announced ..." -> the first verb's part
            return _clean(f"did {_lower_first(subject, names)} {base} {rest}")
        if i <= 3 and _third_person(tokens, i, word, tok):
            verb = word[:-2] if word.endswith(("ches", "shes", "sses", "xes")) else word[:-1]
            return _clean(f"does {_lower_first(subject, names)} {verb} {rest}")
    return None


def _verb_at(tokens: list[str]) -> int | None:
    """Where the main verb of a clause stands (an auxiliary, a past tense), if near the start."""
    for i, tok in enumerate(tokens[:10]):
        if i == 0:
            continue
        if tok.endswith((",", ":", ";")):
            return None
        word = tok.lower()
        if word in AUXILIARIES or (_base(word) and tokens[i - 1].lower() not in ("the", "a", "an", "of", "to", "and", "in")):
            return i
    for i, tok in enumerate(tokens[1:5], 1):  # no auxiliary or past tense: a present-tense verb ("Hyde vanishes")
        if tok.endswith((",", ":", ";")):
            return None
        if _third_person(tokens, i, tok.lower(), tok):
            return i
    return None


def _third_person(tokens: list[str], i: int, word: str, tok: str) -> bool:
    """Whether tokens[i] reads as a present-tense verb after its subject ("the rate rises", "Hyde vanishes"):
    ends in -s, follows a noun, and the subject starts with a determiner or is a name."""
    if not (word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3 and word[:-1].isalpha()):
        return False
    named = tokens[0][:1].isupper() and tokens[0].lower() not in _NOT_NAMES | _STOP and (i == 1 or (i == 2 and tokens[0].endswith(("'s", "’s"))))  # "Hyde vanishes", "Jekyll's house shows"
    led = tokens[0].lower() in ("the", "a", "an", "this", "that", "his", "her", "its", "their") or named
    return led and not tok[0].isupper() and tokens[i - 1].lower() not in _STOP


def _head(subject: str) -> str:
    """The head word of a noun phrase: the last word before its first preposition, adverbs and reflexives
    left out ("The conversation between A and B" -> conversation, "de Gaulle eventually" -> Gaulle)."""
    words: list[str] = []
    for w in subject.split():
        if w.lower() in _PREPOSITIONS and words:
            break
        if w.lower() in ("himself", "herself", "themselves", "itself") or (w.lower().endswith("ly") and len(w) > 4):
            continue
        words.append(w.strip(","))
    return words[-1] if words else ""


def _is_person_noun(word: str) -> bool:
    """Nouns for people: agent nouns in -ist/-ian (and their plurals), plural agent nouns in -ers/-ors, and the
    common words for people (English morphology; no course vocabulary)."""
    w = word.lower()
    return w in _PERSON_NOUNS or w.endswith(("ist", "ists", "ian", "ians", "ers", "ors")) and not w.endswith(("letters", "waters", "papers", "powers", "matters", "numbers", "others"))


def _subject_question(sentence: str, names: list[str]) -> str | None:
    """Who/What + the predicate, when the sentence starts with its subject."""
    s = _clean(sentence)
    s = _LEAD_CONNECTIVE.sub("", s)  # "As a result de Gaulle pulled" -> "de Gaulle pulled"
    s = _LEAD_ADVERBIAL.sub("", s)  # "On the communist side, the Chinese were" -> "the Chinese were"
    appositive = re.match(r"^([^,]{3,80}),\s[^,]{2,40},\s", s)
    if appositive and _verb_at(appositive.group(1).split() + ["x"]) is None:
        s = appositive.group(1) + " " + s[appositive.end() :]  # "Utterson's cousin, Richard Enfield, tells" -> "... cousin tells"
    s = re.split(r",\s+(?:and|but|while|which|so|because|since)\s+|;\s+|:\s+|\s+[-–—]\s+", s)[0]
    tokens = s.split()
    at = _verb_at(tokens)
    if at is not None and at <= 8 and tokens[0].lower() not in _NO_SUBJECT:
        subject = " ".join(tokens[:at])
        first = subject.split()[0].lower()
        head = _head(subject)
        person = first in _PEOPLE_PRONOUNS or any(head in n.split() for n in names) or _is_person_noun(head)
        wh = "Who" if person else "What"
        return f"{wh} {' '.join(tokens[at:])}?"
    who = next((n for n in names if s.startswith(n)), None)
    if who and s[len(who) : len(who) + 1] in (" ", ","):
        rest = s[len(who) :]
        rest = re.sub(r"^\s*,[^,]{1,80},", "", rest)  # appositive: ", the brother of the President,"
        if rest.split() and (rest.split()[0].lower() in AUXILIARIES or _base(rest.split()[0]) or rest.split()[0].endswith("s")):
            return f"Who{rest if rest.startswith(' ') else ' ' + rest}?"
        return None
    m = re.match(r"^(The|A|An)\s+([a-z][\w\-]*(?:\s+[a-z][\w\-]*){0,3}?)\s+(is|are|was|were|has|have|had|can|could|will|would)\s+(.+)$", s)
    if m:
        return f"What {m.group(3)} {m.group(4)}?"
    return None


def _definition_question(sentence: str) -> str | None:
    m = re.match(r"^((?:The |A |An )?[A-Za-z][\w\- ]{1,40}?) (is|are|was|were) (?:a|an|the|called) ", _clean(sentence) + " ")
    if not m:
        return None
    subject = m.group(1)
    if len(subject.split()) > 5:
        return None
    return f"What {m.group(2)} {subject[0].lower() + subject[1:] if subject.split()[0] in ('The', 'A', 'An') else subject}?"


def keyword_phrase(sentence: str, found: list[Span]) -> str:
    picked: list[str] = [s.text for s in found if s.type is not AnswerType.NUMBER][:2]
    words = [w for w in _WORD.findall(sentence) if w.lower() not in _STOP and len(w) > 3]
    for w in sorted(words, key=len, reverse=True):
        if len(" ".join(picked).split()) >= 5:
            break
        if not any(w.lower() in p.lower() for p in picked):
            picked.append(w.lower())
    return " ".join(picked)


def questions_for(sentence: str, found: list[Span]) -> list[str]:
    """Two or three questions a student could ask that this sentence answers (see the module's rules)."""
    names = [s.text for s in found if s.type is AnswerType.NAME]
    name_set = set(names)
    out: list[str] = []

    def add(q: str | None, capitalise: bool = True) -> None:
        if q and q not in out and 3 <= len(q.split()) <= 30:
            out.append(q[0].upper() + q[1:] if capitalise else q)

    s = _clean(sentence)
    lower = f" {s.lower()} "
    for marker in CAUSE_MARKERS:
        at = lower.find(marker)
        if at > 0:
            head, tail = s[: at - 1].strip(), s[at - 1 + len(marker) :].strip()
            clause = tail if marker.strip(" ,") in ("so", "therefore", "which is why") else head
            clause = re.sub(r"^(?:this|that)\s+", "", clause) if marker.strip(" ,") == "which is why" else clause
            body = invert(clause, name_set)
            add(f"Why {body}?" if body else f"What is the reason that {_lower_first(_clean(clause), name_set)}?")
            break
    dated = next((sp for sp in found if sp.type in (AnswerType.DATE, AnswerType.YEAR)), None)
    if dated:
        without = _clean(re.sub(rf"(?:,\s*)?\b(?:(?:on|in|by|from|until|later on|early in|late in)\s+)?(?:the\s+)?{re.escape(dated.text)}\b,?", " ", s, count=1, flags=re.I))
        body = invert(without, name_set)
        add(f"When {body}?" if body else f"What happened {'in' if dated.type is AnswerType.YEAR else 'on'} {dated.text}?")
    number = next((sp for sp in found if sp.type is AnswerType.NUMBER), None)
    if number:
        m = re.search(rf"{re.escape(number.text)}\s+(?:(?:per\s*cent|percent|million|billion|thousand)\s+)?([a-z][a-z\-]+)", s, re.I)
        if m and m.group(1).lower() not in _FUNCTION_WORDS:
            noun = m.group(1)
            before, after = s[: m.start()].strip(), s[m.end() :].strip()
            if not before or _APPROXIMATOR.fullmatch(before):
                add(f"How many {noun} {after}?")
            else:
                body = invert(_clean(before), name_set)
                add(f"How many {noun} {body}?" if body else None)
    add(_subject_question(s, names))
    add(_definition_question(s))
    if len(out) < 3:
        add(keyword_phrase(s, found), capitalise=False)
    return out[:3]


# ---------------------------------------------------------------------------------------------
# Trivia


@dataclass(frozen=True)
class NameKinds:
    """What the text's own wording says about its names, to draw distractors of the same kind."""

    titles: frozenset[str] = frozenset()  # written after "the": "the President", "the Russians"
    places: frozenset[str] = frozenset()  # written after in/from/at/on: "in Turkey", "from Cuba"
    agents: frozenset[str] = frozenset()  # followed by a verb somewhere: "Kennedy gave", "Hyde vanishes"

    @classmethod
    def of(cls, passages: list[Passage]) -> NameKinds:
        texts = [p.text for p in passages]
        titles = {m.group(1) for t in texts for m in re.finditer(r"\b[Tt]he ([A-Z][a-zA-Z'’\-]+)\b", t)}
        places = {m.group(1).strip() for t in texts
                  for m in re.finditer(r"\b(?:in|from|at|on|across|near) ((?:[A-Z][a-zA-Z'’\-]+ ?)+)", t)}
        agents = set()
        for t in texts:
            for m in _NAME.finditer(t):
                after = t[m.end() :].split()
                nxt = after[0].lower().strip(",.;:") if after else ""
                if nxt in AUXILIARIES or _base(nxt) or (nxt.endswith("s") and len(nxt) > 3 and nxt not in _STOP and nxt[:-1].isalpha()):
                    agents.add(m.group(1).split()[-1])
        return cls(frozenset(titles), frozenset(places), frozenset(agents))

    def kind(self, name: str) -> str:
        if name in self.titles:
            return "title"
        if name in self.places:
            return "place"
        return "person" if name.split()[-1] in self.agents or re.match(r"(?:Dr|Mr|Mrs|Ms|Sir|Lady|Lord|St)\b", name) else "thing"


def pool_key(span: Span, kinds: NameKinds) -> str:
    """Which answers can stand in for each other as distractors: same type; and for names, people apart from
    the titles and groups a text writes after "the" ("the President", "the Russians", "the Soviet ambassador")
    and from the places it writes after "in", "from", "at", "on" ("in Turkey", "from Cuba")."""
    if span.type is AnswerType.NAME:
        return "name:" + kinds.kind(span.text)
    return span.type.value


def trivia_for(sentence: str, found: list[Span], pool: dict[str, list[str]], kinds: NameKinds | None = None) -> dict[str, object] | None:
    """A fill-in-the-blank item on the sentence's most specific span, with distractors of its kind."""
    from bot.core.models import TriviaItem
    from bot.core.trivia.answers import check_answer, normalize

    for span in found:
        blanked = sentence.replace(span.text, "_____", 1)
        if blanked == sentence or len(blanked.split()) < 5:
            continue
        answer_norm = normalize(span.text)
        distractors: list[str] = []
        size = len(span.text.split())
        for other in sorted(pool.get(pool_key(span, kinds or NameKinds()), []), key=lambda o: abs(len(o.split()) - size)):
            shares_a_word = bool(set(normalize(other).split()) & set(answer_norm.split())) and span.type is AnswerType.NAME
            if normalize(other) != answer_norm and normalize(other) not in {normalize(d) for d in distractors} \
                    and other not in sentence and not shares_a_word:  # "Mr Hyde" is no distractor for "Edward Hyde"
                distractors.append(other)
            if len(distractors) == 3:
                break
        item = TriviaItem(id="x", fact_id="x", question=blanked, answer=span.text, type=span.type)
        if not check_answer(item, span.text) or any(check_answer(item, d) for d in distractors):
            continue
        out: dict[str, object] = {"question": f"Fill in the blank: {blanked}", "answer": span.text, "type": span.type.value}
        if distractors:
            out["distractors"] = distractors
        return out
    return None


# ---------------------------------------------------------------------------------------------
# The course


def _title(text: str, fallback: str) -> str:
    first = next((ln.strip().lstrip("#").strip() for ln in text.splitlines() if ln.strip()), "")
    return first if first and len(first) <= 80 else fallback


def draft_facts(text: str, source_id: str, markdown: bool) -> tuple[list[DraftFact], int]:
    """The drafted facts of a text (before de-duplication of phrasings), and its number of sentences."""
    passages = split_passages(source_id, text, markdown=markdown)
    proper = frozenset(m.group(1) for p in passages for m in re.finditer(r"(?<=[a-z,;] )([A-Z][a-zA-Z'’\-]+)", p.text))
    analysed = [(p, spans(p.text, proper)) for p in passages]
    kinds = NameKinds.of(passages)
    pool: dict[str, list[str]] = {}
    for _, found in analysed:
        for sp in found:
            if sp.text not in pool.setdefault(pool_key(sp, kinds), []):
                pool[pool_key(sp, kinds)].append(sp.text)
    facts: list[DraftFact] = []
    ids: set[str] = set()
    for passage, found in analysed:
        sentence = passage.text
        if sentence.rstrip().endswith("?") or len(sentence.split()) < 5:
            continue
        if not found and not has_cause(sentence):
            continue
        questions = questions_for(sentence, found)
        if not questions:
            continue
        base = slug(" ".join(w for w in _WORD.findall(sentence) if w.lower() not in _STOP)[:50]) or "fact"
        fid, n = base, 2
        while fid in ids:
            fid, n = f"{base}-{n}", n + 1
        ids.add(fid)
        keywords = list(dict.fromkeys(sp.text for sp in found))[:4]
        facts.append(DraftFact(fid, sentence, questions, keywords, passage, trivia_for(sentence, found, pool, kinds)))
    return facts, len(passages)


def drop_confusable(facts: list[DraftFact], aliases: tuple[tuple[str, ...], ...] = ()) -> list[DraftFact]:
    """Remove phrasings the matcher could not tell from another fact's (validate's own rule), then facts
    left with none."""
    from rapidfuzz import fuzz

    from bot.core.analyzer import Analyzer
    from bot.core.validation import CONFUSABLE

    analyzer = Analyzer(aliases)
    kept: list[tuple[str, str]] = []  # (normalised phrasing, fact id)
    out = []
    for fact in facts:
        mine: list[str] = []
        normals: list[str] = []
        for q in fact.questions:
            norm = " ".join(sorted(analyzer.terms(q)))
            if not norm:
                continue
            if any(fid != fact.id and (norm == other or fuzz.ratio(norm, other) >= CONFUSABLE) for other, fid in kept):
                continue
            mine.append(q)
            normals.append(norm)
        if mine:
            fact.questions = mine
            kept += [(n, fact.id) for n in normals]
            out.append(fact)
    return out


def fact_yaml(facts: list[DraftFact], source_id: str) -> str:
    data = []
    for f in facts:
        entry: dict[str, object] = {"id": f.id, "draft": True, "questions": f.questions, "answer": f.quote}
        if f.keywords:
            entry["keywords"] = f.keywords
        entry["source"] = source_id
        entry["quote"] = f.quote
        if f.trivia:
            entry["trivia"] = f.trivia
        data.append(entry)
    head = ("# Drafted by `classbot new` from your notes. Every fact is `draft: true`: read its questions and\n"
            "# answer, fix them, then delete the `draft: true` line. `classbot validate` counts the drafts left.\n")
    return head + yaml.safe_dump({"facts": data}, sort_keys=False, allow_unicode=True, width=110)


def new_course(notes: Path, folder: Path, *, title: str | None = None) -> NewCourse:
    """Write a drafted course into ``folder`` (which must not exist or be empty); all or nothing."""
    if notes.suffix.lower() not in NOTE_SUFFIXES:
        raise ClassbotError(f"notes should be a .txt or .md file, not '{notes.name}'")
    try:
        text = notes.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise ClassbotError(f"'{notes.name}' is not UTF-8 text (bad byte at {e.start}); save it as UTF-8") from None
    except OSError as e:
        raise ClassbotError(f"cannot read '{notes.name}': {e.strerror}") from None
    if not text.strip():
        raise ClassbotError(f"'{notes.name}' is empty")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ClassbotError(f"'{folder}' already exists and is not empty; choose a new folder")
    markdown = notes.suffix.lower() != ".txt"
    source_id = slug(notes.stem) or "notes"
    facts, sentences = draft_facts(text.replace("\r\n", "\n").replace("\r", "\n"), source_id, markdown)
    facts = drop_confusable(facts)
    course_title = title or _title(text, notes.stem.replace("_", " ").replace("-", " ").title())
    course = {
        "id": slug(folder.name) or "course",
        "title": course_title,
        "description": f"Drafted from {notes.name} by classbot new.",
        "sources": [{"id": source_id, "file": f"sources/{notes.name}", "title": course_title}],
    }
    parent = folder.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=parent))
    try:
        (tmp / "sources").mkdir()
        shutil.copyfile(notes, tmp / "sources" / notes.name)
        (tmp / "course.yaml").write_text(
            "# Written by `classbot new`. Add aliases (names that mean the same thing) and units here.\n"
            + yaml.safe_dump(course, sort_keys=False, allow_unicode=True), encoding="utf-8")
        (tmp / "facts").mkdir()
        if facts:
            (tmp / "facts" / "drafts.yaml").write_text(fact_yaml(facts, source_id), encoding="utf-8")
        from bot.core.validation import validate

        report = validate(tmp)
        if report.problems:  # a drafting bug: say so rather than leave a course that will not load
            raise ClassbotError("the drafted course did not validate:\n" + "\n".join(f"  {p}" for p in report.problems[:10]))
        if folder.exists():
            folder.rmdir()  # empty, checked above
        os.replace(tmp, folder)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return NewCourse(folder, facts, sentences, sum(1 for f in facts if f.trivia))
