"""Trivia claims on SQLite: one scheduled post per server per local day, across processes."""

from __future__ import annotations

from datetime import date

from bot.store.rules import iso_day
from bot.store.sqlite.connection import SQLiteConnection
from bot.store.sqlite.errors import guard


class SQLiteClaims(SQLiteConnection):
    """ClaimStore (bot.core.store)."""

    @guard
    async def claim_daily_post(self, platform: str, guild_id: str, day: str | date, holder: str) -> bool:
        async with self._tx() as db:
            cur = await db.execute(
                "INSERT INTO trivia_claims (platform, guild_id, day, holder, claimed_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (platform, guild_id, day) DO NOTHING",
                (platform, str(guild_id), iso_day(day), holder, self._now()),
            )
            return cur.rowcount == 1


__all__ = ["SQLiteClaims"]
