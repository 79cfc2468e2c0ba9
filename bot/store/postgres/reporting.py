"""What a teacher's report reads on PostgreSQL, over a period: recent unanswered questions, votes on
answers, trivia rounds with their results. Read-only queries on the other aggregates' tables."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.core.safetext import clean_text
from bot.core.store import AnswerVotes, RoundResult, UnansweredQuestion
from bot.store.postgres.activity import scope
from bot.store.postgres.connection import PostgresConnection
from bot.store.postgres.errors import guard
from bot.store.rules import iso_day

WENT_OUT = "('posted', 'revealed')"  # rounds students could see

# SQLite's lower() changes ASCII letters only; so does this, so both stores group the same wordings
_ASCII_LOWER = "translate({}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"


class PostgresReporting(PostgresConnection):
    """ReportingStore (bot.core.store)."""

    @guard
    async def unanswered_since(
        self, course_id: str, since: float, until: float | None = None, limit: int = 200
    ) -> list[UnansweredQuestion]:
        rows = await self._fetch(
            "SELECT question, count, first_asked, last_asked FROM unanswered WHERE course_id = $1"
            " AND last_asked >= $2 AND last_asked < $3 ORDER BY count DESC, last_asked DESC, id LIMIT $4",
            course_id, float(since), float("inf") if until is None else float(until), max(int(limit), 0),
        )
        return [
            UnansweredQuestion(clean_text(r["question"]), int(r["count"]), float(r["first_asked"]), float(r["last_asked"]))
            for r in rows
        ]

    @guard
    async def answer_votes(
        self, platform: str | None, guild_id: str | None, since: float, until: float | None = None
    ) -> list[AnswerVotes]:
        args: list[Any] = [float(since)]
        where = scope(platform, guild_id, args)
        if until is not None:
            args.append(float(until))
            where += f" AND created_at < ${len(args)}"
        # a fact's votes together; a passage answer (no fact) by its wording, case and spacing ignored
        # (the group's fact_id is the fact_id of its last row: the fact, or NULL for a wording)
        rows = await self._fetch(
            "SELECT f.fact_id, f.question, g.up, g.down FROM ("
            "  SELECT MAX(id) AS last_id, SUM(helpful) AS up, SUM(1 - helpful) AS down FROM feedback"
            f"  WHERE created_at >= $1{where}"
            f"  GROUP BY COALESCE(fact_id, '#' || {_ASCII_LOWER.format('trim(question)')})"
            ") g JOIN feedback f ON f.id = g.last_id ORDER BY g.down DESC, g.up, g.last_id DESC",
            *args,
        )
        return [AnswerVotes(r["fact_id"], clean_text(r["question"] or ""), int(r["up"]), int(r["down"])) for r in rows]

    @guard
    async def round_results(
        self, platform: str | None, guild_id: str | None, first_day: str | date, last_day: str | date
    ) -> list[RoundResult]:
        args: list[Any] = [iso_day(first_day), iso_day(last_day)]
        where = scope(platform, guild_id, args, "r.")
        rows = await self._fetch(
            "SELECT r.id, r.channel_id, r.item_id, r.day, COUNT(a.id) AS answered, COALESCE(SUM(a.correct), 0) AS correct"
            " FROM rounds r LEFT JOIN answers a ON a.round_id = r.id"
            f" WHERE r.status IN {WENT_OUT} AND r.day >= $1 AND r.day <= $2{where}"
            " GROUP BY r.id ORDER BY r.day, r.id",
            *args,
        )
        return [
            RoundResult(int(r["id"]), r["channel_id"], r["item_id"], r["day"], int(r["answered"]), int(r["correct"]))
            for r in rows
        ]

    @guard
    async def trivia_players(
        self, platform: str | None, guild_id: str | None, first_day: str | date, last_day: str | date
    ) -> int:
        args: list[Any] = [iso_day(first_day), iso_day(last_day)]
        where = scope(platform, guild_id, args, "r.")
        row = await self._fetch_one(
            "SELECT COUNT(DISTINCT a.user_id) FROM answers a JOIN rounds r ON r.id = a.round_id"
            f" WHERE r.status IN {WENT_OUT} AND r.day >= $1 AND r.day <= $2{where}",
            *args,
        )
        return int(row[0])


__all__ = ["PostgresReporting"]
