"""PostgresStore: the Store port (bot.core.store) on one PostgreSQL database, one aggregate per base class."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.store.postgres.claims import PostgresClaims
from bot.store.postgres.leases import PostgresLeases
from bot.store.postgres.qa import PostgresQA
from bot.store.postgres.rounds import PostgresRounds
from bot.store.postgres.scores import PostgresScores
from bot.store.postgres.seen_events import PostgresSeenEvents
from bot.store.postgres.trivia_config import PostgresTriviaConfigs

if TYPE_CHECKING:
    from bot.core.store import Store


class PostgresStore(PostgresQA, PostgresTriviaConfigs, PostgresRounds, PostgresScores,
                    PostgresClaims, PostgresLeases, PostgresSeenEvents):
    """The Store on one PostgreSQL database (``postgresql://user:password@host:port/database``).

    Pool, migrations, transactions and retries: connection.py; errors: errors.py; each aggregate's
    SQL in its own module (qa, trivia_config, rounds, scores), mirroring bot/store/sqlite/.
    """

    async def open(self) -> PostgresStore:
        await self._open()
        return self

    async def __aenter__(self) -> PostgresStore:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


if TYPE_CHECKING:
    # mypy proves here that PostgresStore satisfies the whole protocol, member by member.
    _satisfies_the_port: type[Store] = PostgresStore

__all__ = ["PostgresStore"]
