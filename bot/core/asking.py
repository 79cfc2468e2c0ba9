"""Asking a question, the same on every platform: the engine answers, the gap is recorded.

A question the course does not cover is kept for the teacher (with the asker's id only when the
settings allow it). The store is waited for a bounded time: a locked or slow database must not
cost the student their answer, and a failing one is logged, never raised.

Every question is cleaned first (control and bidi characters removed, see bot.core.safetext), and
the engine runs in a worker thread, never on the event loop: the loop also carries the gateway
heartbeat and every other student's question, and one question that is slow to match must not
stall them. Questions are matched by at most ``ENGINE_WORKERS`` threads at once; more wait their
turn without holding up the loop.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from bot.core.activity import count_question
from bot.core.answering import Engine, MultiEngine
from bot.core.courses import CourseLibrary, as_library
from bot.core.followup import Conversations
from bot.core.models import Answer, Course, TriviaRound
from bot.core.observe import NULL_OBSERVER, Observer
from bot.core.safetext import clean_text
from bot.core.store import Store
from bot.core.trivia.answers import normalize

log = logging.getLogger(__name__)
T = TypeVar("T")

STORE_WAIT = 1.0  # seconds of bookkeeping an answer may wait for
ELLIPSIS = "…"
# Matching is pure Python, so threads share one core (the GIL): more workers would not answer
# faster, but two let a quick question finish while a slow one is still being matched.
ENGINE_WORKERS = 2

__all__ = ["AskService", "full_question", "states_answer", "STORE_WAIT", "ENGINE_WORKERS"]


class AskService:
    def __init__(
        self,
        engine: Engine | MultiEngine | CourseLibrary,  # a CourseLibrary: each channel's course
        store: Store | None,
        platform: str,
        *,
        record_asker_ids: bool = False,
        course_id: str = "",
        store_wait: float = STORE_WAIT,
        observer: Observer = NULL_OBSERVER,
    ):
        self.engine = engine
        self.library = as_library(engine)
        self.store = store
        self.platform = platform
        self.record_asker_ids = record_asker_ids
        self.course_id = course_id or getattr(getattr(engine, "course", None), "id", "") or ""
        self.store_wait = store_wait
        self.observer = observer  # told about every answer and its latency (bot.core.observe)
        self._background: set[asyncio.Task[Any]] = set()
        self._executor: ThreadPoolExecutor | None = None
        self.conversations = Conversations()  # "why?", "tell me more" right after an answer

    async def ask(
        self, question: str, *, guild_id: str | None, channel_id: str | None, user_id: str | None
    ) -> Answer:
        """The engine's answer (engine errors propagate); a not-covered question is recorded."""
        started = time.perf_counter()
        try:
            answer = await self._ask(question, guild_id=guild_id, channel_id=channel_id, user_id=user_id)
        except Exception:
            self.observer.question_failed(self.platform, time.perf_counter() - started)
            raise
        self.observer.question_answered(self.platform, answer, time.perf_counter() - started)
        return answer

    async def _ask(
        self, question: str, *, guild_id: str | None, channel_id: str | None, user_id: str | None
    ) -> Answer:
        question = clean_text(question)
        engine = await self.engine_for(guild_id, channel_id)
        answer = await self.answer(question, (guild_id, channel_id, user_id) if user_id else None, engine)
        course_id = getattr(getattr(engine, "course", None), "id", "") or self.course_id
        await self.bounded(count_question(self.store, self.platform, guild_id, engine, answer, course_id))
        if answer.answered and guild_id is not None:
            held = await self.bounded(self._hold_back_trivia(answer, guild_id))
            if held is not None:
                return held
        if answer.is_gap:  # not greetings, empty or vague messages: only what the course lacks
            await self.bounded(self._record_unanswered(answer, question, guild_id, channel_id, user_id))
        return answer

    async def engine_for(self, guild_id: str | None, channel_id: str | None) -> Engine | MultiEngine | CourseLibrary:
        """The engine of the course bound to this channel (else its server, else the default).
        A store that fails or is slow costs the student nothing: the default course answers."""
        if self.library is None:
            return self.engine
        try:
            engine = await self.bounded(self.library.engine_for(self.store, self.platform, guild_id, channel_id))
        except Exception as e:
            log.warning("could not read which course this channel uses: %s", e)
            engine = None
        return engine if engine is not None else self.library.default_engine()

    async def answer(
        self, question: str, asker: tuple[str | None, str | None, str] | None = None,
        engine: Engine | MultiEngine | CourseLibrary | None = None,
    ) -> Answer:
        """The engine's answer to ``question``, computed in a worker thread (the loop runs on); with an
        ``asker``, a follow-up ("why?", "tell me more") refers to that asker's previous answer.
        ``engine`` is taken once: a course reloaded meanwhile serves the next question, not this one."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(ENGINE_WORKERS, thread_name_prefix="classbot-engine")
        if engine is None:
            engine = self.library.default_engine() if self.library is not None else self.engine
        loop = asyncio.get_running_loop()
        answer: Answer = await loop.run_in_executor(self._executor, self.conversations.ask, engine, asker, question)
        return answer

    def close(self) -> None:
        """Let the worker threads end once the questions they hold are answered."""
        if self._executor is not None:
            self._executor.shutdown(wait=False)
            self._executor = None

    async def _hold_back_trivia(self, answer: Answer, guild_id: str) -> Answer | None:
        """While a trivia round is open in this server, an answer citing what it asks about, or stating
        its answer (an imported quiz item has no passage of its own, but the course text may still name
        its answer), would give it away: say so instead, and keep it for the reveal."""
        if self.store is None or not answer.citations:
            return None
        cited = set(answer.citations[0].passage_ids)
        try:
            rounds = await self.store.open_rounds(self.platform, guild_id)
        except Exception as e:  # the store failing must not cost the student an answer
            log.warning("could not check the open trivia rounds: %s", e)
            return None
        for trivia_round in rounds:
            course = self._round_course(trivia_round)
            try:
                fact = course.fact(trivia_round.item_id) if course is not None else None
            except KeyError:
                fact = None
            if (
                trivia_round.item_id == answer.fact_id
                or (fact is not None and cited & set(fact.citation.passage_ids))
                or states_answer(answer, (trivia_round.meta.get("answer") or "", *(trivia_round.meta.get("accept") or ())))
            ):
                return Answer(
                    question=answer.question, answered=False, text=None, confidence=0.0, reason="trivia_open",
                    notice="That is what today's trivia question asks about, so I'll keep the answer until the "
                    "reveal. Try answering the trivia question!",
                    course_id=answer.course_id,
                )
        return None

    def _round_course(self, trivia_round: TriviaRound) -> Course | None:
        """The course a trivia round was drawn from (its current version)."""
        if self.library is not None:
            return self.library.get_course(trivia_round.meta.get("course")) or self.library.course
        return getattr(self.engine, "course", None)

    async def _record_unanswered(
        self, answer: Answer, question: str, guild_id: str | None, channel_id: str | None, user_id: str | None
    ) -> None:
        if self.store is None:
            return
        asker = user_id if self.record_asker_ids and user_id else None
        try:  # the asker always counts against the per-day cap (stored only as a daily hash)
            await self.store.record_unanswered(
                self.platform, answer.course_id or self.course_id, guild_id, channel_id, answer.question or question,
                asker, user_id,
            )
        except Exception as e:  # the store failing must not cost the student an answer
            log.warning("could not record an unanswered question: %s", e)

    async def bounded(self, work: Coroutine[Any, Any, T]) -> T | None:
        """``work``'s result if it is done within ``store_wait`` seconds; otherwise None, and it
        finishes in the background (a reference is kept so it is not garbage-collected)."""
        task = asyncio.create_task(work)
        done, _ = await asyncio.wait({task}, timeout=self.store_wait)
        if not done:
            log.warning("the database is slow; answering without waiting for it")
            self._background.add(task)
            task.add_done_callback(self._background.discard)
            return None
        return task.result()

    def full_question(self, text: str, ellipsis: str = ELLIPSIS) -> str:
        """A suggestion clipped for display back to the course's full question."""
        if self.library is not None:
            courses = [self.library.get_course(cid) for cid in self.library.ids()]
            return full_question(text, (q for c in courses for q in _course_questions(c)), ellipsis)
        course = getattr(self.engine, "course", None)
        return full_question(text, _course_questions(course), ellipsis)


# Answers too common in running text to say that a text gives a round away: Red-DiscordBot's spellings of a
# boolean answer (redbot/cogs/trivia/session.py `_parse_answers`: True/Yes/On, False/No/Off), and answers of
# fewer than MIN_STATED_CHARS characters once normalised ("8", "on").
_BOOLEAN_ANSWERS = frozenset({"true", "yes", "on", "false", "no", "off"})
MIN_STATED_CHARS = 3


def states_answer(answer: Answer, expected: Iterable[str]) -> bool:
    """Whether the answer's text or quotes state one of the expected trivia answers, as whole words
    (case, accents and punctuation ignored)."""
    said = " " + " ".join(normalize(t) for t in (answer.text or "", *(c.quote for c in answer.citations))) + " "
    for e in expected:
        e = normalize(e)
        if len(e) >= MIN_STATED_CHARS and e not in _BOOLEAN_ANSWERS and f" {e} " in said:
            return True
    return False


def full_question(text: str, questions: Iterable[str], ellipsis: str = ELLIPSIS) -> str:
    """``text`` with its trailing ``ellipsis`` replaced by the rest of the first question it starts;
    the text without the ellipsis when none does; unclipped text as it is."""
    text = text.strip()
    if not text.endswith(ellipsis):
        return text
    head = text[: -len(ellipsis)].rstrip()
    if not head:
        return ""
    return next((q for q in questions if q.startswith(head)), head)


def _course_questions(course: Course | None) -> Iterable[str]:
    for fact in getattr(course, "facts", ()):
        yield from fact.questions
