"""Moved: the store contract is a port of the core, :mod:`bot.core.store`. Import from there.

This module only re-exports it, so code written before the move keeps working; the core itself
never imports it (tests/test_architecture.py checks that).
"""

from __future__ import annotations

from bot.core.store import (
    REVEAL_SENDING,
    REVEAL_SENT,
    REVEAL_UNSENT,
    ROUND_FAILED,
    ROUND_PENDING,
    ROUND_POSTED,
    ROUND_REVEALED,
    AnswerOutcome,
    Award,
    FeedbackCount,
    ItemUsage,
    LeaderboardRow,
    Period,
    RoundExists,
    RoundStats,
    Scoring,
    Store,
    TriviaConfig,
    UnansweredQuestion,
    UserStats,
)

__all__ = [
    "AnswerOutcome",
    "Award",
    "FeedbackCount",
    "ItemUsage",
    "LeaderboardRow",
    "Period",
    "ROUND_FAILED",
    "ROUND_PENDING",
    "ROUND_POSTED",
    "ROUND_REVEALED",
    "REVEAL_SENDING",
    "REVEAL_SENT",
    "REVEAL_UNSENT",
    "RoundExists",
    "RoundStats",
    "Scoring",
    "Store",
    "TriviaConfig",
    "UnansweredQuestion",
    "UserStats",
]
