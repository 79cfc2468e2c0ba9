"""Fuzzy matching of a student's question against a course's facts and source passages.

How a question is matched, step by step:

1. ``Analyzer`` (``bot.core.analyzer``) turns text into terms: fold case, accents and apostrophes; replace the course's
   aliases with one token per group ("Soviet Union", "USSR" -> one term); drop stop words; stem.
2. ``Index.query`` maps each question word onto the course's vocabulary: the word itself, a split
   or joined compound ("hot line" -> "hotline"), a typo correction (rapidfuzz Levenshtein; never for a
   word WordNet's corpus uses: "money" is not a typo of "monkey"), a general synonym (``lexicon``), or
   another word for the most frequent WordNet sense of a course word ("goes up" for "rises": the course's
   words are expanded at build time, ``bot.core.wordnet``). Alternatives other than the word itself count
   for less. A word the course has never heard of keeps the weight of the rarest word: it is probably the
   topic; an everyday word weighs less, whether the course uses it or not.
3. Candidates come from an inverted index (only documents sharing a term), then each is scored by
   how much of the question's weight (IDF: rare words such as "Dobrynin" count more than
   "crisis") it explains: its *coverage*. Facts are also scored against each question phrasing.
4. Question-type cues (``bot.core.cues``: "when", "how many", "who", "why") lower the score of candidates that do not
   hold the kind of answer asked for (a date, a number, a person, a reason).
5. ``Index.missing``: the share of the question's weight in rare words the course uses elsewhere that a
   candidate lacks ("Who founded Carthage?" against "Rome was founded by Romulus"); the answer engine
   declines a weak candidate that lacks too much (bot.core.answering).

Why one module of about 600 lines: nearly all of it is ``Index``, whose steps (mapping question words
onto the course's vocabulary, shortlisting through the postings, scoring, re-ranking) read and fill the
same per-course tables (postings, IDF, vocabulary, lazily computed document weights). Split apart they
would pass those tables back and forth; the parts that stand alone are already out (``analyzer``,
``cues``, ``relations``, ``wordnet``).
"""

from __future__ import annotations

import gc
import heapq
import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Generic, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.core.analyzer import (
    ALIAS_PREFIX,
    PHRASE_PREFIX,
    Analyzer,
    course_acronyms,
    phrase_term,
    synonym_table,
    wording_key,
)
from bot.core.cues import CUE_WORDS, count_focus, cue_factor, question_cue
from bot.core.lexicon import is_common
from bot.core.models import Course, Fact, Passage
from bot.core.names import first_names
from bot.core.relations import (
    ROLE_FACTOR,
    Marks,
    agent_question,
    defined_term,
    defines,
    marks_of,
    other_way_round,
    selects,
)
from bot.core.relations import factor as relation_factor
from bot.core.text import index_term, stem, words
from bot.core.wordnet import corpus_count, sense_alternatives, verb_forms

# How much a question word counts when the course has it only as another word. The word itself counts 1.0;
# a typo fix (one or two edits from a course word) is nearly certainly what was meant (0.85), another form of a
# course word ("europ" ~ "european") a little less (0.8: the form can change the meaning), a synonym from a list
# least (0.6: a synonym is another word, and it can shift the meaning). Set by hand with the first
# matcher (928a27c, no measurement recorded); every eval and bench/tuning figure since is measured with them.
SYNONYM_FACTOR = 0.6
TYPO_FACTOR = 0.85
PREFIX_FACTOR = 0.8
GENERAL_SHARE = 0.3  # a term in more of the documents than this cannot single one out
COMMON_UNKNOWN = 0.4  # share of the top weight for an everyday word the course never uses
ANTECEDENT_FACTOR = 0.8  # a word of the sentence a leading "It"/"They"/"This" refers back to
COMMON_SHARE = 0.005  # a term in more than this share of documents only re-ranks, it never shortlists
COMMON_MIN = 300  # ... unless it is in fewer documents than this
SHORTLIST = 80  # documents fully scored per query
MAX_SLOTS = 16  # content words of a question that are matched (a question, not an essay)
PROXIMITY_READS = 10  # passages re-read for the closeness of the question's words
PROXIMITY_WINDOW = 3  # two terms this close (in terms) count as said together
PROXIMITY_BONUS = 0.1  # at most this is added for re-ranking (all pairs close): reorders near ties only
TIE_READS = 12  # passages tied with the best whose text is re-read to break the tie
MAX_TYPO_FIXES = 6  # unknown words of a question looked up as typos
DEFINE_FACTOR = 0.6  # "what is X" answered by a text that only mentions X
# A question word the course lacks that WordNet gives as another word for the most frequent sense of a course
# word (bot.core.wordnet). Measured on bench/tuning and eval/ aggregates: 0.5 and 0.7 found fewer, 0.85 no
# more false friends; expanding words the course does know too, or compounds ("hailstones" -> "hail"), added
# confident wrong answers or nothing, and are not done.
SENSE_FACTOR = 0.85
# The first part of a name given in full, matched by its last part alone (bot.core.names: "Julius" by "Caesar"):
# counted like a synonym, since a family name may stand for another of the family (in the bundled text "Kennedy"
# is the president and "Robert Kennedy" his brother: at 1.0 the text-only development row lost a question;
# 0.5-0.8 keep the tuning gain, bench/tuning/README.md round 5).
FIRST_NAME_FACTOR = SYNONYM_FACTOR
# A question word the course lacks, read as a course word close to it in meaning (bot.core.meaning.NearWords:
# "dad" for "father"): counted like a listed synonym (measured, bench/tuning/variants.py: 0.5 found fewer, 0.7
# and 0.85 no more).
NEAR_FACTOR = SYNONYM_FACTOR
# A word WordNet's sense-tagged corpus (SemCor) uses this often is everyday English ("destroyed", "usually"):
# unknown to a course it is probably phrasing, not the topic (bot.core.wordnet; measured, bench/tuning).
EVERYDAY_COUNT = 50
# An everyday word the course does use weighs at most this share of the rarest word's weight (measured with
# MISSING_SHARE below, bench/tuning/README.md: alone it moved no tuning answer; with it, 7 more right, 7 fewer wrong).
KNOWN_EVERYDAY = 0.6


_KIND = re.compile(r"\b(?:which|what)\s+(\w+)")  # "which volcano", "what year": the word naming what is asked for
_PRONOUN_START = re.compile(r"(?:It|They|This|These|Those|He|She|Its|Their|His|Her)\b")


@dataclass(slots=True)
class Slot:
    """One concept of the question: acceptable terms with how much each counts, and its weight."""

    word: str
    alternatives: dict[str, float]
    weight: float
    known: bool


@dataclass(slots=True)
class Query:
    slots: list[Slot]
    cue: str | None  # "when" | "number" | "age" | "who" | "why" | None
    focus: str | None = None  # for "how many X": the stems of X's words, space-separated ("activ volcano")
    key: int = 0  # wording_key of the question
    marks: Marks = Marks(False, frozenset())  # its negation and relation words
    selecting: bool = False  # "which ..." / "who ...": the polarity of the answer matters
    defining: str | None = None  # "what is nato": the answer must say what it is
    kind: str = ""  # "which volcano ...": the word naming the kind of thing asked for, which the answer need not say
    fixed: dict[str, str] = field(default_factory=dict)  # a mistyped word -> the course's word it was read as
    agent: tuple[str, str] | None = None  # "who killed romulus": ("killed", "romulus"), asking who did it to whom

    terms: frozenset[str] = frozenset()  # every alternative of every slot

    def __post_init__(self) -> None:
        self.terms = frozenset(t for s in self.slots for t in s.alternatives)

    @property
    def total(self) -> float:
        return sum(s.weight for s in self.slots)


@dataclass(slots=True)
class Doc:
    """What the index keeps of a document, a fact (``FactDoc``) or a passage (``PassageDoc``)."""

    terms: frozenset[str]
    phrasings: tuple[frozenset[str], ...] = ()
    context: frozenset[str] = frozenset()  # passages: the terms of its section's headings
    cue_text: str = ""
    keywords: frozenset[str] = frozenset()  # what the teacher says the fact is about
    antecedent: frozenset[str] = frozenset()  # "It takes place in the leaves": what "It" may stand for
    weight: float = 0.0  # sum of the IDF of its terms (0: not computed yet)
    phrasing_weights: tuple[float, ...] = ()  # the same for each phrasing (empty: not computed yet)
    cues: dict[str, float] | None = None  # cue -> cue_factor of its text, filled on first use
    verbatim: frozenset[int] = frozenset()  # wording_key of each phrasing, function words included
    marks: Marks | None = None  # negation and relation words of its text, filled on first use
    around: tuple[int, ...] = ()  # passages: the documents of the sentences around it


@dataclass(slots=True)
class FactDoc(Doc):
    """A teacher's fact: scored on its phrasings and keywords too."""

    ref: Fact = field(kw_only=True)
    asks: frozenset[str] | None = None  # the kinds of question its listed questions ask ("when", ...), on first use


@dataclass(slots=True)
class PassageDoc(Doc):
    """A sentence of a source text."""

    ref: Passage = field(kw_only=True)
    before: str = ""  # "They dive to the sea floor": the sentence before, which says who "They" are


D = TypeVar("D", FactDoc, PassageDoc)


@dataclass(slots=True)
class Scored(Generic[D]):
    doc: D
    score: float


@dataclass
class Index:
    analyzer: Analyzer
    docs: list[FactDoc | PassageDoc] = field(default_factory=list)
    postings: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    idf: dict[str, float] = field(default_factory=dict)
    vocab: dict[str, str] = field(default_factory=dict)  # word -> term
    by_length: dict[tuple[int, str], list[str]] = field(default_factory=lambda: defaultdict(list))  # (length, first letter)
    by_stub: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # first 3 letters -> words
    max_idf: float = 1.0
    synonyms: dict[str, frozenset[str]] = field(default_factory=dict)  # term -> its synonyms' terms
    seen: set[str] = field(default_factory=set)  # every folded word of the course, function words too
    senses: dict[str, frozenset[str]] = field(default_factory=dict)  # another word -> the course terms it may stand for
    first_names: dict[str, str] = field(default_factory=dict)  # "julius" -> "caesar" (bot.core.names), folded words
    _learned: dict[str, list[str]] = field(default_factory=dict, repr=False)  # build-time cache

    @classmethod
    def build(cls, course: Course) -> Index:
        # Building makes millions of small objects and no reference cycles: pausing the cyclic
        # garbage collector meanwhile saves the ~40% of build time it would spend rescanning them.
        paused = gc.isenabled()
        gc.disable()
        try:
            index = cls._build(course)
        finally:
            if paused:
                gc.enable()
        gc.freeze()  # the index lives as long as the bot: never rescan it (no pause mid-question)
        return index

    @classmethod
    def _build(cls, course: Course) -> Index:
        index = cls(Analyzer(course.aliases, course_acronyms(course), course.synonyms))
        index.synonyms = synonym_table(course.synonyms)
        paragraphs: dict[tuple[str, tuple[str, ...], int], list[Passage]] = defaultdict(list)
        for p in course.passages:
            paragraphs[(p.source_id, p.section, p.paragraph)].append(p)
        terms_of = {p.id: frozenset(index._learn(p.text)) for p in course.passages}
        heading_terms: dict[tuple[str, ...], frozenset[str]] = {}
        closing: dict[tuple[str, tuple[str, ...]], Passage] = {}  # the last sentence so far of each source's section
        for (source, section, _), sentences in paragraphs.items():  # in text order, sentences in order
            if section not in heading_terms:
                heading_terms[section] = frozenset(index.analyzer.terms(" ".join(section)))
            first = len(index.docs)
            for k, p in enumerate(sentences):
                terms = terms_of[p.id]
                # up to two sentences either side, as document numbers: the context is put together
                # only for the few documents a question shortlists (it would be most of the memory)
                around = tuple(first + j for j in range(max(0, k - 2), min(len(sentences), k + 3)) if j != k)
                # a leading "It"/"They" refers back to the sentence before, in the paragraph or the one before it
                before = (sentences[k - 1] if k else closing.get((source, section))) if _PRONOUN_START.match(p.text) else None
                antecedent = terms_of[before.id] - terms if before is not None else frozenset()
                index._add(PassageDoc(terms, ref=p, context=heading_terms[section], cue_text=p.text, antecedent=antecedent,
                               around=around, before=before.text if before is not None else ""))
            closing[(source, section)] = sentences[-1]
        for f in course.facts:
            phrasings = tuple(frozenset(index._learn(q)) for q in f.questions)
            body = set().union(*phrasings) if phrasings else set()
            keywords = {t for k in f.keywords for t in index._learn(k)}
            body |= set(index._learn(f.answer))
            for pid in f.citation.passage_ids:
                body |= terms_of.get(pid, frozenset())
            index._add(FactDoc(frozenset(body | keywords), phrasings, ref=f, cue_text=f"{f.answer} {f.citation.quote}",
                           keywords=frozenset(keywords), verbatim=frozenset(wording_key(q) for q in f.questions)))
        n = len(index.docs) or 1
        index.idf = {t: math.log(1 + (n - len(ids) + 0.5) / (len(ids) + 0.5)) for t, ids in index.postings.items()}
        index.max_idf = math.log(1 + (n + 0.5) / 0.5)
        for word in index.vocab:
            index.by_length[(len(word), word[0])].append(word)
            if len(word) >= 4:
                index.by_stub[word[:3]].append(word)
        index._learned.clear()
        index._expand_senses()
        index.first_names = {w: surname for w, surname in first_names(p.text for p in course.passages).items()
                             if surname in index.vocab and not index.everyday(w)}  # "Leading Soviet ..." is no name
        return index

    def _expand_senses(self) -> None:
        """The course's words expanded with the other words of their most frequent WordNet sense (bot.core.wordnet):
        a question word among them may stand for the course word. Multi-word ones ("go up", in any form of its
        verb) become phrases the analyzer reads as one term."""
        inverse: dict[str, set[str]] = defaultdict(set)
        for term in set(self.vocab.values()):
            if term[0] in (ALIAS_PREFIX, PHRASE_PREFIX) or term.isdigit():
                continue
            for alt in sense_alternatives(term):
                if "_" not in alt:
                    inverse[alt].add(term)
                    continue
                parts = alt.split("_")
                phrase = phrase_term(tuple(parts))
                inverse[phrase].add(term)
                for form in verb_forms(parts[0]):
                    self.analyzer.add_phrase((form, *parts[1:]), phrase)
        self.senses = {alt: frozenset(terms) for alt, terms in inverse.items()}

    def _learn(self, text: str) -> list[str]:
        known = self._learned.get(text)
        if known is not None:
            return known
        out = []
        for word, term in self.analyzer.tokens(text):
            if word not in self.seen:
                self.seen.update(word.split())
            if term:
                if word not in self.vocab:
                    self.vocab[word] = term
                out.append(term)
                if term[0] == PHRASE_PREFIX:  # the text keeps its words too: "fall" alone still matches
                    out += [t for t in map(index_term, word.split()) if t]
        self._learned[text] = out
        return out

    def _add(self, doc: FactDoc | PassageDoc) -> None:
        i = len(self.docs)
        self.docs.append(doc)
        for t in doc.terms:
            self.postings[t].append(i)

    # -- query ----------------------------------------------------------------------------------
    def query(self, text: str, near: Callable[[str], Sequence[str]] | None = None) -> Query:
        """The question as slots of the course's terms. ``near``: the course words closest in meaning to a
        word (bot.core.meaning.NearWords), for a question word nothing else places."""
        tokens = self.analyzer.tokens(CUE_WORDS.sub(" ", " ".join(text.split())))
        slots: list[Slot] = []
        seen: set[str] = set()
        fixed: dict[str, str] = {}
        fixes = MAX_TYPO_FIXES  # the work per question is bounded, whatever is typed
        i = 0
        while i < len(tokens) and len(slots) < MAX_SLOTS:
            word, term = tokens[i]
            if not term or term in seen:  # a word said twice is one concept
                i += 1
                continue
            seen.add(term)
            if term not in self.idf and i + 1 < len(tokens) and tokens[i + 1][1]:  # "hot line" -> "hotline"
                joined = word + tokens[i + 1][0]
                if joined in self.vocab:
                    slots.append(self._slot(joined, {self.vocab[joined]: 1.0}))
                    i += 2
                    continue
            unknown = term not in self.idf
            slots.append(self._slot(word, self._alternatives(word, term, fix=fixes > 0, fixed=fixed, near=near)))
            fixes -= unknown
            i += 1
        for slot, after in pairwise(slots):  # "julius caesar": a sentence saying "Caesar" means him too
            if self.first_names.get(slot.word) == after.word:
                slot.alternatives.setdefault(self.vocab[after.word], FIRST_NAME_FACTOR)
        kind = _KIND.search(" ".join(words(text)))
        return Query(slots, question_cue(text), count_focus(text), wording_key(text),
                     marks_of(text), selects(text), defined_term(text), kind.group(1) if kind else "", fixed,
                     agent_question(text))

    def _slot(self, word: str, alternatives: dict[str, float]) -> Slot:
        known = {t: f for t, f in alternatives.items() if t in self.idf}
        everyday = self.everyday(word)
        if known and any(f in (1.0, SYNONYM_FACTOR) for f in known.values()):  # the word itself, or a listed synonym
            weight = max(self.idf[t] for t in known)
            if everyday:  # "happen", "end": rare in this course perhaps, but not what the question is about
                weight = min(weight, self.max_idf * KNOWN_EVERYDAY)
            return Slot(word, known, weight, True)
        unknown_weight = self.max_idf * (COMMON_UNKNOWN if everyday else 1.0)
        if not known:
            return Slot(word, alternatives, unknown_weight, False)
        # only another word stands for it (a typo fix, a synonym): it weighs no more than it would unmatched,
        # so an everyday word said differently ("destroyed" for "buried") does not outweigh the topic
        return Slot(word, known, min(max(self.idf[t] for t in known), unknown_weight), True)

    def _alternatives(self, word: str, term: str, fix: bool = True, fixed: dict[str, str] | None = None,
                      near: Callable[[str], Sequence[str]] | None = None) -> dict[str, float]:
        alts: dict[str, float] = {term: 1.0}
        unknown = term not in self.idf and term[0] not in (ALIAS_PREFIX, PHRASE_PREFIX)
        if fix and unknown and len(word) >= 5 and not word.isdigit():  # a typo, or another form of a known word
            # a word WordNet's corpus uses ("money", "react") is what the student meant, not a typo of "monkey", "reach"
            # (measured, bench/tuning: a count of 50 or more kept "react" -> "reach"; any count, one wrong answer fewer)
            meant = self._typo(word) if not corpus_count(stem(word)) else None
            if meant:
                alts[self.vocab[meant]] = TYPO_FACTOR
                if fixed is not None:
                    fixed[word] = meant
            if len(term) >= 5:
                for known_term in self._related_terms(term):
                    alts.setdefault(known_term, PREFIX_FACTOR)
        for syn in self.synonyms.get(term, ()):
            if syn in self.idf:
                alts.setdefault(syn, SYNONYM_FACTOR)
        if term[0] == PHRASE_PREFIX and term not in self.idf:  # a phrase the course does not use: its words as written
            for w in word.split():
                t = index_term(w)
                if t:
                    alts.setdefault(t, 1.0)
        if term not in self.idf:  # another word for a course word's most frequent sense ("goes up" for "rises")
            for known_term in self.senses.get(term, ()):
                alts.setdefault(known_term, SENSE_FACTOR)
        if near is not None and fix and unknown and word.isalpha() and len(word) >= 3 and not any(t in self.idf for t in alts):
            for close in near(word):  # "dad" for "father": a word nothing else places, read by meaning
                alts.setdefault(self.vocab[close], NEAR_FACTOR)
        return alts

    def _typo(self, word: str) -> str | None:
        """The course's word one edit away (two for long words); the more common one on a tie."""
        budget = 1 if len(word) <= 6 else 2
        best: tuple[int, float, str] | None = None
        for length in range(len(word) - budget, len(word) + budget + 1):
            # students rarely mistype the first letter: only words that share it are compared
            pool = self.by_length.get((length, word[0]))
            if not pool:
                continue
            for cand, d, _ in process.extract(word, pool, scorer=Levenshtein.distance, score_cutoff=budget, limit=5):
                key = (d, self.idf.get(self.vocab[cand], 0.0), cand)
                if best is None or key < best:
                    best = key
        return best[2] if best else None

    def _related_terms(self, term: str) -> list[str]:
        """Known terms that are another form of this one ("europ" ~ "european"), at most three."""
        out = []
        for cand in self.by_stub.get(term[:3], ()):
            t = self.vocab[cand]
            if t != term and len(t) >= 4 and _related_form(term, t):
                out.append(t)
                if len(out) == 3:
                    break
        return out

    # -- scoring --------------------------------------------------------------------------------
    def search(self, query: Query, limit: int = 8) -> tuple[list[Scored[FactDoc]], list[Scored[PassageDoc]]]:
        """Best facts and best passages, each scored 0..1, best first.

        Candidates are shortlisted by the weight they share through the rarer terms' postings
        (score-at-a-time); only the shortlist is scored in full.
        """
        total = query.total
        if total <= 0:
            return [], []
        cap = max(COMMON_MIN, COMMON_SHARE * len(self.docs))
        partial: dict[int, float] = defaultdict(float)
        common: list[tuple[int, str]] = []
        for slot in query.slots:
            best: dict[int, float] = {}
            for term, factor in slot.alternatives.items():
                ids = self.postings.get(term)
                if not ids:
                    continue
                if len(ids) > cap:
                    common.append((len(ids), term))
                    continue
                for i in ids:
                    if best.get(i, 0.0) < factor:
                        best[i] = factor
            for i, factor in best.items():
                partial[i] += slot.weight * factor
        if not partial and common:  # only common words: the rarest of them shortlists
            _, term = min(common)
            partial = dict.fromkeys(self.postings[term][: SHORTLIST * 20], 1.0)
        shortlist = heapq.nlargest(SHORTLIST, partial, key=partial.__getitem__) if len(partial) > SHORTLIST else list(partial)
        facts: list[Scored[FactDoc]] = []
        passages: list[Scored[PassageDoc]] = []
        for i in shortlist:
            doc = self.docs[i]
            if isinstance(doc, FactDoc):
                facts.append(self._score(query, doc, total))
            else:
                passages.append(self._score(query, doc, total))
        facts.sort(key=lambda s: -s.score)
        passages.sort(key=lambda s: -s.score)
        return facts[:limit], _break_ties(query, self._by_proximity(query, passages))[:limit]

    def _by_proximity(self, query: Query, ranked: list[Scored[PassageDoc]]) -> list[Scored[PassageDoc]]:
        """The best few passages re-ranked by how many of the question's neighbouring word pairs
        stand close together in them too ("Rhine" and "begin" in one phrase, not apart): only
        those few are re-read."""
        if len(query.slots) < 2 or not ranked:
            return ranked
        top = ranked[:PROXIMITY_READS]
        best = top[0].score
        pairs = list(zip(query.slots, query.slots[1:], strict=False))
        closeness: dict[int, float] = {}
        for s in top:
            positions: dict[str, list[int]] = defaultdict(list)
            for n, t in enumerate(self.analyzer.terms(s.doc.cue_text)):
                positions[t].append(n)
            near = 0
            for a, b in pairs:
                pa = [n for t in a.alternatives for n in positions.get(t, ())]
                pb = [n for t in b.alternatives for n in positions.get(t, ())]
                if any(abs(x - y) <= PROXIMITY_WINDOW for x in pa for y in pb):
                    near += 1
            closeness[id(s)] = PROXIMITY_BONUS * near / len(pairs)
        top.sort(key=lambda x: -(x.score + closeness[id(x)]))
        if top[0].score < best:  # the order changes, not how well the question is matched
            top[0] = Scored(top[0].doc, best)
        return top + ranked[PROXIMITY_READS:]

    def specific(self, query: Query, doc: Doc) -> bool:
        """Whether the question and the document share enough to single the document out: two or
        more of the question's words, or one that is not everyday English and stands in at most
        GENERAL_SHARE of the course's documents. "what is your name" (one everyday word) or
        "missile" (in most of a missile course) match something, but not enough to pick one answer."""
        if query.key in doc.verbatim:  # the teacher listed this very question for this fact
            return True
        if query.defining and defines(doc.cue_text, query.defining):  # "whats a volcano": it says what one is
            return True
        limit = max(2.0, GENERAL_SHARE * len(self.docs))  # a tiny course: one sentence is distinctive
        matched = 0
        for slot in query.slots:
            hits = [t for t in slot.alternatives if t in doc.terms or t in doc.antecedent]
            if not hits:
                continue
            matched += 1
            if matched >= 2:
                return True
            if not is_common(slot.word) and any(len(self.postings.get(t, ())) <= limit for t in hits):
                return True
        return False

    def everyday(self, word: str) -> bool:
        """Whether a (folded) word is everyday English (the lexicon's list, or WordNet's counts)."""
        return is_common(word) or corpus_count(stem(word)) >= EVERYDAY_COUNT

    def missing(self, query: Query, doc: Doc) -> float:
        """The share of the question's weight in words the course uses elsewhere, that are not everyday English,
        and that the document lacks ("Who founded Carthage?" against "Rome was founded by Romulus"): the question
        puts together things the text does not. The word naming the kind of thing asked for is not counted."""
        total = query.total or 1.0
        return sum(s.weight for s in query.slots
                   if s.known and s.word != query.kind and not self.everyday(s.word)
                   and not any(t in doc.terms or t in doc.antecedent for t in s.alternatives)) / total

    def explains(self, query: Query, doc: Doc) -> bool:
        """Whether the document holds every content word of the question (or a stand-in for it)."""
        return query.key in doc.verbatim or all(
            any(t in doc.terms or t in doc.antecedent for t in slot.alternatives) for slot in query.slots)

    def _score(self, query: Query, doc: D, total: float) -> Scored[D]:
        matched = 0.0
        context = 0.0
        around = doc.context.union(*(self.docs[j].terms for j in doc.around)) if doc.around else doc.context
        for slot in query.slots:
            best = _best(slot.alternatives, doc.terms)
            if best < 1.0 and doc.antecedent:
                best = max(best, ANTECEDENT_FACTOR * _best(slot.alternatives, doc.antecedent))
            matched += slot.weight * best
            if best < 1.0 and around:
                ctx = _best(slot.alternatives, around)
                # a word found only around the sentence (its headings, two sentences either side) counts
                # half of what it would in the sentence, and only for what the sentence itself lacks
                context += slot.weight * max(0.0, ctx - best) * 0.5
        coverage = matched / total
        if isinstance(doc, FactDoc):
            terms = query.terms
            if not doc.phrasing_weights:  # computed on first use: most facts are never scored
                doc.phrasing_weights = tuple(sum(self.idf[t] for t in p) for p in doc.phrasings)
            phr = max((self._dice(query, p, w, total) for p, w in zip(doc.phrasings, doc.phrasing_weights, strict=True)
                       if not terms.isdisjoint(p)), default=0.0)
            about = sum(s.weight for s in query.slots if any(t in doc.keywords for t in s.alternatives)) / total
            # A fact is scored by the better of two readings: the question against one phrasing the teacher
            # listed (phr: weighted Dice, extra words count against), or the question's words found anywhere in
            # the fact (coverage: its phrasings, answer, keywords and cited sentences). Words scattered over
            # the whole fact are weaker evidence than a phrasing matched as a whole, so coverage alone peaks at
            # 0.9. Agreement of both readings adds 0.1 of the lesser one (a fact matched both ways beats one
            # matched one way). Teacher keywords the question names add 0.05: enough to break a tie between
            # facts, never enough to outweigh a question word one of them lacks (2142c73). Set by hand with
            # the first matcher (928a27c), kept by every measured round since (bench/engine_figures.md).
            score = max(phr, 0.9 * coverage) + 0.1 * min(phr, coverage) + 0.05 * about
        else:
            if not doc.weight:  # computed on first use
                doc.weight = sum(self.idf[t] for t in doc.terms) or 1.0
            precision = min(1.0, matched / doc.weight)
            # A sentence is scored mostly by how much of the question's weight it holds (coverage, 0.85),
            # plus how much of its own weight the question asks about (precision, 0.15: a short sentence on
            # just this beats a long one that mentions it among other things, when coverage is about even).
            # 0.85 + 0.15 = 1: a sentence holding the question's words and nothing else scores 1 alone.
            # Words found only around it (context, already halved above) add 0.6 of that: a sentence
            # whose section or neighbours supply a missing word can rise, but a word in the sentence
            # itself always counts more (0.6 * 0.5 = 0.3 of it). Set by hand with the first matcher
            # (928a27c); the thresholds in bot.core.answering are fitted on these scores.
            score = 0.85 * coverage + 0.6 * context / total + 0.15 * precision
        if query.key not in doc.verbatim:  # the teacher's own phrasing needs no more checks
            score = min(score * _cue_of(query, doc), 1.0) * self._relation_factor(query, doc)
        return Scored(doc, min(score, 1.0))

    def fit(self, query: Query, doc: Doc) -> float:
        """0..1: whether the document can answer this kind of question at all, the markdowns _score applies
        (a "when" without a time, the other side of a relation, a "what is X" without a definition)."""
        if query.key in doc.verbatim:
            return 1.0
        return min(_cue_of(query, doc), 1.0) * self._relation_factor(query, doc)

    @staticmethod
    def _relation_factor(query: Query, doc: Doc) -> float:
        """Marked down for the other polarity or the other side of a relation, or for only
        mentioning what a "what is X" question asks to define."""
        if doc.marks is None or (query.marks.prefixed and not doc.marks.words):
            doc.marks = marks_of(doc.cue_text, keep_words=bool(query.marks.prefixed))
        f = relation_factor(query.marks, query.selecting, doc.marks)
        if query.agent and other_way_round(doc.cue_text, *query.agent):
            f *= ROLE_FACTOR
        if query.defining and not defines(doc.cue_text, query.defining):
            f *= DEFINE_FACTOR
        return f

    def _dice(self, query: Query, phrasing: frozenset[str], weight: float, total: float) -> float:
        """Weighted Dice overlap of the question and one phrasing (extra phrasing words count against)."""
        matched = 0.0
        used: set[str] = set()
        for slot in query.slots:
            hit = max(((f, t) for t, f in slot.alternatives.items() if t in phrasing), default=None)
            if hit:
                matched += slot.weight * hit[0]
                used.add(hit[1])
        if not matched:
            return 0.0
        extra = weight - sum(self.idf[t] for t in used)
        return 2 * matched / (total + matched + extra)


def _break_ties(query: Query, ranked: list[Scored[PassageDoc]], within: float = 0.03) -> list[Scored[PassageDoc]]:
    """Among passages scored (nearly) the same as the best, prefer the one using the question's own
    words as written ("is glucose used" over "using"): only those few are re-read. ``within``: scores
    this close are a tie (smaller than any one word's share of a question of a few words), and the
    written words add at most that much, so they reorder ties and nothing else."""
    if len(ranked) < 2 or ranked[0].score - ranked[1].score > within:
        return ranked
    top = ranked[0].score
    tied = [s for s in ranked if top - s.score <= within][:TIE_READS]  # re-reading is bounded too
    total = query.total

    def exact(s: Scored[PassageDoc]) -> float:
        written = set(words(s.doc.cue_text))
        return sum(slot.weight for slot in query.slots if slot.word in written) / total

    tied.sort(key=lambda s: -(s.score + within * exact(s)))
    return tied + ranked[len(tied):]


def _cue_of(query: Query, doc: Doc) -> float:
    """cue_factor of a document's text, worked out once per document and kind of cue."""
    if query.cue is None:
        return 1.0
    if isinstance(doc, FactDoc):
        if doc.asks is None:
            doc.asks = frozenset(c for c in map(question_cue, doc.ref.questions) if c)
        if query.cue in doc.asks:
            return 1.0  # the teacher lists a question of this kind ("When does Mathilde notice ...?") for the fact
    if query.cue == "number" and query.focus:  # depends on the question's own noun: not kept
        return cue_factor(query.cue, doc.cue_text, query.focus)
    if doc.cues is None:
        doc.cues = {}
    factor = doc.cues.get(query.cue)
    if factor is None:
        factor = doc.cues[query.cue] = cue_factor(query.cue, doc.cue_text)
    return factor


def _best(alternatives: dict[str, float], terms: frozenset[str]) -> float:
    best = 0.0
    for t, f in alternatives.items():
        if f > best and t in terms:
            best = f
    return best


_SUFFIXES = ("an", "ean", "ian", "ese", "ic", "ical", "al", "ly", "er", "ers", "ist", "ism", "ity", "ness", "ment",
             "tion", "ation", "ed", "ing", "s", "es", "e", "y", "ies", "ish", "ive", "ous")


def _related_form(a: str, b: str) -> bool:
    """'europ' ~ 'european', 'communist' ~ 'communism': one is the other plus a common suffix."""
    short, long_ = sorted((a, b), key=len)
    if len(short) < 4 or not long_.startswith(short[:-1]):
        return False
    rest = long_[len(short):]
    return rest in _SUFFIXES or (short[-1] != long_[len(short) - 1] and long_[len(short) - 1:] in _SUFFIXES)
