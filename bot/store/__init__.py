"""Persistence: implementations of the core's Store port (bot.core.store). Get one with ``open_store``::

    store = await open_store("classbot.db")      # opened; call ``await store.close()``
    async with open_store("classbot.db") as store:  # or let the block close it
        ...
    async with open_store("postgresql://classbot:secret@db.example/classbot") as store:  # PostgreSQL
        ...

The composition root passes ``settings.database`` (the URL when one is set, else the file): a
``postgresql://`` (or ``postgres://``) URL opens the PostgreSQL store, anything else is an SQLite file.
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
from bot.store.postgres import PostgresStore, is_postgres_url, redact
from bot.store.sqlite import SQLiteStore

AnyStore = SQLiteStore | PostgresStore


class _Opening:
    """What open_store returns: await it, or use it with ``async with``."""

    def __init__(self, store: AnyStore) -> None:
        self._store = store

    def __await__(self) -> Generator[Any, None, AnyStore]:
        return self._store.open().__await__()

    async def __aenter__(self) -> AnyStore:
        return await self._store.open()

    async def __aexit__(self, *exc: object) -> None:
        await self._store.close()


def open_store(target: str | os.PathLike[str], *, clock: Clock | None = None, busy_timeout_ms: int = 5000) -> _Opening:
    """Open (creating and migrating if needed) the store at ``target``: a ``postgresql://`` URL, or
    the path of an SQLite file (":memory:" works too; ``busy_timeout_ms`` is SQLite's).

    Raises StoreError when the database cannot be used: an SQLite file locked, read-only, corrupt
    or not a classbot database; a PostgreSQL server unreachable, refusing the login, or its
    database missing or someone else's. Messages never show the URL's password.
    """
    if isinstance(target, str) and is_postgres_url(target):
        return _Opening(PostgresStore(target, clock=clock))
    return _Opening(SQLiteStore(target, clock=clock, busy_timeout_ms=busy_timeout_ms))


def describe_target(target: str | os.PathLike[str]) -> str:
    """Where a store is, as safe to log or print: a URL without its password, or the file's path."""
    text = os.fspath(target)
    return redact(text) if is_postgres_url(text) else text


__all__ = [
    "Award",
    "FeedbackCount",
    "ItemUsage",
    "LeaderboardRow",
    "PostgresStore",
    "RoundExists",
    "RoundStats",
    "Scoring",
    "SQLiteStore",
    "Store",
    "TriviaConfig",
    "UnansweredQuestion",
    "UserStats",
    "describe_target",
    "open_store",
]
