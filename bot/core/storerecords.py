"""The records of the store port (``bot.core.store``): what its methods take and return, the round
states, and the check of a trivia time and time zone. Plain frozen dataclasses with no behaviour
beyond a few derived fields; ``bot.core.store`` re-exports every name, so import them from there.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from bot.core.clock import valid_timezone
from bot.core.errors import ConfigError
from bot.core.models import TriviaRound

Period = Literal["week", "all"]
AnswerOutcome = Literal["recorded", "already_answered", "closed"]

ROUND_PENDING = "pending"
ROUND_POSTED = "posted"
ROUND_REVEALED = "revealed"
ROUND_FAILED = "failed"

# A revealed round's meta["reveal"]: whether its reveal message went out. "sending" is written in
# the same transaction that marks the round revealed and scores it, BEFORE the message is sent;
# a round still "sending" after a restart was cut off mid-send and is never sent again.
REVEAL_SENDING = "sending"
REVEAL_SENT = "sent"
REVEAL_UNSENT = "unsent"  # the send failed, or the bot stopped before confirming it


@dataclass(frozen=True, slots=True)
class TriviaConfig:
    """Where and when one server gets its daily trivia."""

    platform: str
    guild_id: str
    channel_id: str
    post_time: str = "09:00"  # local "HH:MM"
    timezone: str = "UTC"  # IANA name, e.g. "Europe/Paris"
    enabled: bool = True
    free_text: bool = False  # True: never offer choices, students type the answer


@dataclass(frozen=True, slots=True)
class Scoring:
    """How many points a correct answer is worth, given the streak it makes (1 = first round in a row)."""

    points: int = 10
    streak_bonus: int = 2
    streak_bonus_cap: int = 10

    def points_for(self, streak: int) -> int:
        bonus = min(max(streak - 1, 0) * self.streak_bonus, self.streak_bonus_cap)
        return self.points + bonus


@dataclass(frozen=True, slots=True)
class RoundStats:
    round_id: int
    answered: int
    correct: int


@dataclass(frozen=True, slots=True)
class Award:
    """Points given to one student when a round was revealed."""

    user_id: str
    points: int
    streak: int


@dataclass(frozen=True, slots=True)
class LeaderboardRow:
    rank: int
    user_id: str
    points: int
    correct: int
    streak: int  # current streak (0 when broken)


@dataclass(frozen=True, slots=True)
class UserStats:
    user_id: str
    points: int  # all time
    week_points: int
    answered: int
    correct: int
    streak: int  # current streak (0 when broken)
    best_streak: int
    rank: int | None  # all-time rank; None when opted out or no points
    optout: bool


@dataclass(frozen=True, slots=True)
class ItemUsage:
    """How an item has fared in one channel, for selection."""

    item_id: str
    times_used: int
    last_day: str
    answered: int
    correct: int

    @property
    def share_correct(self) -> float | None:
        return self.correct / self.answered if self.answered else None


@dataclass(frozen=True, slots=True)
class UnansweredQuestion:
    """Questions the bot could not answer, grouped by their text (case and spacing ignored)."""

    question: str
    count: int
    first_asked: float
    last_asked: float
    user_ids: tuple[str, ...] = ()  # only where the server allows recording askers


@dataclass(frozen=True, slots=True)
class FeedbackCount:
    fact_id: str | None
    helpful: int
    unhelpful: int


# ---- issue 11: the teacher's review queue and a student's data ----------------------------------

ReviewKind = Literal["unanswered", "unhelpful"]


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One stored thing a teacher has not reviewed yet: an unanswered question of the course (one
    row per distinct text, ``count`` times asked) or one "not helpful" vote (``fact_id``: the fact
    the answer cited, None for an answer from the text; a vote does not record its course)."""

    kind: ReviewKind
    row_id: int
    question: str
    count: int
    last_asked: float
    fact_id: str | None = None


@dataclass(frozen=True, slots=True)
class FeedbackRecord:
    platform: str
    guild_id: str | None
    channel_id: str | None
    question: str
    fact_id: str | None
    helpful: bool
    created_at: float


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    platform: str
    guild_id: str
    channel_id: str
    day: str
    item_id: str
    answer: str
    correct: bool
    points: int
    answered_at: float


@dataclass(frozen=True, slots=True)
class ScoreRecord:
    platform: str
    guild_id: str
    points: int
    streak: int
    best_streak: int
    last_correct_day: str | None
    optout: bool


@dataclass(frozen=True, slots=True)
class AskedRecord:
    """An unanswered question recorded with this student as one of its askers (only where the
    server records askers)."""

    course_id: str
    question: str
    count: int
    first_asked: float
    last_asked: float


@dataclass(frozen=True, slots=True)
class UserData:
    """Everything the store holds about one student, as plain data."""

    platform: str
    guild_id: str | None  # None: every server of the platform
    user_id: str
    feedback: tuple[FeedbackRecord, ...] = ()
    answers: tuple[AnswerRecord, ...] = ()
    scores: tuple[ScoreRecord, ...] = ()
    questions: tuple[AskedRecord, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.feedback or self.answers or self.scores or self.questions)

    def to_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ForgetReport:
    """How many rows forgetting a student deleted, per kind."""

    feedback: int = 0
    answers: int = 0
    scores: int = 0  # points, streaks and the leaderboard opt-out
    questions: int = 0  # unanswered questions only this student was recorded asking
    asker_links: int = 0  # this student recorded as one of the askers of a question
    quota: int = 0  # today's hashed count of their unanswered questions

    @property
    def total(self) -> int:
        return self.feedback + self.answers + self.scores + self.questions + self.asker_links + self.quota


@dataclass(frozen=True, slots=True)
class PurgeReport:
    """What a retention pass deleted."""

    questions: int = 0
    feedback: int = 0
# ---- records of the reports (issue 11): what a teacher's report reads ----------------------------


@dataclass(frozen=True, slots=True)
class QuestionCount:
    """How many questions one unit got on one day, answered or not (no text, no askers)."""

    day: str  # the UTC day (ISO) they were asked
    unit: str  # "" when the answer has no unit, or the course does not cover the question
    answered: bool
    count: int


@dataclass(frozen=True, slots=True)
class AnswerVotes:
    """Students' votes on one answer (a fact, or a passage answered without one) over a period."""

    fact_id: str | None  # None: answered from a passage; ``question`` tells which
    question: str  # the latest wording a student voted on
    helpful: int
    unhelpful: int


@dataclass(frozen=True, slots=True)
class RoundResult:
    """One trivia round that went out, with how many answered it and how many got it right."""

    round_id: int
    channel_id: str
    item_id: str
    day: str  # local day (ISO) in the channel's timezone
    answered: int
    correct: int
@dataclass(frozen=True, slots=True)
class CourseBinding:
    """Which course answers in one channel, or (channel_id "") in a whole server."""

    platform: str
    guild_id: str
    channel_id: str  # "" = the whole server
    course_id: str
    set_by: str | None = None  # the teacher who set it
    set_at: float = 0.0


class RoundExists(Exception):
    """create_round: this channel already has a round for that day (never raised to users)."""

    def __init__(self, existing: TriviaRound):
        self.existing = existing
        super().__init__(f"channel {existing.channel_id} already has a round for {existing.day}")


def validate_trivia_config(post_time: str, timezone: str) -> None:
    """Raise ConfigError unless post_time is "HH:MM" and timezone an IANA name."""
    parts = post_time.split(":") if isinstance(post_time, str) else []
    ok = len(parts) == 2 and all(p.isdigit() and 1 <= len(p) <= 2 for p in parts)
    if not ok or not (0 <= int(parts[0]) <= 23 and 0 <= int(parts[1]) <= 59):
        raise ConfigError(f"trivia time should be HH:MM on a 24-hour clock, like 09:30; got {post_time!r}")
    if not valid_timezone(timezone):
        raise ConfigError(f"unknown timezone {timezone!r}: use an IANA name like Europe/London or America/New_York")


def normalize_post_time(post_time: str) -> str:
    """A valid "H:MM" or "HH:MM" as stored: always "HH:MM" (call validate_trivia_config first)."""
    hh, mm = post_time.split(":")
    return f"{int(hh):02d}:{int(mm):02d}"
