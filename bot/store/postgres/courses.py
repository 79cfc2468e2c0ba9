"""Course bindings on PostgreSQL: which course answers in each server and channel."""

from __future__ import annotations

import asyncpg

from bot.core.store import CourseBinding
from bot.store.postgres.connection import Conn, PostgresConnection
from bot.store.postgres.errors import guard


def _binding(r: asyncpg.Record) -> CourseBinding:
    return CourseBinding(
        platform=r["platform"], guild_id=r["guild_id"], channel_id=r["channel_id"], course_id=r["course_id"],
        set_by=r["set_by"], set_at=float(r["set_at"]),
    )


class PostgresCourseBindings(PostgresConnection):
    """CourseBindingStore (bot.core.store)."""

    @guard
    async def course_bindings(self, platform: str, guild_id: str) -> list[CourseBinding]:
        rows = await self._fetch(
            'SELECT * FROM course_bindings WHERE platform = $1 AND guild_id = $2 ORDER BY channel_id COLLATE "C"',
            platform, str(guild_id),
        )
        return [_binding(r) for r in rows]

    @guard
    async def bind_course(
        self, platform: str, guild_id: str, channel_id: str | None, course_id: str, set_by: str | None = None
    ) -> CourseBinding:
        binding = CourseBinding(platform, str(guild_id), str(channel_id or ""), course_id, set_by, self._now())

        async def write(db: Conn) -> None:
            await db.execute(
                "INSERT INTO course_bindings (platform, guild_id, channel_id, course_id, set_by, set_at)"
                " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (platform, guild_id, channel_id) DO UPDATE SET"
                " course_id = excluded.course_id, set_by = excluded.set_by, set_at = excluded.set_at",
                binding.platform, binding.guild_id, binding.channel_id, binding.course_id, binding.set_by,
                binding.set_at,
            )

        await self._transact(write)
        return binding

    @guard
    async def unbind_course(self, platform: str, guild_id: str, channel_id: str | None) -> bool:
        async def write(db: Conn) -> bool:
            gone = await db.fetchval(
                "DELETE FROM course_bindings WHERE platform = $1 AND guild_id = $2 AND channel_id = $3 RETURNING 1",
                platform, str(guild_id), str(channel_id or ""),
            )
            return gone is not None

        return await self._transact(write)


__all__ = ["PostgresCourseBindings"]
