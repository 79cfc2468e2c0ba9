"""Q&A records on PostgreSQL: students' feedback on answers, and the questions a course could not answer."""

from __future__ import annotations

from bot.core.safetext import clean_text
from bot.core.store import FeedbackCount, UnansweredQuestion
from bot.store.postgres.connection import Conn, PostgresConnection
from bot.store.postgres.errors import guard
from bot.store.rules import UNANSWERED_PER_ASKER_PER_DAY, asker_hash, quota_day, stored_text, unanswered_key


class PostgresQA(PostgresConnection):
    """FeedbackStore and UnansweredStore (bot.core.store)."""

    @guard
    async def record_feedback(
        self,
        platform: str,
        guild_id: str | None,
        channel_id: str | None,
        user_id: str,
        question: str,
        fact_id: str | None,
        helpful: bool,
        message_id: str | None = None,
    ) -> None:
        args = (platform, guild_id, channel_id, user_id, message_id, stored_text(question), fact_id, int(helpful),
                self._now())
        insert = (
            "INSERT INTO feedback (platform, guild_id, channel_id, user_id, message_id, question, fact_id, helpful,"
            " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        )
        if message_id is not None:  # a second vote on the same answer replaces the first, atomically
            insert += (
                " ON CONFLICT (platform, message_id, user_id) WHERE message_id IS NOT NULL DO UPDATE SET"
                " guild_id = excluded.guild_id, channel_id = excluded.channel_id, question = excluded.question,"
                " fact_id = excluded.fact_id, helpful = excluded.helpful, created_at = excluded.created_at"
            )

        async def write(db: Conn) -> None:
            await db.execute(insert, *args)

        await self._transact(write)

    @guard
    async def feedback_counts(self) -> list[FeedbackCount]:
        rows = await self._fetch(
            "SELECT fact_id, SUM(helpful) AS up, SUM(1 - helpful) AS down FROM feedback"
            ' GROUP BY fact_id ORDER BY down DESC, up DESC, fact_id COLLATE "C" NULLS FIRST'
        )
        return [FeedbackCount(r["fact_id"], int(r["up"]), int(r["down"])) for r in rows]

    @guard
    async def record_unanswered(
        self,
        platform: str,
        course_id: str,
        guild_id: str | None,
        channel_id: str | None,
        question: str,
        user_id: str | None,
        asker: str | None = None,
    ) -> bool:
        """Keep a question the course could not answer; whether it was kept (rules: bot.store.rules,
        the same as the SQLite store's)."""
        text = stored_text(question)
        key = unanswered_key(text)
        if not key:
            return False
        now = self._now()
        asker = asker if asker is not None else user_id

        async def write(db: Conn) -> bool:
            if asker:
                day = quota_day(now)
                await db.execute("DELETE FROM unanswered_quota WHERE day < $1", day)
                counted = await db.fetchval(
                    "INSERT INTO unanswered_quota AS q (day, asker, n) VALUES ($1, $2, 1)"
                    " ON CONFLICT (day, asker) DO UPDATE SET n = q.n + 1 WHERE q.n < $3 RETURNING n",
                    day, asker_hash(day, platform, asker), UNANSWERED_PER_ASKER_PER_DAY,
                )
                if counted is None:  # over the day's quota: not kept
                    return False
            question_id = await db.fetchval(
                "INSERT INTO unanswered AS u (course_id, question_key, question, count, first_asked, last_asked)"
                " VALUES ($1, $2, $3, 1, $4, $4) ON CONFLICT (course_id, question_key) DO UPDATE SET"
                " count = u.count + 1, question = excluded.question,"
                " last_asked = GREATEST(u.last_asked, excluded.last_asked) RETURNING id",
                course_id, key, text, now,
            )
            if user_id and question_id is not None:
                await db.execute(
                    "INSERT INTO unanswered_askers (question_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    question_id, str(user_id),
                )
            return True

        return await self._transact(write)

    @guard
    async def list_unanswered(self, course_id: str, limit: int = 50) -> list[UnansweredQuestion]:
        rows = await self._fetch(
            "SELECT u.id, u.question, u.count, u.first_asked, u.last_asked,"
            " (SELECT array_agg(a.user_id) FROM unanswered_askers a WHERE a.question_id = u.id) AS users"
            " FROM unanswered u WHERE u.course_id = $1 ORDER BY u.count DESC, u.last_asked DESC, u.id LIMIT $2",
            course_id, max(int(limit), 0),
        )
        out = []
        for r in rows:
            users = tuple(sorted(clean_text(u) for u in r["users"])) if r["users"] else ()
            out.append(UnansweredQuestion(clean_text(r["question"]), int(r["count"]), float(r["first_asked"]),
                                          float(r["last_asked"]), users))
        return out

    @guard
    async def count_unanswered(self, course_id: str) -> int:
        """How many distinct questions of the course are in the log."""
        row = await self._fetch_one("SELECT COUNT(*) FROM unanswered WHERE course_id = $1", course_id)
        return int(row[0])


__all__ = ["PostgresQA"]
