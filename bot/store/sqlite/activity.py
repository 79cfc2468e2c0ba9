"""Questions asked per unit and day on SQLite: one counter row per (server, course, day, unit,
answered or not). Counts only: no question text, no user id (see schema migration 4)."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.core.store import QuestionCount
from bot.store.rules import iso_day, quota_day
from bot.store.sqlite.connection import SQLiteConnection
from bot.store.sqlite.errors import guard


def scope(platform: str | None, guild_id: str | None, alias: str = "") -> tuple[str, list[Any]]:
    """SQL conditions (joined with AND, each starting with " AND") for an optional platform and server."""
    sql, args = "", []
    if platform is not None:
        sql += f" AND {alias}platform = ?"
        args.append(platform)
    if guild_id is not None:
        sql += f" AND {alias}guild_id = ?"
        args.append(str(guild_id))
    return sql, args


class SQLiteActivity(SQLiteConnection):
    """ActivityStore (bot.core.store)."""

    @guard
    async def count_question(
        self, platform: str, guild_id: str | None, course_id: str, unit: str | None, answered: bool
    ) -> None:
        async with self._tx() as db:
            await db.execute(
                "INSERT INTO question_counts (platform, guild_id, course_id, day, unit, answered, n)"
                " VALUES (?, ?, ?, ?, ?, ?, 1) ON CONFLICT (platform, guild_id, course_id, day, unit, answered)"
                " DO UPDATE SET n = n + 1",
                (platform, str(guild_id or ""), course_id, quota_day(self._now()), unit or "", int(answered)),
            )

    @guard
    async def question_counts(
        self, course_id: str, platform: str | None, guild_id: str | None, first_day: str | date, last_day: str | date
    ) -> list[QuestionCount]:
        where, args = scope(platform, guild_id)
        cur = await self._conn.execute(
            "SELECT day, unit, answered, SUM(n) AS n FROM question_counts"
            f" WHERE course_id = ? AND day >= ? AND day <= ?{where}"
            " GROUP BY day, unit, answered ORDER BY day, unit, answered",
            [course_id, iso_day(first_day), iso_day(last_day), *args],
        )
        return [QuestionCount(r["day"], r["unit"], bool(r["answered"]), int(r["n"])) for r in await cur.fetchall()]


__all__ = ["SQLiteActivity", "scope"]
