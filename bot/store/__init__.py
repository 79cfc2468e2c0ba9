"""Persistence: implementations of the core's Store port (bot.core.store). Get one with ``open_store``::

    store = await open_store("classbot.db")      # opened; call ``await store.close()``
    async with open_store("classbot.db") as store:  # or let the block close it
        ...
"""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import Any

from bot.core.clock import Clock
from bot.core.store import (
    Award,
    FeedbackCount,
    ItemUsage,
    LeaderboardRow,
    RoundExists,
    RoundStats,
    Scoring,
    Store,
    TriviaConfig,
    UnansweredQuestion,
    UserStats,
)
from bot.store.sqlite import SQLiteStore


class _Opening:
    """What open_store returns: await it, or use it with ``async with``."""

    def __init__(self, store: SQLiteStore) -> None:
        self._store = store

    def __await__(self) -> Generator[Any, None, SQLiteStore]:
        return self._store.open().__await__()

    async def __aenter__(self) -> SQLiteStore:
        return await self._store.open()

    async def __aexit__(self, *exc: object) -> None:
        await self._store.close()


def open_store(path: str | os.PathLike[str], *, clock: Clock | None = None, busy_timeout_ms: int = 5000) -> _Opening:
    """Open (creating and migrating if needed) the SQLite store at ``path`` (":memory:" works too).

    Raises StoreError when the file is locked, read-only, corrupt or not a classbot database.
    """
    return _Opening(SQLiteStore(path, clock=clock, busy_timeout_ms=busy_timeout_ms))


__all__ = [
    "Award",
    "FeedbackCount",
    "ItemUsage",
    "LeaderboardRow",
    "RoundExists",
    "RoundStats",
    "Scoring",
    "SQLiteStore",
    "Store",
    "TriviaConfig",
    "UnansweredQuestion",
    "UserStats",
    "open_store",
]
