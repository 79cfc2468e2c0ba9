"""Seen events on PostgreSQL: a platform event (Slack's event_id) is acted on once across workers."""

from __future__ import annotations

from bot.store.postgres.connection import Conn, PostgresConnection
from bot.store.postgres.errors import guard


class PostgresSeenEvents(PostgresConnection):
    """SeenEventStore (bot.core.store). Forgetting expired events and recording this one are one
    transaction; the primary key makes exactly one of two workers' INSERTs of an event return a row."""

    @guard
    async def first_delivery(self, platform: str, event_id: str, ttl_seconds: float) -> bool:
        now = self._now()

        async def write(db: Conn) -> bool:
            await db.execute("DELETE FROM seen_events WHERE expires_at <= $1", now)
            first = await db.fetchval(
                "INSERT INTO seen_events (platform, event_id, expires_at) VALUES ($1, $2, $3)"
                " ON CONFLICT (platform, event_id) DO NOTHING RETURNING 1",
                platform, str(event_id), now + float(ttl_seconds),
            )
            return first is not None

        return await self._transact(write)


__all__ = ["PostgresSeenEvents"]
