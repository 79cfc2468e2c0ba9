"""What a teacher's report reads on SQLite, over a period: recent unanswered questions, votes on
answers, trivia rounds with their results. Read-only queries on the other aggregates' tables."""

from __future__ import annotations

from datetime import date

from bot.core.safetext import clean_text
from bot.core.store import AnswerVotes, RoundResult, UnansweredQuestion
from bot.store.rules import iso_day
from bot.store.sqlite.activity import scope
from bot.store.sqlite.connection import SQLiteConnection, fetch_one
from bot.store.sqlite.errors import guard

WENT_OUT = "('posted', 'revealed')"  # rounds students could see


class SQLiteReporting(SQLiteConnection):
    """ReportingStore (bot.core.store)."""

    @guard
    async def unanswered_since(
        self, course_id: str, since: float, until: float | None = None, limit: int = 200
    ) -> list[UnansweredQuestion]:
        cur = await self._conn.execute(
            "SELECT question, count, first_asked, last_asked FROM unanswered WHERE course_id = ? AND last_asked >= ?"
            " AND last_asked < ? ORDER BY count DESC, last_asked DESC, id LIMIT ?",
            (course_id, since, float("inf") if until is None else until, max(int(limit), 0)),
        )
        return [
            UnansweredQuestion(clean_text(r["question"]), int(r["count"]), float(r["first_asked"]), float(r["last_asked"]))
            for r in await cur.fetchall()
        ]

    @guard
    async def answer_votes(
        self, platform: str | None, guild_id: str | None, since: float, until: float | None = None
    ) -> list[AnswerVotes]:
        where, args = scope(platform, guild_id)
        if until is not None:
            where += " AND created_at < ?"
            args.append(until)
        # a fact's votes together; a passage answer (no fact) by its wording, case and spacing ignored
        cur = await self._conn.execute(
            "SELECT g.fact_id, f.question, g.up, g.down FROM ("
            "  SELECT fact_id, MAX(id) AS last_id, SUM(helpful) AS up, SUM(1 - helpful) AS down FROM feedback"
            f"  WHERE created_at >= ?{where} GROUP BY COALESCE(fact_id, '#' || lower(trim(question)))"
            ") g JOIN feedback f ON f.id = g.last_id ORDER BY g.down DESC, g.up, g.last_id DESC",
            [since, *args],
        )
        return [
            AnswerVotes(r["fact_id"], clean_text(r["question"] or ""), int(r["up"]), int(r["down"]))
            for r in await cur.fetchall()
        ]

    @guard
    async def round_results(
        self, platform: str | None, guild_id: str | None, first_day: str | date, last_day: str | date
    ) -> list[RoundResult]:
        where, args = scope(platform, guild_id, "r.")
        cur = await self._conn.execute(
            "SELECT r.id, r.channel_id, r.item_id, r.day, COUNT(a.id) AS answered, COALESCE(SUM(a.correct), 0) AS correct"
            " FROM rounds r LEFT JOIN answers a ON a.round_id = r.id"
            f" WHERE r.status IN {WENT_OUT} AND r.day >= ? AND r.day <= ?{where}"
            " GROUP BY r.id ORDER BY r.day, r.id",
            [iso_day(first_day), iso_day(last_day), *args],
        )
        return [
            RoundResult(int(r["id"]), r["channel_id"], r["item_id"], r["day"], int(r["answered"]), int(r["correct"]))
            for r in await cur.fetchall()
        ]

    @guard
    async def trivia_players(
        self, platform: str | None, guild_id: str | None, first_day: str | date, last_day: str | date
    ) -> int:
        where, args = scope(platform, guild_id, "r.")
        cur = await self._conn.execute(
            "SELECT COUNT(DISTINCT a.user_id) FROM answers a JOIN rounds r ON r.id = a.round_id"
            f" WHERE r.status IN {WENT_OUT} AND r.day >= ? AND r.day <= ?{where}",
            [iso_day(first_day), iso_day(last_day), *args],
        )
        return int((await fetch_one(cur))[0])


__all__ = ["SQLiteReporting"]
