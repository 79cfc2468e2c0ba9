"""Q&A records on SQLite: students' feedback on answers, and the questions a course could not answer."""

from __future__ import annotations

from bot.core.safetext import clean_text
from bot.core.store import FeedbackCount, UnansweredQuestion
from bot.store.rules import UNANSWERED_PER_ASKER_PER_DAY, asker_hash, quota_day, stored_text, unanswered_key
from bot.store.sqlite.connection import SQLiteConnection, fetch_one
from bot.store.sqlite.errors import guard


class SQLiteQA(SQLiteConnection):
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
        async with self._tx() as db:
            if message_id is not None:
                await db.execute(
                    "DELETE FROM feedback WHERE platform = ? AND message_id = ? AND user_id = ?",
                    (platform, message_id, user_id),
                )
            await db.execute(
                "INSERT INTO feedback (platform, guild_id, channel_id, user_id, message_id, question, fact_id, helpful,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (platform, guild_id, channel_id, user_id, message_id, stored_text(question), fact_id, int(helpful),
                 self._now()),
            )

    @guard
    async def feedback_counts(self) -> list[FeedbackCount]:
        cur = await self._conn.execute(
            "SELECT fact_id, SUM(helpful) AS up, SUM(1 - helpful) AS down FROM feedback"
            " GROUP BY fact_id ORDER BY down DESC, up DESC, fact_id"
        )
        return [FeedbackCount(r["fact_id"], int(r["up"]), int(r["down"])) for r in await cur.fetchall()]

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
        """Keep a question the course could not answer; whether it was kept.

        Control characters are removed and the text capped at UNANSWERED_MAX_CHARS; a repeat (same
        text, case, spacing and end punctuation ignored) adds to its row's count. ``asker`` (any id
        of who asked, default ``user_id``) counts against UNANSWERED_PER_ASKER_PER_DAY; it is kept
        only as a hash of the day and the id, and only until the day is over.
        """
        text = stored_text(question)
        key = unanswered_key(text)
        if not key:
            return False
        now = self._now()
        asker = asker if asker is not None else user_id
        async with self._tx() as db:
            if asker:
                day = quota_day(now)
                await db.execute("DELETE FROM unanswered_quota WHERE day < ?", (day,))
                cur = await db.execute(
                    "INSERT INTO unanswered_quota (day, asker, n) VALUES (?, ?, 1)"
                    " ON CONFLICT (day, asker) DO UPDATE SET n = n + 1 WHERE n < ? RETURNING n",
                    (day, asker_hash(day, platform, asker), UNANSWERED_PER_ASKER_PER_DAY),
                )
                if await cur.fetchone() is None:  # over the day's quota: not kept
                    return False
            cur = await db.execute(
                "INSERT INTO unanswered (course_id, question_key, question, count, first_asked, last_asked)"
                " VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT (course_id, question_key) DO UPDATE SET"
                " count = count + 1, question = excluded.question, last_asked = MAX(last_asked, excluded.last_asked)"
                " RETURNING id",
                (course_id, key, text, now, now),
            )
            row = await cur.fetchone()
            if user_id and row is not None:
                await db.execute(
                    "INSERT OR IGNORE INTO unanswered_askers (question_id, user_id) VALUES (?, ?)", (row[0], str(user_id))
                )
        return True

    @guard
    async def list_unanswered(self, course_id: str, limit: int = 50) -> list[UnansweredQuestion]:
        cur = await self._conn.execute(
            "SELECT u.id, u.question, u.count, u.first_asked, u.last_asked,"
            " (SELECT GROUP_CONCAT(a.user_id, char(31)) FROM unanswered_askers a WHERE a.question_id = u.id) AS users"
            " FROM unanswered u WHERE u.course_id = ? ORDER BY u.count DESC, u.last_asked DESC, u.id LIMIT ?",
            (course_id, max(int(limit), 0)),
        )
        out = []
        for r in await cur.fetchall():
            users = tuple(sorted(clean_text(u) for u in r["users"].split("\x1f"))) if r["users"] else ()
            # cleaned on the way out too: rows written before control characters were stripped
            out.append(UnansweredQuestion(clean_text(r["question"]), int(r["count"]), float(r["first_asked"]),
                                          float(r["last_asked"]), users))
        return out

    @guard
    async def count_unanswered(self, course_id: str) -> int:
        """How many distinct questions of the course are in the log."""
        cur = await self._conn.execute("SELECT COUNT(*) FROM unanswered WHERE course_id = ?", (course_id,))
        return int((await fetch_one(cur))[0])


__all__ = ["SQLiteQA"]
