"""Leases on PostgreSQL: a named job held by one process at a time, taken over when it expires."""

from __future__ import annotations

from bot.store.postgres.connection import Conn, PostgresConnection
from bot.store.postgres.errors import guard


class PostgresLeases(PostgresConnection):
    """LeaseStore (bot.core.store). Times come from the store's clock (the system's in production).

    One upsert decides: insert, or take over an expired lease, or renew our own. A live lease of
    another holder is left alone (the WHERE is false: no row, nothing returned). Two processes
    racing for an expired lease: the second waits on the first's row lock, then the server checks
    the WHERE again against the row the first wrote, which is no longer expired."""

    @guard
    async def acquire_lease(self, name: str, holder: str, ttl_seconds: float) -> bool:
        now = self._now()

        async def write(db: Conn) -> bool:
            got = await db.fetchval(
                "INSERT INTO leases (name, holder, acquired_at, expires_at) VALUES ($1, $2, $3, $4)"
                " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,"
                "   acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at"
                "                 ELSE excluded.acquired_at END"
                " WHERE leases.holder = excluded.holder OR leases.expires_at <= $5"
                " RETURNING 1",
                name, holder, now, now + float(ttl_seconds), now,
            )
            return got is not None

        return await self._transact(write)

    @guard
    async def release_lease(self, name: str, holder: str) -> None:
        async def write(db: Conn) -> None:
            await db.execute("DELETE FROM leases WHERE name = $1 AND holder = $2", name, holder)

        await self._transact(write)


__all__ = ["PostgresLeases"]
