"""Seen events on SQLite: a platform event (Slack's event_id) is acted on once across workers."""

from __future__ import annotations

from bot.store.sqlite.connection import SQLiteConnection
from bot.store.sqlite.errors import guard


class SQLiteSeenEvents(SQLiteConnection):
    """SeenEventStore (bot.core.store)."""

    @guard
    async def first_delivery(self, platform: str, event_id: str, ttl_seconds: float) -> bool:
        now = self._now()
        async with self._tx() as db:
            await db.execute("DELETE FROM seen_events WHERE expires_at <= ?", (now,))
            cur = await db.execute(
                "INSERT INTO seen_events (platform, event_id, expires_at) VALUES (?, ?, ?)"
                " ON CONFLICT (platform, event_id) DO NOTHING",
                (platform, str(event_id), now + float(ttl_seconds)),
            )
            return cur.rowcount == 1


__all__ = ["SQLiteSeenEvents"]
