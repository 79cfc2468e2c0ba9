"""One student's data on SQLite: export all of it, forget all of it (one transaction), and retention."""

from __future__ import annotations

from bot.core.safetext import clean_text
from bot.core.store import AnswerRecord, AskedRecord, FeedbackRecord, ForgetReport, PurgeReport, ScoreRecord, UserData
from bot.store.rules import asker_hash
from bot.store.sqlite.connection import SQLiteConnection
from bot.store.sqlite.errors import guard


def _scope(platform: str, guild_id: str | None, table: str = "") -> tuple[str, tuple[str, ...]]:
    """SQL condition and parameters for one platform, and one server when guild_id is given."""
    prefix = f"{table}." if table else ""
    if guild_id is None:
        return f"{prefix}platform = ?", (platform,)
    return f"{prefix}platform = ? AND {prefix}guild_id = ?", (platform, str(guild_id))


# the questions whose only recorded asker is the student (their text is the student's own words)
_OWN_QUESTIONS = ("SELECT question_id FROM unanswered_askers WHERE user_id = ? AND question_id NOT IN"
                  " (SELECT question_id FROM unanswered_askers WHERE user_id != ?)")


class SQLiteUserData(SQLiteConnection):
    """UserDataStore (bot.core.store)."""

    @guard
    async def export_user(self, platform: str, user_id: str, guild_id: str | None = None) -> UserData:
        uid = str(user_id)
        db = self._conn
        where, params = _scope(platform, guild_id)
        cur = await db.execute(
            f"SELECT platform, guild_id, channel_id, question, fact_id, helpful, created_at FROM feedback"
            f" WHERE {where} AND user_id = ? ORDER BY created_at, id", (*params, uid))
        feedback = tuple(FeedbackRecord(r["platform"], r["guild_id"], r["channel_id"], clean_text(r["question"]),
                                        r["fact_id"], bool(r["helpful"]), float(r["created_at"]))
                         for r in await cur.fetchall())
        where, params = _scope(platform, guild_id, "r")
        cur = await db.execute(
            f"SELECT r.platform, r.guild_id, r.channel_id, r.day, r.item_id, a.answer, a.correct, a.points,"
            f" a.answered_at FROM answers a JOIN rounds r ON r.id = a.round_id WHERE {where} AND a.user_id = ?"
            f" ORDER BY a.answered_at, a.id", (*params, uid))
        answers = tuple(AnswerRecord(r["platform"], r["guild_id"], r["channel_id"], r["day"], r["item_id"],
                                     clean_text(r["answer"]), bool(r["correct"]), int(r["points"]),
                                     float(r["answered_at"])) for r in await cur.fetchall())
        where, params = _scope(platform, guild_id)
        cur = await db.execute(
            f"SELECT platform, guild_id, points, streak, best_streak, last_correct_day, optout FROM scores"
            f" WHERE {where} AND user_id = ? ORDER BY guild_id", (*params, uid))
        scores = tuple(ScoreRecord(r["platform"], r["guild_id"], int(r["points"]), int(r["streak"]),
                                   int(r["best_streak"]), r["last_correct_day"], bool(r["optout"]))
                       for r in await cur.fetchall())
        cur = await db.execute(
            "SELECT u.course_id, u.question, u.count, u.first_asked, u.last_asked FROM unanswered u"
            " JOIN unanswered_askers a ON a.question_id = u.id WHERE a.user_id = ? ORDER BY u.first_asked, u.id", (uid,))
        questions = tuple(AskedRecord(r["course_id"], clean_text(r["question"]), int(r["count"]),
                                      float(r["first_asked"]), float(r["last_asked"])) for r in await cur.fetchall())
        return UserData(platform, None if guild_id is None else str(guild_id), uid, feedback, answers, scores, questions)

    @guard
    async def forget_user(self, platform: str, user_id: str, guild_id: str | None = None) -> ForgetReport:
        uid = str(user_id)
        async with self._tx() as db:
            where, params = _scope(platform, guild_id)
            feedback = (await db.execute(f"DELETE FROM feedback WHERE {where} AND user_id = ?", (*params, uid))).rowcount
            where, params = _scope(platform, guild_id, "r")
            answers = (await db.execute(
                f"DELETE FROM answers WHERE user_id = ? AND round_id IN (SELECT r.id FROM rounds r WHERE {where})",
                (uid, *params))).rowcount
            where, params = _scope(platform, guild_id)
            scores = (await db.execute(f"DELETE FROM scores WHERE {where} AND user_id = ?", (*params, uid))).rowcount
            questions = (await db.execute(f"DELETE FROM unanswered WHERE id IN ({_OWN_QUESTIONS})", (uid, uid))).rowcount
            links = (await db.execute("DELETE FROM unanswered_askers WHERE user_id = ?", (uid,))).rowcount
            cur = await db.execute("SELECT DISTINCT day FROM unanswered_quota")
            hashes = [(r[0], asker_hash(r[0], platform, uid)) for r in await cur.fetchall()]
            quota = 0
            for day, digest in hashes:
                quota += (await db.execute("DELETE FROM unanswered_quota WHERE day = ? AND asker = ?",
                                           (day, digest))).rowcount
        return ForgetReport(feedback, answers, scores, questions, links, quota)

    @guard
    async def purge_before(self, cutoff: float) -> PurgeReport:
        async with self._tx() as db:
            await db.execute("DELETE FROM unanswered_askers WHERE question_id IN"
                             " (SELECT id FROM unanswered WHERE last_asked < ?)", (cutoff,))
            questions = (await db.execute("DELETE FROM unanswered WHERE last_asked < ?", (cutoff,))).rowcount
            feedback = (await db.execute("DELETE FROM feedback WHERE created_at < ?", (cutoff,))).rowcount
        return PurgeReport(questions, feedback)


__all__ = ["SQLiteUserData"]
