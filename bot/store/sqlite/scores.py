"""Scores on SQLite: what a reveal awards (points, streaks), leaderboards and a student's stats."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import aiosqlite

from bot.core.store import (
    REVEAL_SENDING,
    ROUND_POSTED,
    ROUND_REVEALED,
    Award,
    LeaderboardRow,
    Period,
    Scoring,
    UserStats,
)
from bot.store.rules import day_of, period_days
from bot.store.sqlite.connection import SQLiteConnection, fetch_one
from bot.store.sqlite.errors import guard

# The stored streak, or 0 once a round of the server was revealed on a later day without the
# user getting a round of that day right (trivia days, not calendar days: a weekend without
# trivia breaks nothing).
CURRENT_STREAK = (
    "CASE WHEN s.last_correct_round IS NULL THEN 0"
    " WHEN EXISTS (SELECT 1 FROM rounds lr JOIN rounds later ON later.platform = lr.platform"
    "   AND later.guild_id = lr.guild_id AND later.status = 'revealed' AND later.day > lr.day"
    "   WHERE lr.id = s.last_correct_round) THEN 0"
    " ELSE s.streak END"
)


async def streak_at(db: aiosqlite.Connection, round_row: sqlite3.Row, user_id: str) -> int:
    """How many trivia days in a row, ending with this round's, the user got a round right in
    this round's server (whichever of its channels the rounds were in).

    Trivia days, not calendar days: only days with a round that went out and was revealed
    count, so a weekend, a day with trivia off or a post that failed does not break a streak;
    a day whose rounds the user all missed or got wrong does. Two rounds right on one day (in
    two channels) count that day once.
    """
    cur = await db.execute(
        "SELECT r.day, MAX(COALESCE(a.correct, 0)) AS correct FROM rounds r"
        " LEFT JOIN answers a ON a.round_id = r.id AND a.user_id = ?"
        " WHERE r.platform = ? AND r.guild_id = ? AND r.day <= ? AND (r.status = ? OR r.id = ?)"
        " GROUP BY r.day ORDER BY r.day DESC",
        (user_id, round_row["platform"], round_row["guild_id"], round_row["day"], ROUND_REVEALED,
         round_row["id"]),
    )
    streak = 0
    async for r in cur:
        if not r["correct"]:
            break
        streak += 1
    return max(streak, 1)


class SQLiteScores(SQLiteConnection):
    """ScoreStore (bot.core.store)."""

    @guard
    async def reveal_round(self, round_id: int, scoring: Scoring) -> list[Award] | None:
        async with self._tx() as db:
            cur = await db.execute("SELECT * FROM rounds WHERE id = ?", (round_id,))
            row = await cur.fetchone()
            if row is None or row["status"] != ROUND_POSTED:
                return None
            platform, guild, day = row["platform"], row["guild_id"], row["day"]
            meta = json.loads(row["meta"])
            meta["reveal"], meta["reveal_started"] = REVEAL_SENDING, self._now()
            await db.execute(
                "UPDATE rounds SET status = ?, meta = ? WHERE id = ?", (ROUND_REVEALED, json.dumps(meta), round_id)
            )
            cur = await db.execute(
                "SELECT id, user_id FROM answers WHERE round_id = ? AND correct = 1 ORDER BY answered_at, id",
                (round_id,),
            )
            awards: list[Award] = []
            for answer in await cur.fetchall():
                user = answer["user_id"]
                streak = await streak_at(db, row, user)
                c2 = await db.execute(
                    "SELECT s.best_streak, s.last_correct_day FROM scores s"
                    " WHERE s.platform = ? AND s.guild_id = ? AND s.user_id = ?",
                    (platform, guild, user),
                )
                score = await c2.fetchone()
                best, last = (int(score[0]), score[1]) if score else (0, None)
                points = scoring.points_for(streak)
                await db.execute("UPDATE answers SET points = ? WHERE id = ?", (points, answer["id"]))
                if last is None or last <= day:  # a late reveal of an older round leaves the streak alone
                    await db.execute(
                        "INSERT INTO scores (platform, guild_id, user_id, points, streak, best_streak,"
                        " last_correct_day, last_correct_round) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                        " ON CONFLICT (platform, guild_id, user_id) DO UPDATE SET"
                        " points = points + excluded.points, streak = excluded.streak,"
                        " best_streak = excluded.best_streak, last_correct_day = excluded.last_correct_day,"
                        " last_correct_round = excluded.last_correct_round",
                        (platform, guild, user, points, streak, max(best, streak), day, round_id),
                    )
                else:
                    await db.execute(
                        "UPDATE scores SET points = points + ?, best_streak = MAX(best_streak, ?)"
                        " WHERE platform = ? AND guild_id = ? AND user_id = ?",
                        (points, streak, platform, guild, user),
                    )
                awards.append(Award(user, points, streak))
            return awards

    @guard
    async def leaderboard(
        self, platform: str, guild_id: str, period: Period = "all", limit: int = 10, *, today: str | date | None = None
    ) -> list[LeaderboardRow]:
        start, end = period_days(period, day_of(today, self.clock))
        cur = await self._conn.execute(
            "SELECT a.user_id AS user_id, SUM(a.points) AS pts, SUM(a.correct) AS correct,"
            f" COALESCE({CURRENT_STREAK}, 0) AS streak, MIN(a.answered_at) AS first"
            " FROM answers a JOIN rounds r ON r.id = a.round_id"
            " LEFT JOIN scores s ON s.platform = r.platform AND s.guild_id = r.guild_id AND s.user_id = a.user_id"
            " WHERE r.platform = ? AND r.guild_id = ? AND r.status = 'revealed' AND r.day >= ? AND r.day <= ?"
            " AND COALESCE(s.optout, 0) = 0"
            " GROUP BY a.user_id HAVING pts > 0 ORDER BY pts DESC, correct DESC, first ASC LIMIT ?",
            (platform, str(guild_id), start.isoformat(), end.isoformat(), int(limit)),
        )
        rows = await cur.fetchall()
        return [
            LeaderboardRow(i + 1, r["user_id"], int(r["pts"]), int(r["correct"]), int(r["streak"]))
            for i, r in enumerate(rows)
        ]

    @guard
    async def user_stats(
        self, platform: str, guild_id: str, user_id: str, *, today: str | date | None = None
    ) -> UserStats:
        monday, end = period_days("week", day_of(today, self.clock))
        db = self._conn
        cur = await db.execute(
            "SELECT COUNT(*), COALESCE(SUM(a.correct), 0),"
            " COALESCE(SUM(CASE WHEN r.day >= ? AND r.day <= ? THEN a.points ELSE 0 END), 0)"
            " FROM answers a JOIN rounds r ON r.id = a.round_id"
            " WHERE r.platform = ? AND r.guild_id = ? AND a.user_id = ? AND r.status = 'revealed'",
            (monday.isoformat(), end.isoformat(), platform, str(guild_id), str(user_id)),
        )
        answered, correct, week = await fetch_one(cur)
        cur = await db.execute(
            f"SELECT s.*, {CURRENT_STREAK} AS current_streak FROM scores s"
            " WHERE s.platform = ? AND s.guild_id = ? AND s.user_id = ?",
            (platform, str(guild_id), str(user_id)),
        )
        s = await cur.fetchone()
        points = int(s["points"]) if s else 0
        optout = bool(s["optout"]) if s else False
        rank = None
        if points > 0 and not optout:
            cur = await db.execute(
                "SELECT COUNT(*) FROM scores WHERE platform = ? AND guild_id = ? AND optout = 0 AND points > ?",
                (platform, str(guild_id), points),
            )
            rank = int((await fetch_one(cur))[0]) + 1
        return UserStats(
            user_id=str(user_id),
            points=points,
            week_points=int(week),
            answered=int(answered),
            correct=int(correct),
            streak=int(s["current_streak"]) if s else 0,
            best_streak=int(s["best_streak"]) if s else 0,
            rank=rank,
            optout=optout,
        )

    @guard
    async def set_leaderboard_optout(self, platform: str, guild_id: str, user_id: str, optout: bool = True) -> None:
        async with self._tx() as db:
            await db.execute(
                "INSERT INTO scores (platform, guild_id, user_id, optout) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (platform, guild_id, user_id) DO UPDATE SET optout = excluded.optout",
                (platform, str(guild_id), str(user_id), int(optout)),
            )


__all__ = ["CURRENT_STREAK", "SQLiteScores", "streak_at"]
