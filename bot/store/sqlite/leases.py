"""Leases on SQLite: a named job held by one process at a time, taken over when it expires."""

from __future__ import annotations

from bot.store.sqlite.connection import SQLiteConnection
from bot.store.sqlite.errors import guard


class SQLiteLeases(SQLiteConnection):
    """LeaseStore (bot.core.store). Times come from the store's clock (the system's in production)."""

    @guard
    async def acquire_lease(self, name: str, holder: str, ttl_seconds: float) -> bool:
        now = self._now()
        async with self._tx() as db:
            # Insert, or take over an expired lease, or renew our own; a live lease of another holder
            # is left alone (the upsert's WHERE is false: no row changes).
            cur = await db.execute(
                "INSERT INTO leases (name, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,"
                "   acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at"
                "                 ELSE excluded.acquired_at END"
                " WHERE leases.holder = excluded.holder OR leases.expires_at <= ?",
                (name, holder, now, now + float(ttl_seconds), now),
            )
            return cur.rowcount == 1

    @guard
    async def release_lease(self, name: str, holder: str) -> None:
        async with self._tx() as db:
            await db.execute("DELETE FROM leases WHERE name = ? AND holder = ?", (name, holder))


__all__ = ["SQLiteLeases"]
