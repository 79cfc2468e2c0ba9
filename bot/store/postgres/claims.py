"""Trivia claims on PostgreSQL: one scheduled post per server per local day, across processes."""

from __future__ import annotations

from datetime import date

from bot.store.postgres.connection import Conn, PostgresConnection
from bot.store.postgres.errors import guard
from bot.store.rules import iso_day


class PostgresClaims(PostgresConnection):
    """ClaimStore (bot.core.store). The primary key decides: of two processes inserting the same
    (platform, server, day) at once, the server makes the second wait for the first and then
    finds the conflict, so exactly one INSERT returns a row."""

    @guard
    async def claim_daily_post(self, platform: str, guild_id: str, day: str | date, holder: str) -> bool:
        async def write(db: Conn) -> bool:
            taken = await db.fetchval(
                "INSERT INTO trivia_claims (platform, guild_id, day, holder, claimed_at) VALUES ($1, $2, $3, $4, $5)"
                " ON CONFLICT (platform, guild_id, day) DO NOTHING RETURNING 1",
                platform, str(guild_id), iso_day(day), holder, self._now(),
            )
            return taken is not None

        return await self._transact(write)


__all__ = ["PostgresClaims"]
