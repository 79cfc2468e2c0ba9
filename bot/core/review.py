"""The teacher's review queue: from students' real questions to a better course.

What students asked that the course could not answer, and answers they voted "not helpful", since
the last review; near-duplicates merged, most asked first; each with the nearest facts and
sentences of the course (the answer engine's own ranking). For each item the teacher adds the
question as a phrasing of a fact, drafts a new fact quoting a sentence, or dismisses it. A change
is written only if the course stays valid (bot.core.courseedit); a reviewed item never comes back.

These use cases return plain data: the terminal (`classbot review`) and any chat adapter only
parse the teacher's choice and render the result.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.core import slang
from bot.core.answering import Engine
from bot.core.courseedit import (
    DRAFTS_FILE,
    CourseEditError,
    NewFact,
    add_question,
    append_fact,
    read_text,
    write_checked,
)
from bot.core.knowledge import FACT_KEYS, cite
from bot.core.models import Course, Fact
from bot.core.safetext import clean_text
from bot.core.store import ReviewRow, ReviewStore
from bot.core.text import slug, words

# Two questions are one review item when their folded words are at least this similar (rapidfuzz's
# normalised Indel similarity, 0-100): one typo or one changed letter in a question of about 20
# characters stays above it, while a different question word ("who" / "when") falls below it.
MERGE_SIMILARITY = 90.0
NEAREST = 3  # facts and sentences shown per item


@dataclass(frozen=True, slots=True)
class NearFact:
    id: str
    question: str  # its first phrasing
    answer: str
    score: float


@dataclass(frozen=True, slots=True)
class NearPassage:
    id: str
    source_id: str
    location: str
    text: str
    score: float


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One question to review: the merged texts, how often, and what in the course is closest."""

    key: str  # stable while the item is in the queue: "q<row>" (unanswered) or "v<row>" (vote)
    question: str  # the most asked wording
    asked: int  # times asked without an answer
    unhelpful: int  # "not helpful" votes
    last_asked: float
    variants: tuple[str, ...] = ()  # the other wordings merged into this item
    voted_facts: tuple[str, ...] = ()  # facts whose answer was voted not helpful
    facts: tuple[NearFact, ...] = ()
    passages: tuple[NearPassage, ...] = ()
    unanswered_ids: tuple[int, ...] = ()
    feedback_ids: tuple[int, ...] = ()

    @property
    def count(self) -> int:
        return self.asked + self.unhelpful

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["count"] = self.count
        return data


@dataclass(frozen=True, slots=True)
class Change:
    """What a review decision did: the file written (relative to the course folder) and the text added."""

    action: str  # "phrasing", "draft" or "dismiss"
    item_key: str
    file: str | None = None
    fact_id: str | None = None
    text: str | None = None


def _folded(text: str) -> str:
    return " ".join(words(text))


def merge(rows: list[ReviewRow]) -> list[list[ReviewRow]]:
    """Near-duplicate rows grouped (each row joins the group of the first earlier row similar enough),
    groups most asked first, then most recent."""
    groups: list[list[ReviewRow]] = []
    exact: dict[str, int] = {}  # folded text -> its group
    keys: list[str] = []  # the folded text of each group's first row, for rapidfuzz
    for row in sorted(rows, key=lambda r: (-r.count, -r.last_asked, r.kind, r.row_id)):
        folded = _folded(row.question)
        at = exact.get(folded)
        if at is None and folded:
            best = process.extractOne(folded, keys, scorer=fuzz.ratio, score_cutoff=MERGE_SIMILARITY)
            at = best[2] if best else None
        if at is None:
            at = len(groups)
            groups.append([])
            keys.append(folded)
        exact.setdefault(folded, at)
        groups[at].append(row)
    groups.sort(key=lambda rs: (-sum(r.count for r in rs), -max(r.last_asked for r in rs)))
    return groups


def nearest(engine: Engine, question: str, n: int = NEAREST) -> tuple[tuple[NearFact, ...], tuple[NearPassage, ...]]:
    """The facts and sentences of the course closest to ``question``, as the engine ranks them."""
    text = slang.normalise(clean_text(question), keep=engine.index.seen)
    if not words(text):
        return (), ()
    fact_hits, passage_hits = engine.index.search(engine.index.query(text))
    facts: dict[str, NearFact] = {}
    for hit in fact_hits:
        fact = hit.doc.ref
        if fact.id not in facts and len(facts) < n:
            facts[fact.id] = NearFact(fact.id, fact.questions[0], fact.answer, round(hit.score, 3))
    passages: dict[str, NearPassage] = {}
    for passage_hit in passage_hits:
        p = passage_hit.doc.ref
        if p.id not in passages and len(passages) < n:
            passages[p.id] = NearPassage(p.id, p.source_id, p.location, p.text, round(passage_hit.score, 3))
    return tuple(facts.values()), tuple(passages.values())


def _vote_is_for(row: ReviewRow, engine: Engine, engines: list[Engine]) -> bool:
    """A vote records the fact, not the course: it belongs to the course holding the fact; a vote on
    an answer from the text, to the course whose sentences come closest to its question."""
    if row.kind != "unhelpful":
        return True
    if row.fact_id is not None:
        owners = [e for e in engines if any(f.id == row.fact_id for f in e.course.facts)]
        return engine in owners if owners else engine is engines[0]  # a fact since removed: the first course
    if len(engines) == 1:
        return True

    def best(e: Engine) -> float:
        _, passages = nearest(e, row.question, 1)
        return passages[0].score if passages else 0.0

    return max(engines, key=best) is engine


def build_queue(rows: list[ReviewRow], engine: Engine, engines: list[Engine] | None = None,
                limit: int | None = None) -> list[ReviewItem]:
    engines = engines or [engine]
    mine = [r for r in rows if _vote_is_for(r, engine, engines)]
    items = []
    for group in merge(mine)[:limit]:
        first = group[0]
        texts = list(dict.fromkeys(r.question for r in group))
        facts, passages = nearest(engine, first.question)
        items.append(ReviewItem(
            key=f"{'q' if first.kind == 'unanswered' else 'v'}{first.row_id}",
            question=first.question,
            asked=sum(r.count for r in group if r.kind == "unanswered"),
            unhelpful=sum(r.count for r in group if r.kind == "unhelpful"),
            last_asked=max(r.last_asked for r in group),
            variants=tuple(texts[1:]),
            voted_facts=tuple(dict.fromkeys(r.fact_id for r in group if r.kind == "unhelpful" and r.fact_id)),
            facts=facts, passages=passages,
            unanswered_ids=tuple(r.row_id for r in group if r.kind == "unanswered"),
            feedback_ids=tuple(r.row_id for r in group if r.kind == "unhelpful"),
        ))
    return items


async def review_queue(store: ReviewStore, engine: Engine, engines: list[Engine] | None = None,
                       limit: int | None = None) -> list[ReviewItem]:
    """The course's items not reviewed yet, most asked first."""
    return build_queue(await store.review_rows(engine.course.id), engine, engines, limit)


def find_item(items: list[ReviewItem], ref: str) -> ReviewItem:
    """An item by its number in the queue (1 = first) or its key ("q12")."""
    ref = ref.strip()
    if ref.isdigit() and 1 <= int(ref) <= len(items):
        return items[int(ref) - 1]
    for item in items:
        if item.key == ref:
            return item
    raise CourseEditError(f"no item {ref!r} in the review queue (see `classbot review --json`)")


async def _reviewed(store: ReviewStore, item: ReviewItem) -> None:
    await store.mark_reviewed(item.unanswered_ids, item.feedback_ids)


async def dismiss(store: ReviewStore, item: ReviewItem) -> Change:
    await _reviewed(store, item)
    return Change("dismiss", item.key)


def fact_file(course: Course, fact: Fact) -> Path:
    """The file a fact was read from, as a path relative to the course folder."""
    folder = Path(course.folder).resolve()
    given = Path(fact.file)
    for candidate in (given, Path.cwd() / given, folder.parent / given):
        try:
            return candidate.resolve().relative_to(folder)
        except ValueError:
            continue
    raise CourseEditError(f"cannot find the file of fact '{fact.id}' in the course folder")


async def add_phrasing(store: ReviewStore, course: Course, item: ReviewItem, fact_id: str,
                       phrasing: str | None = None) -> Change:
    """Add the item's question (or ``phrasing``) to fact ``fact_id``'s questions, in its own file, in
    place; refused (nothing written, item kept) when the course would not be valid."""
    try:
        fact = course.fact(fact_id)
    except KeyError:
        raise CourseEditError(f"the course has no fact '{fact_id}'") from None
    text = " ".join(clean_text(phrasing or item.question).split())
    if not text:
        raise CourseEditError("the phrasing is empty")
    rel = fact_file(course, fact)
    path = Path(course.folder) / rel
    old = read_text(path)
    if old is None:
        raise CourseEditError(f"the file of fact '{fact_id}' is gone: reload the course")
    write_checked(course.folder, rel, add_question(old, fact_id, text, str(rel)))
    await _reviewed(store, item)
    return Change("phrasing", item.key, str(rel), fact_id, text)


def _new_id(course: Course, question: str) -> str:
    base = slug(question)[:48].strip("-") or "fact"
    taken = {f.id for f in course.facts}
    fid, n = base, 2
    while fid in taken:
        fid, n = f"{base}-{n}", n + 1
    return fid


async def draft_fact(store: ReviewStore, course: Course, item: ReviewItem, passage_id: str,
                     answer: str | None = None, question: str | None = None) -> Change:
    """Draft a new fact for the item: its question, ``answer`` (default: the sentence itself) and the
    sentence ``passage_id`` as the verified quote, written to facts/review-drafts.yaml (marked
    ``draft: true`` where the course format knows drafts); refused when the course would not be valid."""
    passage = next((p for p in course.passages if p.id == passage_id), None)
    if passage is None:
        raise CourseEditError(f"the course has no sentence '{passage_id}'")
    source = course.source(passage.source_id)
    if cite(source, course.passages, passage.text) is None:  # verified like every quote
        raise CourseEditError(f"the sentence {passage.location} cannot be quoted from its source")
    q = " ".join(clean_text(question or item.question).split())
    fact = NewFact(
        id=_new_id(course, q), questions=(q,), answer=" ".join(clean_text(answer or passage.text).split()),
        quote=passage.text, source=source.id,
        draft="draft" in FACT_KEYS,
    )
    path = Path(course.folder) / DRAFTS_FILE
    write_checked(course.folder, DRAFTS_FILE, append_fact(read_text(path), fact))
    await _reviewed(store, item)
    return Change("draft", item.key, DRAFTS_FILE, fact.id, q)


__all__ = [
    "Change",
    "MERGE_SIMILARITY",
    "NearFact",
    "NearPassage",
    "ReviewItem",
    "add_phrasing",
    "build_queue",
    "dismiss",
    "draft_fact",
    "fact_file",
    "find_item",
    "merge",
    "nearest",
    "review_queue",
]
