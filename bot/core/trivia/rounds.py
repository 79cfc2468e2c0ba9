"""The round service: picks and records a round before it is posted, takes answers, reveals and scores.

Adapters render what :class:`TriviaService` returns (``RoundQuestion``, ``AnswerResult``,
``Reveal``) and call it back with what students typed or clicked. No chat library here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from bot.core.clock import Clock, SystemClock
from bot.core.courses import CourseLibrary
from bot.core.errors import StoreError, TriviaError
from bot.core.models import AnswerType, Citation, Course, TriviaItem, TriviaRound
from bot.core.observe import NULL_OBSERVER, Observer
from bot.core.settings import TriviaSettings
from bot.core.store import (
    ROUND_PENDING,
    ROUND_POSTED,
    Award,
    LeaderboardRow,
    Period,
    RoundExists,
    Scoring,
    Store,
    TriviaConfig,
    UserStats,
)
from bot.core.trivia.answers import check_answer, normalize
from bot.core.trivia.reveal import Reveal
from bot.core.trivia.selection import build_choices, parse_choice, select_item

# ---------------------------------------------------------------------------------------------
# Scoring


def scoring_from_settings(settings: TriviaSettings) -> Scoring:
    return Scoring(points=settings.points, streak_bonus=settings.streak_bonus, streak_bonus_cap=settings.streak_bonus_cap)


@dataclass(frozen=True, slots=True)
class RoundQuestion:
    """What an adapter posts for a round."""

    round_id: int
    question: str
    choices: tuple[str, ...]  # empty: students type their answer
    closes_at: float  # unix seconds
    answer_type: AnswerType
    difficulty: str

    @property
    def free_text(self) -> bool:
        return not self.choices


@dataclass(frozen=True, slots=True)
class AnswerResult:
    """What a student is told, privately, after answering. ``correct`` is for the engine and the
    terminal preview; chat adapters show only ``message`` until the reveal."""

    counted: bool
    status: str  # recorded | already_answered | closed | unknown_round | invalid | empty
    message: str
    correct: bool | None = None


@dataclass(frozen=True, slots=True)
class PostedRound:
    """What TriviaService.post_round did: the round as stored, and whether the send worked."""

    round: TriviaRound
    posted: bool
    error: str | None = None  # why the platform refused, when not posted


SendQuestion = Callable[[TriviaRound, RoundQuestion], Awaitable[str]]

ALREADY = "You already answered this one; your first answer counts."
CLOSED = "This trivia question is closed; the answer has been (or will be) revealed."
MAX_ROUND_ID = 2**63 - 1  # SQLite's largest integer: a round id beyond it cannot exist


@dataclass(frozen=True, slots=True)
class AnswerOrigin:
    """Where an answer came from: the server (Discord guild / Slack workspace) and channel the
    platform says the interaction happened in."""

    guild_id: str
    channel_id: str | None  # None: the platform did not say (the round's server still must match)

    def owns(self, trivia_round: TriviaRound) -> bool:
        if str(trivia_round.guild_id) != str(self.guild_id):
            return False
        return self.channel_id is None or str(trivia_round.channel_id) == str(self.channel_id)


def parse_round_id(text: object) -> int | None:
    """A round id from a button value or custom id: digits only, within SQLite's integer range."""
    s = str(text or "").strip()
    if not (s.isascii() and s.isdigit()) or len(s) > 19:
        return None
    value = int(s)
    return value if 0 < value <= MAX_ROUND_ID else None


def day_in_zone(clock: Clock, config: TriviaConfig | None) -> date:
    """The server's local date (UTC when it has no trivia settings)."""
    return clock.now().astimezone(ZoneInfo(config.timezone if config else "UTC")).date()


async def local_today(store: Store, clock: Clock, platform: str, guild_id: str) -> date:
    """The server's local date, from its trivia settings: a day, a week, a streak are local."""
    return day_in_zone(clock, await store.get_trivia_config(platform, str(guild_id)))


UNKNOWN_ROUND = AnswerResult(False, "unknown_round", "That trivia question no longer exists.")


@dataclass
class TriviaService:
    """Runs rounds: picks and records them, takes answers, reveals and scores."""

    store: Store
    course: Course
    settings: TriviaSettings = field(default_factory=TriviaSettings)
    clock: Clock = field(default_factory=SystemClock)
    # several courses (bot.core.courses.CourseLibrary): each channel's rounds come from its bound
    # course, and a round's item is looked up in the current version of the course it came from
    library: CourseLibrary | None = None
    observer: Observer = NULL_OBSERVER  # told about posts and recorded answers (bot.core.observe)

    @property
    def scoring(self) -> Scoring:
        return scoring_from_settings(self.settings)

    def course_of(self, course_id: str | None) -> Course:
        """The current version of a course (a reloaded course replaces the old one); this
        service's own course when the id is unknown."""
        found = self.library.get_course(course_id) if self.library is not None and course_id else None
        return found or self.course

    def item(self, item_id: str, course_id: str | None = None) -> TriviaItem | None:
        for it in self.course_of(course_id).trivia_items:
            if it.id == item_id:
                return it
        return None

    async def _course_for(self, platform: str, guild_id: str, channel_id: str) -> Course:
        """The course bound to the channel (else its server, else the default)."""
        if self.library is None:
            return self.course
        choice = await self.library.choice(self.store, platform, guild_id, channel_id)
        return self.course_of(choice.course.id if choice.course else None)

    async def local_today(self, platform: str, guild_id: str) -> date:
        return await local_today(self.store, self.clock, platform, guild_id)

    def _today(self, config: TriviaConfig | None) -> date:
        return day_in_zone(self.clock, config)

    async def start_round(
        self,
        platform: str,
        guild_id: str,
        channel_id: str,
        *,
        day: date | None = None,
        free_text: bool | None = None,
    ) -> TriviaRound:
        """Pick today's item and record the round as pending, BEFORE the adapter sends it.

        Then: send it, and call confirm_posted (or fail_round if the send failed); post_round
        does all of that.
        Raises TriviaError when the channel already has a round for that day.
        """
        guild_id, channel_id = str(guild_id), str(channel_id)
        course = await self._course_for(platform, guild_id, channel_id)
        items = course.trivia_items
        if not items:
            raise TriviaError(f"course {course.id} has no trivia questions: add `trivia:` to some facts")
        config = await self.store.get_trivia_config(platform, guild_id)
        if day is None:
            day = self._today(config)
        if free_text is None:
            free_text = bool(config and config.free_text)
        history = await self.store.item_history(platform, guild_id, channel_id)
        seed = (platform, guild_id, channel_id, day.isoformat())
        item = select_item(items, history, seed)
        choices = () if free_text else build_choices(item, items, seed)
        now = self.clock.now().timestamp()
        pending = TriviaRound(
            id=None,
            guild_id=guild_id,
            channel_id=channel_id,
            item_id=item.id,
            day=day.isoformat(),
            posted_at=now,
            closes_at=now + 60 * self.settings.answer_window_minutes,
            choices=choices,
            meta={
                "course": course.id,
                "fact_id": item.fact_id,
                "question": item.question,
                "answer": item.answer,
                "accept": list(item.accept),  # with the round: it is judged as posted, whatever the course becomes
                "tolerance": item.tolerance,
                "type": item.type.value,
                "difficulty": item.difficulty,
            },
        )
        try:
            return await self.store.create_round(platform, pending)
        except RoundExists as e:
            raise TriviaError(
                f"this channel already had its trivia for {e.existing.day} ({e.existing.status}); "
                "there is one question per day"
            ) from None

    async def post_round(
        self,
        platform: str,
        guild_id: str,
        channel_id: str,
        send: SendQuestion,
        *,
        day: date | None = None,
        free_text: bool | None = None,
    ) -> PostedRound:
        """Start a round and send it, never twice: record it pending, call the adapter's
        ``send(round, question) -> message id``, then mark it posted, or failed if the send raised.

        Raises TriviaError when no round can be started (no items, the day already has one) and
        StoreError when the database fails; a platform error is returned, not raised.
        """
        trivia_round = await self.start_round(platform, guild_id, channel_id, day=day, free_text=free_text)
        try:
            message_id = await send(trivia_round, self.question(trivia_round))
        except StoreError:
            raise
        except Exception as e:  # the platform refused: the day is spent, say why
            reason = f"sending failed: {e}"
            await self.fail_round(trivia_round, reason)
            return PostedRound(await self.store.get_round(int(trivia_round.id or 0)) or trivia_round, False, str(e))
        await self.confirm_posted(trivia_round, str(message_id))
        return PostedRound(await self.store.get_round(int(trivia_round.id or 0)) or trivia_round, True)

    def _round_item(self, trivia_round: TriviaRound) -> TriviaItem:
        """The round's item from the course it was drawn from, or, if the course changed under a
        running round (the item removed, or its question or answer edited), the copy kept with the
        round: a round is always judged and revealed as it was posted."""
        meta = trivia_round.meta
        item = self.item(trivia_round.item_id, meta.get("course"))
        if item is not None and (not meta.get("answer") or (item.answer, item.question) == (meta.get("answer"), meta.get("question"))):
            return item
        return TriviaItem(
            id=trivia_round.item_id,
            fact_id=meta.get("fact_id", trivia_round.item_id),
            question=meta.get("question", ""),
            answer=meta.get("answer", ""),
            accept=tuple(meta.get("accept") or (item.accept if item else ())),
            type=AnswerType(meta.get("type", "text")),
            tolerance=float(meta.get("tolerance") or (item.tolerance if item else 0.0)),
            citation=item.citation if item else None,
        )

    def question(self, trivia_round: TriviaRound) -> RoundQuestion:
        meta = trivia_round.meta
        item = self._round_item(trivia_round)
        return RoundQuestion(
            round_id=int(trivia_round.id or 0),
            question=meta.get("question") or item.question,
            choices=tuple(trivia_round.choices),
            closes_at=trivia_round.closes_at,
            answer_type=AnswerType(meta.get("type", item.type.value)),
            difficulty=meta.get("difficulty", "medium"),
        )

    async def confirm_posted(self, trivia_round: TriviaRound, message_id: str) -> None:
        await self.store.mark_round_posted(int(trivia_round.id or 0), str(message_id))
        self.observer.trivia_posted()

    async def fail_round(self, trivia_round: TriviaRound, reason: str) -> None:
        await self.store.mark_round_failed(int(trivia_round.id or 0), reason)

    def is_correct(self, trivia_round: TriviaRound, given: str) -> tuple[bool, str] | None:
        """(correct, what to record) or None when the input is not a valid choice."""
        item = self._round_item(trivia_round)
        if trivia_round.choices:
            index = parse_choice(given, trivia_round.choices)
            if index is None:
                if check_answer(item, given):  # typed the right answer instead of clicking
                    return True, given.strip()
                return None
            chosen = trivia_round.choices[index]
            return normalize(chosen) == normalize(item.answer), chosen
        return check_answer(item, given), given.strip()

    async def answerable_round(
        self, round_id: int, origin: AnswerOrigin | None
    ) -> tuple[TriviaRound | None, AnswerResult | None]:
        """The round an answer (or an answer form) is for, or why it cannot take one.

        ``origin`` is where the click or message came from, as the platform vouches for it (not
        what a button's id claims): a round of another server or channel is treated as unknown,
        exactly like a round that does not exist, so a forged id learns nothing. ``None`` only for
        local callers (the terminal preview), which have no server.
        """
        if not isinstance(round_id, int) or not 0 < round_id <= MAX_ROUND_ID:
            return None, UNKNOWN_ROUND
        trivia_round = await self.store.get_round(round_id)
        if trivia_round is None or (origin is not None and not origin.owns(trivia_round)):
            return None, UNKNOWN_ROUND
        if trivia_round.status not in (ROUND_PENDING, ROUND_POSTED) or self.clock.now().timestamp() >= trivia_round.closes_at:
            return None, AnswerResult(False, "closed", CLOSED)
        return trivia_round, None

    async def submit_answer(
        self, round_id: int, user_id: str, given: str | int, origin: AnswerOrigin | None = None
    ) -> AnswerResult:
        """Record a student's answer; only the first one counts. Does not tell them if it is right.

        Chat adapters pass ``origin`` (see answerable_round); an answer to another server's or
        channel's round, or to a closed one, is refused.
        """
        trivia_round, refused = await self.answerable_round(round_id, origin)
        if trivia_round is None:
            return refused or UNKNOWN_ROUND
        if isinstance(given, int):  # a clicked choice, 0-based
            if not 0 <= given < len(trivia_round.choices):
                return AnswerResult(False, "invalid", "That is not one of the choices.")
            given = str(given + 1)
        if not given.strip():
            return AnswerResult(False, "empty", "Type an answer after the command.")
        judged = self.is_correct(trivia_round, given)
        if judged is None:
            if await self.store.get_answer(int(round_id), str(user_id)) is not None:
                return AnswerResult(False, "already_answered", ALREADY)
            n = len(trivia_round.choices)
            return AnswerResult(False, "invalid", f"Pick one of the choices (1-{n}).")
        correct, recorded = judged
        outcome = await self.store.record_answer(
            int(round_id), str(user_id), recorded[:500], correct, now=self.clock.now().timestamp()
        )
        if outcome == "already_answered":
            return AnswerResult(False, "already_answered", ALREADY)
        if outcome != "recorded":  # revealed (or closed) while we were judging: too late
            return AnswerResult(False, "closed", CLOSED)
        self.observer.trivia_answered(correct)
        return AnswerResult(True, "recorded", "Answer recorded. The answer is revealed when the question closes.", correct)

    async def build_reveal(self, round_id: int, *, awards: tuple[Award, ...] = (), first_time: bool = True) -> Reveal:
        """The reveal for a round, without changing anything."""
        trivia_round = await self.store.get_round(int(round_id))
        if trivia_round is None:
            raise TriviaError(f"there is no trivia round {round_id}")
        item = self._round_item(trivia_round)
        answer = item.answer
        citation: Citation | None = item.citation  # a quiz item says where it came from
        if citation is None:
            try:
                citation = self.course_of(trivia_round.meta.get("course")).fact(item.fact_id).citation
            except KeyError:
                citation = None
        index = None
        for i, c in enumerate(trivia_round.choices):
            if normalize(c) == normalize(answer):
                index = i
        stats = await self.store.round_stats(int(round_id))
        return Reveal(
            round=trivia_round,
            question=self.question(trivia_round).question,
            answer=answer,
            choices=tuple(trivia_round.choices),
            correct_index=index,
            citation=citation,
            answered=stats.answered,
            correct=stats.correct,
            awards=awards,
            first_time=first_time,
        )

    async def reveal(self, round_id: int) -> Reveal:
        """Close the round, award points (once) and return what to show."""
        awards = await self.store.reveal_round(int(round_id), self.scoring)
        return await self.build_reveal(
            int(round_id), awards=tuple(awards or ()), first_time=awards is not None
        )

    async def leaderboard(self, platform: str, guild_id: str, period: Period = "week", limit: int = 10) -> list[LeaderboardRow]:
        today = await self.local_today(platform, guild_id)
        return await self.store.leaderboard(platform, str(guild_id), period, limit, today=today)

    async def user_stats(self, platform: str, guild_id: str, user_id: str) -> UserStats:
        today = await self.local_today(platform, guild_id)
        return await self.store.user_stats(platform, str(guild_id), str(user_id), today=today)


__all__ = [
    "ALREADY",
    "CLOSED",
    "AnswerOrigin",
    "AnswerResult",
    "PostedRound",
    "RoundQuestion",
    "SendQuestion",
    "TriviaService",
    "day_in_zone",
    "local_today",
    "parse_round_id",
    "scoring_from_settings",
]
