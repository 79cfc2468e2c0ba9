"""Questions asked per unit and day on PostgreSQL: one counter row per (server, course, day, unit,
answered or not). Counts only: no question text, no user id (see schema migration 5)."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.core.store import QuestionCount
from bot.store.postgres.connection import Conn, PostgresConnection
from bot.store.postgres.errors import guard
from bot.store.rules import iso_day, quota_day


def scope(platform: str | None, guild_id: str | None, args: list[Any], alias: str = "") -> str:
    """SQL conditions (each starting with " AND") for an optional platform and server; their values
    are appended to ``args`` (numbered after the ones already there)."""
    sql = ""
    if platform is not None:
        args.append(platform)
        sql += f" AND {alias}platform = ${len(args)}"
    if guild_id is not None:
        args.append(str(guild_id))
        sql += f" AND {alias}guild_id = ${len(args)}"
    return sql


class PostgresActivity(PostgresConnection):
    """ActivityStore (bot.core.store)."""

    @guard
    async def count_question(
        self, platform: str, guild_id: str | None, course_id: str, unit: str | None, answered: bool
    ) -> None:
        args = (platform, str(guild_id or ""), course_id, quota_day(self._now()), unit or "", int(answered))

        async def write(db: Conn) -> None:
            await db.execute(
                "INSERT INTO question_counts AS c (platform, guild_id, course_id, day, unit, answered, n)"
                " VALUES ($1, $2, $3, $4, $5, $6, 1) ON CONFLICT (platform, guild_id, course_id, day, unit, answered)"
                " DO UPDATE SET n = c.n + 1",
                *args,
            )

        await self._transact(write)

    @guard
    async def question_counts(
        self, course_id: str, platform: str | None, guild_id: str | None, first_day: str | date, last_day: str | date
    ) -> list[QuestionCount]:
        args: list[Any] = [course_id, iso_day(first_day), iso_day(last_day)]
        where = scope(platform, guild_id, args)
        rows = await self._fetch(
            "SELECT day, unit, answered, SUM(n) AS n FROM question_counts"
            f" WHERE course_id = $1 AND day >= $2 AND day <= $3{where}"
            ' GROUP BY day, unit, answered ORDER BY day COLLATE "C", unit COLLATE "C", answered',
            *args,
        )
        return [QuestionCount(r["day"], r["unit"], bool(r["answered"]), int(r["n"])) for r in rows]


__all__ = ["PostgresActivity", "scope"]
