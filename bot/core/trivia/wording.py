"""Turning the results of the trivia use-cases (``admin``) into a reply, in a platform's words.

Which words go with which result is decided here, once. A platform gives only its phrasebook
(:class:`TriviaWords`): its templates, how it shows a channel and a time, how it makes text a
person gave safe. A new platform writes a phrasebook and no trivia logic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.core.store import TriviaConfig, UserStats
from bot.core.trivia.admin import (
    InvalidInput,
    Leaderboard,
    NoTrivia,
    OptedOut,
    PostedNow,
    Scheduled,
    TriviaStatus,
    TurnedOff,
)


@dataclass(frozen=True, slots=True)
class TriviaWords:
    """One platform's words. Templates use ``str.format`` fields, named in each comment."""

    channel: Callable[[str], str]  # how a channel id is shown (a mention)
    quote: Callable[[str], str]  # what a teacher typed, made safe to quote back
    safe: Callable[[str, int], str]  # what the core or the platform said, made safe and clipped
    next_post: Callable[[datetime], str]  # the sentence saying when the next question goes out
    scheduled: str  # {channel} {time} {zone} {kind} {next}
    not_set_up: str
    status_notes_no_trivia: bool  # whether settings also say the course has no trivia questions
    off: str
    bad_time: str  # {given}
    bad_time_size: int
    bad_zone: str  # {given}
    bad_zone_size: int
    bad_channel: str
    invalid_input: str  # {problem}: how a problem is framed (e.g. followed by the usage)
    post_failed: str  # {channel} {detail}
    opted_out: str
    no_points: str  # {period}
    leaderboard_title: str  # {period}
    leaderboard_row: str  # {rank} {user} {points} {correct} {streak}
    streak: str  # {streak}: shown after a row when the streak is above 1
    stats: str  # {points} {week_points} {rank} {correct} {answered} {streak} {best_streak}
    # The same on every platform so far; a phrasebook may still say them its own way.
    status: str = "Daily trivia is {state}: {channel} at {time} ({zone}), {kind}."
    no_trivia: str = "This course has no trivia questions."
    already_off: str = "Daily trivia is already off."
    posted: str = "Trivia posted in {channel}."
    opted_in: str = "You are back on the leaderboard."
    multiple_choice: str = "multiple choice"
    free_text: str = "free-text answers"
    week: str = "This week"
    all_time: str = "All time"
    refused_size: int = 500
    detail_size: int = 200


def invalid_input(words: TriviaWords, problem: InvalidInput) -> str:
    if problem.field == "time":
        text = words.bad_time.format(given=words.quote(problem.given[: words.bad_time_size]))
    elif problem.field == "timezone":
        text = words.bad_zone.format(given=words.quote(problem.given[: words.bad_zone_size]))
    else:
        text = words.bad_channel
    return words.invalid_input.format(problem=text)


def _kind(words: TriviaWords, config: TriviaConfig) -> str:
    return words.free_text if config.free_text else words.multiple_choice


def scheduled(words: TriviaWords, result: Scheduled | InvalidInput) -> str:
    if isinstance(result, InvalidInput):
        return invalid_input(words, result)
    c = result.config
    return words.scheduled.format(
        channel=words.channel(c.channel_id), time=c.post_time, zone=c.timezone, kind=_kind(words, c),
        next=words.next_post(result.next_post),
    )  # fmt: skip


def turned_off(words: TriviaWords, result: TurnedOff) -> str:
    return words.off if result.was_on else words.already_off


def status(words: TriviaWords, result: TriviaStatus) -> str:
    c = result.config
    if c is None:
        text = words.not_set_up
    else:
        text = words.status.format(
            state="on" if c.enabled else "off", channel=words.channel(c.channel_id), time=c.post_time,
            zone=c.timezone, kind=_kind(words, c),
        )  # fmt: skip
        if result.next_post is not None:
            text += " " + words.next_post(result.next_post)
    if words.status_notes_no_trivia and not result.has_items:
        text += "\n" + words.no_trivia
    return text


def posted_now(words: TriviaWords, result: PostedNow | NoTrivia | InvalidInput) -> str:
    if isinstance(result, NoTrivia):
        return words.no_trivia
    if isinstance(result, InvalidInput):
        return invalid_input(words, result)
    if result.outcome == "refused":
        return words.safe(result.detail, words.refused_size)
    channel = words.channel(result.channel_id)
    if result.outcome == "failed":
        return words.post_failed.format(channel=channel, detail=words.safe(result.detail, words.detail_size))
    return words.posted.format(channel=channel)


def opted_out(words: TriviaWords, result: OptedOut) -> str:
    return words.opted_out if result.optout else words.opted_in


def period_title(words: TriviaWords, board: Leaderboard) -> str:
    return words.week if board.period == "week" else words.all_time


def no_points(words: TriviaWords, board: Leaderboard) -> str:
    return words.no_points.format(period=period_title(words, board).lower())


def leaderboard_title(words: TriviaWords, board: Leaderboard) -> str:
    return words.leaderboard_title.format(period=period_title(words, board))


def leaderboard_rows(words: TriviaWords, board: Leaderboard) -> list[str]:
    """One line per student, in rank order (mentions: the platform shows each one's name)."""
    return [
        words.leaderboard_row.format(
            rank=r.rank, user=r.user_id, points=r.points, correct=r.correct,
            streak=words.streak.format(streak=r.streak) if r.streak > 1 else "",
        )
        for r in board.rows
    ]  # fmt: skip


def stats(words: TriviaWords, s: UserStats) -> str:
    rank = f"#{s.rank}" if s.rank else ("hidden (opted out)" if s.optout else "—")
    return words.stats.format(
        points=s.points, week_points=s.week_points, rank=rank, correct=s.correct, answered=s.answered,
        streak=s.streak, best_streak=s.best_streak,
    )  # fmt: skip


__all__ = [
    "TriviaWords",
    "invalid_input",
    "leaderboard_rows",
    "leaderboard_title",
    "no_points",
    "opted_out",
    "period_title",
    "posted_now",
    "scheduled",
    "stats",
    "status",
    "turned_off",
]
