"""SQLiteStore: the Store port (bot.core.store) on one SQLite file, one aggregate per base class."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.store.sqlite.activity import SQLiteActivity
from bot.store.sqlite.claims import SQLiteClaims
from bot.store.sqlite.courses import SQLiteCourseBindings
from bot.store.sqlite.leases import SQLiteLeases
from bot.store.sqlite.qa import SQLiteQA
from bot.store.sqlite.reporting import SQLiteReporting
from bot.store.sqlite.review import SQLiteReview
from bot.store.sqlite.rounds import SQLiteRounds
from bot.store.sqlite.scores import SQLiteScores
from bot.store.sqlite.seen_events import SQLiteSeenEvents
from bot.store.sqlite.trivia_config import SQLiteTriviaConfigs
from bot.store.sqlite.userdata import SQLiteUserData

if TYPE_CHECKING:
    from bot.core.store import Store


class SQLiteStore(
    SQLiteQA, SQLiteTriviaConfigs, SQLiteRounds, SQLiteScores, SQLiteReview, SQLiteUserData, SQLiteActivity, SQLiteReporting,
    SQLiteCourseBindings, SQLiteClaims, SQLiteLeases, SQLiteSeenEvents,
):
    """The Store on one SQLite file (or ":memory:", or a "file:...?mode=ro" URI).

    Connection, pragmas, migrations and transactions: connection.py; each aggregate's SQL in its
    own module (qa, trivia_config, rounds, scores, review, userdata; activity and reporting for the
    teacher's report; courses for which course each channel uses; claims, leases and seen_events for
    several processes on one database).
    """

    async def open(self) -> SQLiteStore:
        await self._open()
        return self

    async def __aenter__(self) -> SQLiteStore:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


if TYPE_CHECKING:
    # mypy proves here that SQLiteStore satisfies the whole protocol, member by member.
    _satisfies_the_port: type[Store] = SQLiteStore

__all__ = ["SQLiteStore"]
