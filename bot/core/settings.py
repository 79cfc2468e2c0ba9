"""The settings the core needs, and only those: a port that ``bot.config`` fills in at start-up.

The core never reads files or the environment; ``bot.config.load_settings`` builds these from the
config file and the environment (names in the comments) and passes them down.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TriviaSettings:
    """How daily trivia runs (config section ``trivia``)."""

    answer_window_minutes: int = 60 * 8  # TRIVIA_ANSWER_WINDOW_MINUTES: how long a round is open
    grace_minutes: int = 120  # TRIVIA_GRACE_MINUTES: how late a missed post may still go out
    points: int = 10  # TRIVIA_POINTS
    streak_bonus: int = 2  # TRIVIA_STREAK_BONUS: extra points per consecutive day, capped
    streak_bonus_cap: int = 10  # TRIVIA_STREAK_BONUS_CAP


__all__ = ["TriviaSettings"]
