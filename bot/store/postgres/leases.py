"""Leases on PostgreSQL: a named job held by one process at a time, taken over when it expires."""

from __future__ import annotations

from bot.store.postgres.connection import Conn, PostgresConnection
from bot.store.postgres.errors import guard


class PostgresLeases(PostgresConnection):
    """LeaseStore (bot.core.store). Times come from the store's clock (the system's in production)."""

    @guard
    async def acquire_lease(self, name: str, holder: str, ttl_seconds: float) -> bool:
        now = self._now()

        async def write(db: Conn) -> bool:
            # Insert, or take over an expired lease, or renew our own; a live lease of another holder
            # is left alone (the upsert's WHERE is false: no row changes, none returned). The
            # conflicting row is locked first, so two takers of one expired lease cannot both win.
            held = await db.fetchval(
                "INSERT INTO leases AS l (name, holder, acquired_at, expires_at) VALUES ($1, $2, $3, $4)"
                " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,"
                "   acquired_at = CASE WHEN l.holder = excluded.holder THEN l.acquired_at ELSE excluded.acquired_at END"
                " WHERE l.holder = excluded.holder OR l.expires_at <= $3 RETURNING 1",
                name, holder, now, now + float(ttl_seconds),
            )
            return held is not None

        return await self._transact(write)

    @guard
    async def release_lease(self, name: str, holder: str) -> None:
        async def write(db: Conn) -> None:
            await db.execute("DELETE FROM leases WHERE name = $1 AND holder = $2", name, holder)

        await self._transact(write)


__all__ = ["PostgresLeases"]
