"""The answer engine: a question in, an Answer out (a cited fact, a cited passage, or an honest 'not covered').

It never writes text of its own about the subject: answers are the teacher's fact answers or
sentences of the source, and every answer carries its verbatim citation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.core import chatter, slang
from bot.core.analyzer import ALIAS_PREFIX
from bot.core.followup import FOLLOW_UP_CONFIDENCE
from bot.core.knowledge import citation_for
from bot.core.lexicon import is_common
from bot.core.matching import FactDoc, Index, PassageDoc, Query, Scored
from bot.core.meaning import Meanings, NearWords, VectorCache, fact_texts, passage_texts, too_large
from bot.core.models import Answer, Course, Fact, Passage, Topic
from bot.core.reading import Reading
from bot.core.sequence import AFTER, OrderQuestion, TextOrder, order_question, relation_clauses
from bot.core.text import words

MAX_QUESTION_CHARS = 2000  # longer input is cut before matching (a question, not an essay)

# Calibration (see README, "Answer quality"): a fact or passage answers when its score reaches
# the threshold; below, the bot says the course does not cover the question.
FACT_THRESHOLD = 0.68
PASSAGE_THRESHOLD = 0.46
_RESULT_OPENING = re.compile(r"^\W*(?:as a result|so\b|therefore|thus|consequently|because of this|this meant|this led|"
                             r"for this reason|that is why|this is why|hence)", re.IGNORECASE)
_REASON = re.compile(r"\b(?:because|since|due to|as a result of|in order to|so that|the reason|caused by|led to|owing to)\b",
                     re.IGNORECASE)
# A candidate scored below MISSING_BELOW that lacks more than MISSING_SHARE of the question's weight in rare
# words the course uses elsewhere is not an answer (bot.core.matching.Index.missing): fit on bench/tuning (the
# SQuAD-like out-of-scope questions that reuse a course's words) and the bundled development set, 0.6/0.15
# against 0.7/0.15, 0.7/0.3 and no score limit; see bench/tuning/README.md.
MISSING_BELOW = 0.6
MISSING_SHARE = 0.15
# Meaning (bot.core.meaning) beside words: each document scores its word score (0..1) plus the cosine of its
# sentence vector with the question's. Fit on bench/tuning, the bundled development set and SQuAD's article
# together (grid of weight, answer level, minimum closeness, lead and floor; see bench/tuning/README.md,
# engine round 4), never on eval/.
MEANING_POOL = 50  # word-scored candidates kept for the weighing
MEANING_MIN_WORDS = 2  # content words a question needs before meaning is weighed
MEANING_MIN_SENTENCE = 3  # words (any) a question the words found too vague needs before meaning may answer it
MEANING_REREAD = 10  # the best few by words + meaning are weighed again with Index.fit
MEANING_ANSWERS = 1.05  # a question the words declined is answered when words + meaning reach this ...
MEANING_CLOSE = 0.5  # ... and the document alone is this close in meaning ...
MEANING_ADD_LEAD = 0.12  # ... and this far ahead of the next document that cites something else
MEANING_MISSING = 0.3  # ... and it lacks no more than this share of the question's rare course words (Index.missing)
# ... or, standing far ahead of every other document, from a lower sum: a story's notes are long sentences
# that share few words with a question and score lower on both (bench/tuning/README.md, round 5)
MEANING_FAR_LEAD = 0.25
MEANING_FAR_ANSWERS = 0.85
MEANING_FAR_CLOSE = 0.55
MEANING_FAR_MISSING = 0.45
MEANING_LEAD = 0.1  # a document this far ahead of the words' pick replaces it
MEANING_UNRELATED = 0.42  # the words' pick is declined when it is no closer in meaning than this ...
MEANING_WORDS_SURE = 0.8  # ... unless its word score reaches this
MEANING_CONFIDENCE = 0.7  # the most an answer chosen with meaning's help claims
MEANING_DOUBT = 0.1  # the words' pick is this much further in meaning than another answer: not claimed as sure
UNKNOWN_WORD_CONFIDENCE = 0.7  # the most an answer can claim when the question holds a word the course lacks
UNEXPLAINED_CONFIDENCE = 0.75  # the most an answer can claim when it does not hold every word of the question
CLOSE_CALL = 0.04  # two different answers within this score: offer the runner-up as a suggestion


@dataclass(frozen=True, slots=True)
class Notices:
    empty: str = "Ask me a question about the course, for example: {example}"
    greeting: str = "Hello! I answer questions about {course}. Try: {example}"
    not_covered: str = "That is not in the course notes for {course}, so I can't answer it."
    vague: str = "I'm not sure which part of the course you mean. Could you ask more precisely?"


class Engine:
    """Indexes one course once; answers any number of questions."""

    def __init__(self, course: Course, notices: Notices = Notices(), vectors: VectorCache | None = None):
        self.course = course
        self.index = Index.build(course)
        self.notices = notices
        self.order = TextOrder(course.passages)  # the sentence after or before another (follow-ups, "what happens after")
        vectors = vectors or VectorCache(None)
        self.meanings = None if too_large(len(self.index.docs)) else Meanings.build(
            course.id, [fact_texts(d.ref) if isinstance(d, FactDoc) else passage_texts(d) for d in self.index.docs], vectors)
        self._position_of = {id(doc): i for i, doc in enumerate(self.index.docs)} if self.meanings else {}
        self.near = None if self.meanings is None else NearWords.build(
            course.id, [w for w in self.index.vocab if w.isalpha() and len(w) >= 3], vectors)
        self.reading = Reading(course, self.index.seen)

    # -- asking ---------------------------------------------------------------------------------
    def ask(self, question: str) -> Answer:
        question = question if isinstance(question, str) else str(question)
        text = _clean(question)[:MAX_QUESTION_CHARS]
        shown = question.strip()[:MAX_QUESTION_CHARS]
        ws = words(text)
        kind = chatter.classify(text, ws)
        if kind is not None:  # talk, not a question: never answered with a fact
            return self._chatter(shown, kind)
        text = slang.normalise(text, keep=self.index.seen)
        ws = words(text)
        if not ws:
            return self._abstain(shown, "empty", self.notices.empty.format(example=self._example()), ())
        kind = chatter.classify(text, ws)  # "thx bro", "ty sooo much"
        if kind is not None:
            return self._chatter(shown, kind)
        query = self.index.query(text, self.near)
        if all(is_common(slot.word) and not slot.known for slot in query.slots):  # "tell me more"
            return self._abstain(shown, "vague", self.notices.vague, self._suggest(*self.index.search(query)))
        facts, passages = self.index.search(query, limit=MEANING_POOL)
        answer, chosen = self._by_words(shown, query, facts, passages)
        # never over a bare word ("khrushchev": a sentence encoder reads sentences); over a question too vague for
        # the words only when it is a sentence ("where r most volcanoes" in a course on volcanoes)
        if self.meanings is not None and (answer.reason in (None, "not_covered") and len(query.slots) >= MEANING_MIN_WORDS
                                          or answer.reason == "vague" and len(ws) >= MEANING_MIN_SENTENCE):
            close = self.meanings.closeness(self.reading.of(text, query.fixed))
            answer = self._weigh_meaning(shown, close, query, facts, passages, answer, chosen)
        order = order_question(text)
        return answer if order is None else self._in_order(shown, order, answer, passages)

    def _in_order(self, shown: str, order: OrderQuestion, answer: Answer, passages: list[Scored[PassageDoc]]) -> Answer:
        """"what happens after the third wish": a sentence that says what happened after the event ("After the
        storm, the town ..."), else the sentence after (or before) the one that tells the event, else ``answer``."""
        event = set(self.index.analyzer.terms(order.event))
        if answer.answered and self._tells_order(answer.citations[0].quote, order.relation, event):
            return answer
        for hit in passages[:MEANING_REREAD]:
            if self._tells_order(hit.doc.ref.text, order.relation, event):
                return replace(self._from_passage(shown, hit, []), confidence=MEANING_CONFIDENCE)
        told = self._event_sentences(order.event)
        if not told:
            return answer
        neighbour = self.order.after(told[-1], set(told)) if order.relation == AFTER else self.order.before(told[0])
        if neighbour is None:
            return answer
        return replace(self._best_for_passage(shown, neighbour, set()), confidence=MEANING_CONFIDENCE)

    def _tells_order(self, text: str, relation: str, event: set[str]) -> bool:
        """Whether a sentence says what came after (or before) every word of the event: "After the storm, ..."."""
        return bool(event) and any(event <= set(self.index.analyzer.terms(said)) for said in relation_clauses(text, relation))

    def _event_sentences(self, event: str) -> tuple[str, ...]:
        """The passage ids of the sentence(s) that tell an event ("the third wish"): those of the best document by
        words and meaning together, when its words match or it is close to the event in meaning."""
        query = self.index.query(event, self.near)
        facts, passages = self.index.search(query, limit=MEANING_POOL)
        hits: list[Scored[FactDoc]] | list[Scored[PassageDoc]]
        if self.meanings is None:
            for hits, threshold in ((facts, FACT_THRESHOLD), (passages, PASSAGE_THRESHOLD)):
                if hits and hits[0].score >= threshold:
                    return _passage_ids(hits[0].doc)
            return ()
        close = self.meanings.closeness(event)
        words_score = self._word_scores(facts, passages)
        best = max(range(len(self.index.docs)), key=lambda i: words_score.get(i, 0.0) + float(close[i]))
        threshold = FACT_THRESHOLD if isinstance(self.index.docs[best], FactDoc) else PASSAGE_THRESHOLD
        if words_score.get(best, 0.0) < threshold and close[best] < MEANING_CLOSE:
            return ()
        return _passage_ids(self.index.docs[best])

    def _by_words(self, shown: str, query: Query, facts: list[Scored[FactDoc]],
                  passages: list[Scored[PassageDoc]]) -> tuple[Answer, FactDoc | PassageDoc | None]:
        """The word matcher's answer and the document it cites (None when it declines)."""
        if facts and passages and passages[0].score >= PASSAGE_THRESHOLD and self._explains_better(query, passages[0], facts[0]):
            facts = []  # "what did the first owner wish for": the sentence that says it, not a fact on the first wish
        hits: list[Scored[FactDoc]] | list[Scored[PassageDoc]]
        for hits, threshold in ((facts, FACT_THRESHOLD), (passages, PASSAGE_THRESHOLD)):
            if hits and hits[0].score >= threshold:
                if hits[0].score < MISSING_BELOW and self.index.missing(query, hits[0].doc) > MISSING_SHARE:
                    continue  # it does not say what the question puts together: perhaps a passage does
                if self.index.specific(query, hits[0].doc):
                    if hits is facts:  # a sentence the fact does not cite, scored close to it, is a runner-up too
                        answer = self._from_fact(shown, facts[0], facts[1:])
                        cited = _cited(facts[0])
                        rivals = [p for p in passages if p.doc.ref.id not in cited][:1]
                        answer = replace(answer, confidence=min(answer.confidence, _confidence(facts[0], rivals)))
                    else:
                        answer = self._from_passage(shown, passages[0], passages[1:])
                    if hits is facts and self._answer_only(query, facts[0]):
                        # "what did caesar do as emperor": "Caesar" is only in the teacher's answer ("Caesar's adopted
                        # son"), not in what the fact quotes or the questions it lists (measured, bench/tuning: one
                        # confident wrong answer fewer, no confident right one lost)
                        answer = replace(answer, confidence=min(answer.confidence, UNEXPLAINED_CONFIDENCE))
                    answer = replace(answer, confidence=min(answer.confidence, self._confidence_cap(query, hits[0].doc)))
                    return answer, hits[0].doc
                return self._abstain(shown, "vague", self.notices.vague, self._suggest(facts, passages)), None
        return self._abstain(shown, "not_covered", self.notices.not_covered.format(course=self.course.title),
                             self._suggest(facts, passages)), None

    def _confidence_cap(self, query: Query, doc: FactDoc | PassageDoc) -> float:
        if any(not slot.known and not is_common(slot.word) for slot in query.slots):
            return UNKNOWN_WORD_CONFIDENCE  # a rare word the course never uses: perhaps the question is about something else
        if not self.index.explains(query, doc):
            return UNEXPLAINED_CONFIDENCE  # "how do u become a volcanologist": the answer leaves a word of the question unexplained
        return 1.0

    def _weigh_meaning(self, shown: str, close: npt.NDArray[np.float32], query: Query, facts: list[Scored[FactDoc]],
                       passages: list[Scored[PassageDoc]], answer: Answer, chosen: FactDoc | PassageDoc | None) -> Answer:
        """Weigh each document's word score plus its closeness in meaning (bot.core.meaning): answer what the
        words alone missed, take a clearly better-meant document over the words' pick, and decline a pick
        that means something else entirely. Closeness counts only as far as the document can answer this kind
        of question (a "when" needs a time, a "what is X" a definition: Index.fit). ``close``: each document's
        closeness in meaning to the question (Meanings.closeness)."""
        words_score = self._word_scores(facts, passages)
        rough = close.astype(np.float64)
        for i, score in words_score.items():
            rough[i] += score
        mine = self._position_of[id(chosen)] if chosen is not None else None
        reread = {int(i) for i in np.argsort(-rough)[:MEANING_REREAD]} | ({mine} if mine is not None else set())
        both = {i: words_score.get(i, 0.0) + float(close[i]) * self.index.fit(query, self.index.docs[i]) for i in reread}
        best = max(both, key=both.__getitem__)
        if mine is None:
            lead, missing = self._lead(best, both), self.index.missing(query, self.index.docs[best])
            if (both[best] >= MEANING_ANSWERS and close[best] >= MEANING_CLOSE and lead >= MEANING_ADD_LEAD
                    and missing <= MEANING_MISSING) or (both[best] >= MEANING_FAR_ANSWERS and close[best] >= MEANING_FAR_CLOSE
                                                        and lead >= MEANING_FAR_LEAD and missing <= MEANING_FAR_MISSING
                                                        and self._plainly_answers(query, self.index.docs[best])):
                return self._meant(shown, best, both)
            return answer
        if close[mine] < MEANING_UNRELATED and words_score.get(mine, 0.0) < MEANING_WORDS_SURE:
            return self._abstain(shown, "not_covered", self.notices.not_covered.format(course=self.course.title),
                                 answer.suggestions or self._suggest(facts, passages))
        same = bool(_sentences(self.index.docs[best]) & _sentences(self.index.docs[mine]))  # a fact quoting the words' sentence, or the other way round
        if best != mine and both[best] - both[mine] >= MEANING_LEAD and not same:
            return self._meant(shown, best, both)
        says = _sentences(self.index.docs[mine])
        other = next((int(i) for i in np.argsort(-close) if not (_sentences(self.index.docs[i]) & says)), mine)
        if close[other] - close[mine] >= MEANING_DOUBT:  # "how old is herbert": the words agree, another sentence means it more
            return replace(answer, confidence=min(answer.confidence, UNEXPLAINED_CONFIDENCE))
        return answer

    def _word_scores(self, facts: list[Scored[FactDoc]], passages: list[Scored[PassageDoc]]) -> dict[int, float]:
        """The word matcher's score of each shortlisted document, by its place in the index (the row of ``close``)."""
        scores = {self._position_of[id(hit.doc)]: hit.score for hit in facts}
        scores.update((self._position_of[id(hit.doc)], hit.score) for hit in passages)
        return scores

    def _plainly_answers(self, query: Query, doc: FactDoc | PassageDoc) -> bool:
        """Whether a document can answer this kind of question (a "why" a reason, a "when" a time) and the
        question holds no rare word the course never uses ("how do volcanologists predict eruptions")."""
        return self.index.fit(query, doc) >= 1.0 and all(slot.known or self.index.everyday(slot.word) for slot in query.slots)

    def _meant(self, shown: str, best: int, both: dict[int, float]) -> Answer:
        """The answer from document ``best``, chosen with meaning's help. Its confidence grows with its lead
        over the next document that cites something else, and stays below MEANING_CONFIDENCE."""
        doc = self.index.docs[best]
        confidence = round(min(MEANING_CONFIDENCE, 0.4 + self._lead(best, both)), 3)
        if isinstance(doc, FactDoc):
            return replace(self._fact_answer(shown, doc.ref), confidence=confidence)
        return replace(self._from_passage(shown, Scored(doc, confidence), []), confidence=confidence)

    def _lead(self, best: int, both: dict[int, float]) -> float:
        """How far document ``best`` is ahead of the next one that cites something else."""
        mine = _sentences(self.index.docs[best])
        return both[best] - max((v for i, v in both.items() if i != best and not (_sentences(self.index.docs[i]) & mine)),
                                default=0.0)

    def _answer_only(self, query: Query, hit: Scored[FactDoc]) -> bool:
        """Whether a word of the question is matched only by the fact's answer, not by its quote, its listed
        questions or its keywords."""
        fact = hit.doc.ref
        rest = set().union(*hit.doc.phrasings) | hit.doc.keywords
        rest |= set(self.index.analyzer.terms(fact.citation.quote))
        return any(slot.known and not any(t in rest for t in slot.alternatives) for slot in query.slots)

    def _explains_better(self, query: Query, passage: Scored[PassageDoc], fact: Scored[FactDoc]) -> bool:
        """Whether a sentence the fact does not cite holds every word of the question and the fact does not
        (measured, bench/tuning: one more right answer; a fixed score lead of 0.15 did the same)."""
        return (passage.doc.ref.id not in _cited(fact)
                and self.index.explains(query, passage.doc) and not self.index.explains(query, fact.doc))

    def _from_fact(self, question: str, hit: Scored[FactDoc], others: list[Scored[FactDoc]]) -> Answer:
        fact = hit.doc.ref
        close = [o for o in others if hit.score - o.score <= CLOSE_CALL and o.doc.ref.citation.quote != fact.citation.quote]
        return Answer(
            question=question, answered=True, text=fact.answer, confidence=_confidence(hit, others),
            citations=(fact.citation,), fact_id=fact.id,
            suggestions=tuple(o.doc.ref.questions[0] for o in close[:2]), course_id=self.course.id,
        )

    def _from_passage(self, question: str, hit: Scored[PassageDoc], others: list[Scored[PassageDoc]]) -> Answer:
        passage = hit.doc.ref
        source = self.course.source(passage.source_id)
        citation = citation_for(source, [passage])
        return Answer(
            question=question, answered=True, text=passage.text, confidence=_confidence(hit, others),
            citations=(citation,), fact_id=None, course_id=self.course.id,
        )

    def _chatter(self, question: str, kind: str) -> Answer:
        template = self.notices.greeting if kind == chatter.GREETING else chatter.NOTICES[kind]
        return self._abstain(question, kind, template.format(course=self.course.title, example=self._example()), ())

    def _abstain(self, question: str, reason: str, notice: str, suggestions: tuple[str, ...]) -> Answer:
        return Answer(question=question, answered=False, text=None, confidence=0.0, suggestions=suggestions,
                      notice=notice, reason=reason, course_id=self.course.id)

    def _suggest(self, facts: list[Scored[FactDoc]], passages: list[Scored[PassageDoc]]) -> tuple[str, ...]:
        out: list[str] = []
        for s in facts:
            if s.score > 0.15 and s.doc.ref.questions[0] not in out:
                out.append(s.doc.ref.questions[0])
        if not out:
            for p in passages:
                if p.score > 0.15:
                    out.append(_short(p.doc.ref.text))
        if not out and self.course.facts:
            out = [t.examples[0] for t in self.topics() if t.examples][:3]
        return tuple(out[:3])

    def _example(self) -> str:
        if self.course.facts:
            return f"\u201c{self.course.facts[0].questions[0]}\u201d"
        return f"\u201cWhat does the text say about {self.course.title}?\u201d"

    # -- follow-ups (see bot.core.followup) ------------------------------------------------------
    def continuation(self, previous: Answer, shown: set[str], question: str, related_first: bool = True) -> Answer | None:
        """What comes after ``previous``: a related fact not shown yet (when ``related_first``), else
        the next sentence of the text (as the teacher's fact citing it, when there is one)."""
        related = self._related(previous, shown) if related_first else []
        if related:
            return self._fact_answer(question, related[0])
        if not previous.citations or not previous.citations[0].passage_ids:
            return None
        after = self.order.after(previous.citations[0].passage_ids[-1], shown)
        return self._best_for_passage(question, after, shown) if after else None

    def reason_for(self, previous: Answer, shown: set[str], question: str) -> Answer | None:
        """Why ``previous`` happened: the sentence before it when it opens with a result ("As a
        result ..."), else a related fact or a neighbouring sentence that gives a reason."""
        if not previous.citations or not previous.citations[0].passage_ids:
            return None
        ids = previous.citations[0].passage_ids
        before = self.order.before(ids[0])
        if _RESULT_OPENING.match(previous.citations[0].quote) and before is not None:
            return self._best_for_passage(question, before, shown)
        for fact in self._related(previous, shown):
            if _REASON.search(f"{fact.answer} {fact.citation.quote}"):
                return self._fact_answer(question, fact)
        for p in (before, self.order.after(ids[-1], set())):
            if p is not None and p.id not in shown and _REASON.search(p.text):
                return self._best_for_passage(question, p, shown)
        return None

    def replace_subject(self, question: str, subject: str) -> str:
        """``question`` asked about ``subject`` instead: its first name (an alias of the course, or
        a word written with a capital) replaced, else ``subject`` added ("who won" + "khrushchev")."""
        tokens = self.index.analyzer.tokens(question)
        for n, (_, term) in enumerate(tokens):
            if term.startswith(ALIAS_PREFIX):
                return " ".join([w for w, _ in tokens[:n]] + [subject] + [w for w, _ in tokens[n + 1:]])
        parts = question.split()
        for n, part in enumerate(parts[1:], 1):
            if part[:1].isupper():
                return " ".join(parts[:n] + [subject] + parts[n + 1:])
        return f"{question} {subject}"

    def for_course(self, course_id: str) -> Engine | None:
        return self if course_id in ("", self.course.id) else None

    def _related(self, previous: Answer, shown: set[str]) -> list[Fact]:
        if not previous.fact_id:
            return []
        try:
            fact = self.course.fact(previous.fact_id)
        except KeyError:
            return []
        out = []
        for rid in fact.related:
            if rid in shown:
                continue
            try:
                out.append(self.course.fact(rid))
            except KeyError:
                continue
        return out

    def _best_for_passage(self, question: str, passage: Passage, shown: set[str]) -> Answer:
        """The teacher's fact citing this very sentence, when there is one not shown yet; else the sentence."""
        for fact in self.course.facts:
            if fact.citation.passage_ids == (passage.id,) and fact.id not in shown:
                return self._fact_answer(question, fact)
        source = self.course.source(passage.source_id)
        return Answer(question=question, answered=True, text=passage.text, confidence=FOLLOW_UP_CONFIDENCE,
                      citations=(citation_for(source, [passage]),), course_id=self.course.id)

    def _fact_answer(self, question: str, fact: Fact) -> Answer:
        return Answer(question=question, answered=True, text=fact.answer, confidence=FOLLOW_UP_CONFIDENCE,
                      citations=(fact.citation,), fact_id=fact.id, course_id=self.course.id)

    # -- topics ---------------------------------------------------------------------------------
    def topics(self) -> list[Topic]:
        """Units (or, without units, tags; or the sections of the text) with example questions."""
        groups: dict[str, list[Fact]] = {}
        for f in self.course.facts:
            groups.setdefault(f.unit or (f.tags[0] if f.tags else "general"), []).append(f)
        if groups:
            titles = dict(self.course.units)
            order = [u for u, _ in self.course.units if u in groups] + [k for k in groups if k not in titles]
            return [
                Topic(k, titles.get(k) or k.replace("-", " ").capitalize(), len(groups[k]), tuple(f.questions[0] for f in groups[k][:3]))
                for k in order
            ]
        sections: dict[tuple[str, ...], list[Passage]] = {}
        for p in self.course.passages:
            sections.setdefault(p.section, []).append(p)
        return [Topic(" › ".join(s) or "text", " › ".join(s) or self.course.title, len(ps), ()) for s, ps in sections.items()]


def _cited(hit: Scored[FactDoc] | Scored[PassageDoc]) -> set[str]:
    """The passages a fact cites (none for a passage)."""
    ref = hit.doc.ref
    return set(ref.citation.passage_ids) if isinstance(ref, Fact) else set()


def _passage_ids(doc: FactDoc | PassageDoc) -> tuple[str, ...]:
    return doc.ref.citation.passage_ids if isinstance(doc, FactDoc) else (doc.ref.id,)


def _sentences(doc: FactDoc | PassageDoc) -> set[str]:
    """The source sentences a document answers with: those a fact cites, or the passage itself."""
    return set(_passage_ids(doc))


def _confidence(hit: Scored[FactDoc] | Scored[PassageDoc], others: Sequence[Scored[FactDoc] | Scored[PassageDoc]]) -> float:
    """0..1: how far the match clears the fact threshold, and how far it is ahead of the runner-up.
    A match that only just clears the threshold stays below 0.8 however alone it is."""
    if hit.score < FACT_THRESHOLD:
        return round(hit.score, 3)
    runner = others[0].score if others else 0.0
    margin = min(max(0.0, hit.score - runner), 0.2) / 0.2
    clear = (hit.score - FACT_THRESHOLD) / (1.0 - FACT_THRESHOLD)
    return round(min(1.0, 0.45 + 0.3 * clear + 0.25 * margin), 3)


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"<[@#!&][^>]*>|(?<!\w)@[\w.-]+", " ", text)  # mentions (<@U1>, @everyone) are not part of the question
    text = "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\n\t" else " " for ch in text)
    return text.strip()


def _short(text: str, limit: int = 80) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + "\u2026"


class MultiEngine:
    """Several courses at once: each question goes to every course; the most confident answer wins."""

    def __init__(self, engines: list[Engine]):
        self.engines = engines
        self.course = engines[0].course

    def ask(self, question: str) -> Answer:
        answers = [e.ask(question) for e in self.engines]
        answered = [a for a in answers if a.answered]
        if answered:
            return max(answered, key=lambda a: a.confidence)
        merged = tuple(dict.fromkeys(s for a in answers for s in a.suggestions))[:3]
        # one course finding it vague means it touched that course; a gap only when every course lacks it
        main = next((a for a in answers if a.reason == "vague"), None) or next((a for a in answers if a.suggestions), answers[0])
        return Answer(main.question, False, None, 0.0, suggestions=merged, notice=main.notice, reason=main.reason,
                      course_id=main.course_id)

    def topics(self) -> list[Topic]:
        return [t for e in self.engines for t in e.topics()]

    def for_course(self, course_id: str) -> Engine | None:
        return next((e for e in self.engines if e.course.id == course_id), None)


def load_engine(path: str | Path, vectors: VectorCache | None = None) -> Engine | MultiEngine:
    """The engine for a course folder, a single text file, or a folder of courses.
    ``vectors``: where to keep the courses' sentence vectors between runs (None: in memory only)."""
    from bot.core.knowledge import load_courses

    engines = [Engine(c, vectors=vectors) for c in load_courses(path)]
    return engines[0] if len(engines) == 1 else MultiEngine(engines)
