"""SQLite implementation of the Store port (aiosqlite), split by aggregate:

- connection.py: opening, pragmas (WAL, synchronous=FULL, busy_timeout), migrations, transactions
- errors.py: sqlite errors as StoreErrors (message for the log, user_message for chat)
- qa.py: feedback and unanswered questions
- trivia_config.py: each server's trivia settings
- rounds.py: trivia rounds and answers
- scores.py: reveals, points, streaks, leaderboards
- activity.py: questions asked per unit and day (counts only), for reports
- reporting.py: what a teacher's report reads over a period (read-only)
- store.py: SQLiteStore, all of them behind the one protocol
"""

from __future__ import annotations

from bot.core.store import validate_trivia_config
from bot.store.rules import UNANSWERED_MAX_CHARS, UNANSWERED_PER_ASKER_PER_DAY
from bot.store.schema import MIGRATIONS
from bot.store.sqlite.store import SQLiteStore

__all__ = [
    "MIGRATIONS",
    "SQLiteStore",
    "UNANSWERED_MAX_CHARS",
    "UNANSWERED_PER_ASKER_PER_DAY",
    "validate_trivia_config",
]
