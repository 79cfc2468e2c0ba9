"""The store port: everything classbot remembers, as the core sees it, whatever database is behind it.

The core codes against :class:`Store` (composed of one small protocol per aggregate below);
:mod:`bot.store` implements it (SQLite today; a second backend implements the same protocols).
The core never imports an implementation: adapters and the CLI open a store and pass it in.
The records the protocols take and return are defined in :mod:`bot.core.storerecords` and
re-exported here: import them from this module.

All methods are async. Timestamps are unix seconds (float, UTC); days are local ISO dates
("2026-10-27") in the trivia channel's timezone, computed by the caller.

Round life cycle: ``pending`` (recorded before the message is sent) -> ``posted`` (message id
known) -> ``revealed`` (scored and recorded before the reveal message is sent, see REVEAL_*); or
``pending`` -> ``failed`` (the send failed, or the bot died between recording and confirming: we
never know whether the message went out, so the day is not retried).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol, runtime_checkable

from bot.core.models import TriviaRound
from bot.core.storerecords import (
    REVEAL_SENDING,
    REVEAL_SENT,
    REVEAL_UNSENT,
    ROUND_FAILED,
    ROUND_PENDING,
    ROUND_POSTED,
    ROUND_REVEALED,
    AnswerOutcome,
    AnswerRecord,
    AnswerVotes,
    AskedRecord,
    Award,
    CourseBinding,
    FeedbackCount,
    FeedbackRecord,
    ForgetReport,
    ItemUsage,
    LeaderboardRow,
    Period,
    PurgeReport,
    QuestionCount,
    ReviewKind,
    ReviewRow,
    RoundExists,
    RoundResult,
    RoundStats,
    ScoreRecord,
    Scoring,
    TriviaConfig,
    UnansweredQuestion,
    UserData,
    UserStats,
    normalize_post_time,
    validate_trivia_config,
)

# ---- the protocols, one per aggregate -----------------------------------------------------------


class FeedbackStore(Protocol):
    """Students' votes on answers."""

    async def record_feedback(
        self,
        platform: str,
        guild_id: str | None,
        channel_id: str | None,
        user_id: str,
        question: str,
        fact_id: str | None,
        helpful: bool,
        message_id: str | None = None,
    ) -> None:
        """One vote per user per answer message: voting again replaces the earlier vote."""
        ...

    async def feedback_counts(self) -> list[FeedbackCount]: ...


class UnansweredStore(Protocol):
    """The questions a course could not answer, for its teacher."""

    async def record_unanswered(
        self,
        platform: str,
        course_id: str,
        guild_id: str | None,
        channel_id: str | None,
        question: str,
        user_id: str | None,
        asker: str | None = None,
    ) -> bool:
        """Keep a question; whether it was kept. user_id only where the server allows recording
        askers (None otherwise); asker: who asked, always, for the per-asker daily cap (kept only
        as a hash for the day). Text cleaned and capped; repeats counted on one row."""
        ...

    async def list_unanswered(self, course_id: str, limit: int = 50) -> list[UnansweredQuestion]:
        """Most asked first, then most recent."""
        ...

    async def count_unanswered(self, course_id: str) -> int:
        """How many distinct questions of the course are in the log."""
        ...


class TriviaConfigStore(Protocol):
    """Each server's trivia settings (channel, time, zone)."""

    async def get_trivia_config(self, platform: str, guild_id: str) -> TriviaConfig | None: ...

    async def set_trivia_config(
        self,
        platform: str,
        guild_id: str,
        channel_id: str,
        post_time: str = "09:00",
        timezone: str = "UTC",
        enabled: bool = True,
        free_text: bool = False,
    ) -> TriviaConfig:
        """Validates post_time ("HH:MM") and timezone (IANA); raises ConfigError otherwise."""
        ...

    async def disable_trivia(self, platform: str, guild_id: str) -> bool:
        """Stop the server's daily trivia, keeping its settings; whether it was on."""
        ...

    async def list_trivia_configs(self, platform: str | None = None) -> list[TriviaConfig]: ...


class RoundStore(Protocol):
    """Trivia rounds, the answers to them, and which items went out."""

    async def create_round(self, platform: str, trivia_round: TriviaRound) -> TriviaRound:
        """Record a round as pending BEFORE sending it; returns it with its id.

        Raises RoundExists when the channel already has a round for trivia_round.day.
        """
        ...

    async def mark_round_posted(self, round_id: int, message_id: str) -> None: ...

    async def mark_round_failed(self, round_id: int, reason: str) -> None: ...

    async def mark_reveal_sent(self, round_id: int, error: str | None = None) -> None:
        """The reveal message went out (error None) or could not be sent; only from "sending"."""
        ...

    async def unsent_reveals(
        self, platform: str | None = None, *, started_before: float | None = None
    ) -> list[TriviaRound]:
        """Revealed rounds whose reveal message was still "sending" at ``started_before`` (default now)."""
        ...

    async def get_round(self, round_id: int) -> TriviaRound | None: ...

    async def get_round_by_message(self, platform: str, message_id: str) -> TriviaRound | None: ...

    async def open_rounds(self, platform: str | None = None, guild_id: str | None = None) -> list[TriviaRound]:
        """Rounds posted but not yet revealed (of one server, when guild_id is given)."""
        ...

    async def pending_rounds(self, platform: str | None = None) -> list[TriviaRound]:
        """Rounds recorded but never confirmed posted."""
        ...

    async def round_for_day(
        self, platform: str, guild_id: str, channel_id: str, day: str | date
    ) -> TriviaRound | None: ...

    async def last_round(self, platform: str, guild_id: str, channel_id: str) -> TriviaRound | None: ...

    async def record_answer(
        self, round_id: int, user_id: str, answer: str, correct: bool, *, now: float | None = None
    ) -> AnswerOutcome:
        """Record a student's answer if the round is still open at ``now`` (default: the store's clock).

        "recorded"; "already_answered" when this user already has an answer for the round (the
        first one counts); "closed" when the round is not pending/posted or ``closes_at <= now``
        (or does not exist). The check and the insert are one transaction.
        """
        ...

    async def get_answer(self, round_id: int, user_id: str) -> tuple[str, bool] | None: ...

    async def round_stats(self, round_id: int) -> RoundStats: ...

    async def item_history(self, platform: str, guild_id: str, channel_id: str | None = None) -> list[ItemUsage]:
        """Usage of each item in rounds that went out (posted or revealed); channel_id None = whole guild."""
        ...


class ScoreStore(Protocol):
    """Points, streaks and leaderboards: what a reveal awards and what students see."""

    async def reveal_round(self, round_id: int, scoring: Scoring) -> list[Award] | None:
        """Mark revealed (reveal message "sending") and award points to correct answers, in one
        transaction, BEFORE the reveal message is sent.

        Returns the awards, or None when the round was already revealed (awards are given once).
        """
        ...

    async def leaderboard(
        self, platform: str, guild_id: str, period: Period = "all", limit: int = 10, *, today: str | date | None = None
    ) -> list[LeaderboardRow]:
        """Opted-out users are left out. "week" = Monday of today's week to today (local days)."""
        ...

    async def user_stats(
        self, platform: str, guild_id: str, user_id: str, *, today: str | date | None = None
    ) -> UserStats: ...

    async def set_leaderboard_optout(
        self, platform: str, guild_id: str, user_id: str, optout: bool = True
    ) -> None: ...


class ReviewStore(Protocol):
    """What a teacher has not reviewed yet (bot.core.review), and the marks that keep it reviewed."""

    async def review_rows(self, course_id: str) -> list[ReviewRow]:
        """The course's unanswered questions and every "not helpful" vote, not reviewed yet, most
        asked first, then most recent."""
        ...

    async def mark_reviewed(self, unanswered_ids: Sequence[int], feedback_ids: Sequence[int]) -> None:
        """These rows were reviewed: review_rows never returns them again (a repeat of a reviewed
        question adds to its row's count and stays reviewed)."""
        ...


class UserDataStore(Protocol):
    """One student's data: all of it out (export), all of it gone (forget), old texts gone (retention)."""

    async def export_user(self, platform: str, user_id: str, guild_id: str | None = None) -> UserData:
        """Every row that mentions the student (guild_id None: in every server of the platform)."""
        ...

    async def forget_user(self, platform: str, user_id: str, guild_id: str | None = None) -> ForgetReport:
        """Delete every row that mentions the student, in one transaction: feedback, trivia answers,
        scores, streaks and opt-out, asker links, the questions only they were recorded asking, and
        their hashed daily count. Asker links carry no platform or server: all are deleted."""
        ...

    async def purge_before(self, cutoff: float) -> PurgeReport:
        """Retention: delete unanswered questions last asked, and votes cast, before ``cutoff``."""
class ActivityStore(Protocol):
    """Questions asked per unit and day, for reports: counts only, never text or who asked."""

    async def count_question(
        self, platform: str, guild_id: str | None, course_id: str, unit: str | None, answered: bool
    ) -> None:
        """Add one to the count of (server, course, unit, today's UTC day, answered or not)."""
        ...

    async def question_counts(
        self, course_id: str, platform: str | None, guild_id: str | None, first_day: str | date, last_day: str | date
    ) -> list[QuestionCount]:
        """Counts from first_day to last_day (UTC days, both included); platform/guild_id None = all."""
        ...


class ReportingStore(Protocol):
    """What a teacher's report reads from the other aggregates, over a period."""

    async def unanswered_since(
        self, course_id: str, since: float, until: float | None = None, limit: int = 200
    ) -> list[UnansweredQuestion]:
        """Unanswered questions last asked in [since, until), most asked first (askers left out)."""
        ...

    async def answer_votes(
        self, platform: str | None, guild_id: str | None, since: float, until: float | None = None
    ) -> list[AnswerVotes]:
        """Votes cast in [since, until), one row per fact (per wording for passage answers), answers
        with the most "not helpful" votes first; platform/guild_id None = all."""
        ...

    async def round_results(
        self, platform: str | None, guild_id: str | None, first_day: str | date, last_day: str | date
    ) -> list[RoundResult]:
        """Rounds that went out (posted or revealed) on those local days, oldest first."""
        ...

    async def trivia_players(
        self, platform: str | None, guild_id: str | None, first_day: str | date, last_day: str | date
    ) -> int:
        """How many different students answered a round of those days."""
class CourseBindingStore(Protocol):
    """Which course each server and channel uses (several courses in one deployment)."""

    async def course_bindings(self, platform: str, guild_id: str) -> list[CourseBinding]:
        """The server's bindings: its own (channel_id "") and its channels', in any order."""
        ...

    async def bind_course(
        self, platform: str, guild_id: str, channel_id: str | None, course_id: str, set_by: str | None = None
    ) -> CourseBinding:
        """Bind a channel (or, with channel_id None or "", the whole server) to a course; replaces
        the earlier binding of that channel or server."""
        ...

    async def unbind_course(self, platform: str, guild_id: str, channel_id: str | None) -> bool:
        """Remove the binding of a channel (or of the server); whether there was one."""
        ...


# Several processes on one database (issue 13): what keeps them from doing a thing twice.


class ClaimStore(Protocol):
    """One scheduled trivia post per server per local day, whichever process takes it first."""

    async def claim_daily_post(self, platform: str, guild_id: str, day: str | date, holder: str) -> bool:
        """Take the server's scheduled post for that local day: True for the one caller that took
        it, False for every other caller, ever (another process, or this one again)."""
        ...


class LeaseStore(Protocol):
    """A named job run by one holder at a time (the Slack scheduler), until its lease expires unrenewed."""

    async def acquire_lease(self, name: str, holder: str, ttl_seconds: float) -> bool:
        """Take or renew the lease ``name`` for ``ttl_seconds`` from now: True when ``holder`` holds
        it afterwards (it was free, expired, or already ``holder``'s); False while another holds it."""
        ...

    async def release_lease(self, name: str, holder: str) -> None:
        """Give the lease up (a clean shutdown), so another holder need not wait for it to expire."""
        ...


class SeenEventStore(Protocol):
    """Platform events acted on once, even when delivered again (retries) or to another worker."""

    async def first_delivery(self, platform: str, event_id: str, ttl_seconds: float) -> bool:
        """Record the event as seen for ``ttl_seconds``: True the first time (act on it), False for a
        repeat seen within that time (do nothing). Expired records are removed as a side effect."""
        ...


@runtime_checkable
class Store(FeedbackStore, UnansweredStore, TriviaConfigStore, RoundStore, ScoreStore, ReviewStore, UserDataStore,
            ActivityStore, ReportingStore, CourseBindingStore, ClaimStore, LeaseStore, SeenEventStore, Protocol):
    """What classbot remembers. Every method raises StoreError (bot.core.errors) when the database
    cannot be used: str(error) for the log, error.user_message for chat."""

    async def ping(self) -> None:
        """A cheap query ("SELECT 1"): returns when the database answers, raises StoreError when it
        cannot be used (the health check's probe)."""
        ...

    async def close(self, *, discard_if_unused: bool = False) -> None: ...

    async def __aenter__(self) -> Store: ...

    async def __aexit__(self, *exc: object) -> None: ...


__all__ = [
    "ActivityStore",
    "AnswerOutcome",
    "AnswerRecord",
    "AskedRecord",
    "FeedbackRecord",
    "ForgetReport",
    "PurgeReport",
    "ReviewKind",
    "ReviewRow",
    "ReviewStore",
    "ScoreRecord",
    "UserData",
    "UserDataStore",
    "AnswerVotes",
    "Award",
    "CourseBinding",
    "CourseBindingStore",
    "ClaimStore",
    "LeaseStore",
    "SeenEventStore",
    "FeedbackCount",
    "FeedbackStore",
    "ItemUsage",
    "LeaderboardRow",
    "Period",
    "QuestionCount",
    "ROUND_FAILED",
    "ROUND_PENDING",
    "ROUND_POSTED",
    "ROUND_REVEALED",
    "REVEAL_SENDING",
    "REVEAL_SENT",
    "REVEAL_UNSENT",
    "ReportingStore",
    "RoundExists",
    "RoundResult",
    "RoundStats",
    "RoundStore",
    "ScoreStore",
    "Scoring",
    "Store",
    "TriviaConfig",
    "TriviaConfigStore",
    "UnansweredQuestion",
    "UnansweredStore",
    "UserStats",
    "normalize_post_time",
    "validate_trivia_config",
]
