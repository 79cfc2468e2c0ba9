"""Scores on PostgreSQL: what a reveal awards (points, streaks), leaderboards and a student's stats.

A reveal is claimed once: it locks the round's row (``SELECT ... FOR UPDATE``) and goes on only if
the round is still *posted*; a second reveal waits for the first to commit, then sees *revealed*
and returns None. Reveals of one server also take that server's advisory lock, so two channels'
rounds revealed at once update the server's streaks one after the other, as on SQLite.
"""

from __future__ import annotations

import json
from datetime import date

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
from bot.store.postgres.connection import LOCK_SPACE, Conn, PostgresConnection
from bot.store.postgres.errors import guard
from bot.store.rules import day_of, period_days

# The stored streak, or 0 once a round of the server was revealed on a later day without the user
# getting a round of that day right (the same rule as bot/store/sqlite/scores.py).
CURRENT_STREAK = (
    "CASE WHEN s.last_correct_round IS NULL THEN 0"
    " WHEN EXISTS (SELECT 1 FROM rounds lr JOIN rounds later ON later.platform = lr.platform"
    "   AND later.guild_id = lr.guild_id AND later.status = 'revealed' AND later.day > lr.day"
    "   WHERE lr.id = s.last_correct_round) THEN 0"
    " ELSE s.streak END"
)


# For each given user (an array, $5): how many trivia days in a row, ending with this round's day
# ($3), they got a round of this server right. The days are those of the server's rounds that
# were revealed (or are this round, $4), numbered back from this one (dn = 1, 2...); a user's days
# right, numbered the same way in order (rn), match dn exactly as long as no day was missed. The
# same rule as streak_at in bot/store/sqlite/scores.py (trivia days, not calendar days; two rounds
# right on one day count that day once), for all the round's users in one query.
STREAKS = """
WITH days AS (
    SELECT day, row_number() OVER (ORDER BY day DESC) AS dn FROM (
        SELECT DISTINCT day FROM rounds
        WHERE platform = $1 AND guild_id = $2 AND day <= $3 AND (status = 'revealed' OR id = $4)) d
), hits AS (
    SELECT DISTINCT a.user_id, r.day FROM answers a JOIN rounds r ON r.id = a.round_id
    WHERE r.platform = $1 AND r.guild_id = $2 AND r.day <= $3 AND (r.status = 'revealed' OR r.id = $4)
      AND a.correct = 1 AND a.user_id = ANY($5::text[])
), ranked AS (
    SELECT h.user_id, d.dn, row_number() OVER (PARTITION BY h.user_id ORDER BY d.dn) AS rn
    FROM hits h JOIN days d ON d.day = h.day
)
SELECT user_id, COUNT(*) FILTER (WHERE dn = rn) AS streak FROM ranked GROUP BY user_id
"""


async def lock_server(db: Conn, platform: str, guild_id: str) -> None:
    """Hold the server's advisory lock until the transaction ends."""
    await db.execute(
        "SELECT pg_advisory_xact_lock($1, hashtext($2 || chr(31) || $3))", LOCK_SPACE, platform, guild_id
    )


class PostgresScores(PostgresConnection):
    """ScoreStore (bot.core.store)."""

    @guard
    async def reveal_round(self, round_id: int, scoring: Scoring) -> list[Award] | None:
        async def claim(db: Conn) -> list[Award] | None:
            found = await db.fetchrow("SELECT platform, guild_id FROM rounds WHERE id = $1", round_id)
            if found is None:
                return None
            await lock_server(db, found["platform"], found["guild_id"])
            row = await db.fetchrow("SELECT * FROM rounds WHERE id = $1 FOR UPDATE", round_id)
            if row is None or row["status"] != ROUND_POSTED:
                return None  # revealed already (by us or another process), or never posted
            platform, guild, day = row["platform"], row["guild_id"], row["day"]
            meta = json.loads(row["meta"])
            meta["reveal"], meta["reveal_started"] = REVEAL_SENDING, self._now()
            await db.execute(
                "UPDATE rounds SET status = $1, meta = $2 WHERE id = $3", ROUND_REVEALED, json.dumps(meta), round_id
            )
            answers = await db.fetch(
                "SELECT id, user_id FROM answers WHERE round_id = $1 AND correct = 1 ORDER BY answered_at, id",
                round_id,
            )
            users = [str(a["user_id"]) for a in answers]
            if not users:
                return []
            streaks = {
                str(r["user_id"]): max(int(r["streak"]), 1)
                for r in await db.fetch(STREAKS, platform, guild, day, round_id, users)
            }  # fmt: skip
            scores = {
                str(r["user_id"]): (int(r["best_streak"]), r["last_correct_day"])
                for r in await db.fetch(
                    "SELECT user_id, best_streak, last_correct_day FROM scores"
                    " WHERE platform = $1 AND guild_id = $2 AND user_id = ANY($3::text[])",
                    platform, guild, users,
                )
            }  # fmt: skip
            awards: list[Award] = []
            points_of_answers: list[tuple[int, int]] = []
            moved_on: list[tuple[str, str, str, int, int, int, str, int]] = []  # streak now ends with this round
            late: list[tuple[int, int, str, str, str]] = []  # an older round revealed late: streak left alone
            for answer in answers:
                user = str(answer["user_id"])
                streak = streaks.get(user, 1)
                best, last = scores.get(user, (0, None))
                points = scoring.points_for(streak)
                points_of_answers.append((points, int(answer["id"])))
                if last is None or last <= day:
                    moved_on.append((platform, guild, user, points, streak, max(best, streak), day, round_id))
                else:
                    late.append((points, streak, platform, guild, user))
                awards.append(Award(user, points, streak))
            await db.executemany("UPDATE answers SET points = $1 WHERE id = $2", points_of_answers)
            if moved_on:
                await db.executemany(
                    "INSERT INTO scores AS s (platform, guild_id, user_id, points, streak, best_streak,"
                    " last_correct_day, last_correct_round) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                    " ON CONFLICT (platform, guild_id, user_id) DO UPDATE SET"
                    " points = s.points + excluded.points, streak = excluded.streak,"
                    " best_streak = excluded.best_streak, last_correct_day = excluded.last_correct_day,"
                    " last_correct_round = excluded.last_correct_round",
                    moved_on,
                )
            if late:
                await db.executemany(
                    "UPDATE scores SET points = points + $1, best_streak = GREATEST(best_streak, $2)"
                    " WHERE platform = $3 AND guild_id = $4 AND user_id = $5",
                    late,
                )
            return awards

        return await self._transact(claim)

    @guard
    async def leaderboard(
        self, platform: str, guild_id: str, period: Period = "all", limit: int = 10, *, today: str | date | None = None
    ) -> list[LeaderboardRow]:
        start, end = period_days(period, day_of(today, self.clock))
        rows = await self._fetch(
            "SELECT a.user_id AS user_id, SUM(a.points) AS pts, SUM(a.correct) AS correct,"
            f" COALESCE(MAX({CURRENT_STREAK}), 0) AS streak, MIN(a.answered_at) AS first"
            " FROM answers a JOIN rounds r ON r.id = a.round_id"
            " LEFT JOIN scores s ON s.platform = r.platform AND s.guild_id = r.guild_id AND s.user_id = a.user_id"
            " WHERE r.platform = $1 AND r.guild_id = $2 AND r.status = 'revealed' AND r.day >= $3 AND r.day <= $4"
            " AND COALESCE(s.optout, 0) = 0"
            " GROUP BY a.user_id HAVING SUM(a.points) > 0 ORDER BY pts DESC, correct DESC, first ASC LIMIT $5",
            platform, str(guild_id), start.isoformat(), end.isoformat(), int(limit),
        )
        return [
            LeaderboardRow(i + 1, r["user_id"], int(r["pts"]), int(r["correct"]), int(r["streak"]))
            for i, r in enumerate(rows)
        ]

    @guard
    async def user_stats(
        self, platform: str, guild_id: str, user_id: str, *, today: str | date | None = None
    ) -> UserStats:
        monday, end = period_days("week", day_of(today, self.clock))
        async with self.pool.acquire() as db:
            totals = await db.fetchrow(
                "SELECT COUNT(*), COALESCE(SUM(a.correct), 0),"
                " COALESCE(SUM(CASE WHEN r.day >= $1 AND r.day <= $2 THEN a.points ELSE 0 END), 0)"
                " FROM answers a JOIN rounds r ON r.id = a.round_id"
                " WHERE r.platform = $3 AND r.guild_id = $4 AND a.user_id = $5 AND r.status = 'revealed'",
                monday.isoformat(), end.isoformat(), platform, str(guild_id), str(user_id),
            )
            answered, correct, week = totals if totals is not None else (0, 0, 0)
            s = await db.fetchrow(
                f"SELECT s.*, {CURRENT_STREAK} AS current_streak FROM scores s"
                " WHERE s.platform = $1 AND s.guild_id = $2 AND s.user_id = $3",
                platform, str(guild_id), str(user_id),
            )
            points = int(s["points"]) if s else 0
            optout = bool(s["optout"]) if s else False
            rank = None
            if points > 0 and not optout:
                above = await db.fetchval(
                    "SELECT COUNT(*) FROM scores WHERE platform = $1 AND guild_id = $2 AND optout = 0 AND points > $3",
                    platform, str(guild_id), points,
                )
                rank = int(above or 0) + 1
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
        async def write(db: Conn) -> None:
            await db.execute(
                "INSERT INTO scores (platform, guild_id, user_id, optout) VALUES ($1, $2, $3, $4)"
                " ON CONFLICT (platform, guild_id, user_id) DO UPDATE SET optout = excluded.optout",
                platform, str(guild_id), str(user_id), int(optout),
            )

        await self._transact(write)


__all__ = ["CURRENT_STREAK", "STREAKS", "PostgresScores", "lock_server"]
