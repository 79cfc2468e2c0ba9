"""Course bindings on SQLite: which course answers in each server and channel."""

from __future__ import annotations

import sqlite3

from bot.core.store import CourseBinding
from bot.store.sqlite.connection import SQLiteConnection
from bot.store.sqlite.errors import guard


def _binding(r: sqlite3.Row) -> CourseBinding:
    return CourseBinding(
        platform=r["platform"], guild_id=r["guild_id"], channel_id=r["channel_id"], course_id=r["course_id"],
        set_by=r["set_by"], set_at=r["set_at"],
    )


class SQLiteCourseBindings(SQLiteConnection):
    """CourseBindingStore (bot.core.store)."""

    @guard
    async def course_bindings(self, platform: str, guild_id: str) -> list[CourseBinding]:
        cur = await self._conn.execute(
            "SELECT * FROM course_bindings WHERE platform = ? AND guild_id = ? ORDER BY channel_id",
            (platform, str(guild_id)),
        )
        return [_binding(r) for r in await cur.fetchall()]

    @guard
    async def bind_course(
        self, platform: str, guild_id: str, channel_id: str | None, course_id: str, set_by: str | None = None
    ) -> CourseBinding:
        binding = CourseBinding(platform, str(guild_id), str(channel_id or ""), course_id, set_by, self._now())
        async with self._tx() as db:
            await db.execute(
                "INSERT INTO course_bindings (platform, guild_id, channel_id, course_id, set_by, set_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, guild_id, channel_id) DO UPDATE SET"
                " course_id = excluded.course_id, set_by = excluded.set_by, set_at = excluded.set_at",
                (binding.platform, binding.guild_id, binding.channel_id, binding.course_id, binding.set_by, binding.set_at),
            )
        return binding

    @guard
    async def unbind_course(self, platform: str, guild_id: str, channel_id: str | None) -> bool:
        async with self._tx() as db:
            cur = await db.execute(
                "DELETE FROM course_bindings WHERE platform = ? AND guild_id = ? AND channel_id = ?",
                (platform, str(guild_id), str(channel_id or "")),
            )
            return cur.rowcount == 1


__all__ = ["SQLiteCourseBindings"]
