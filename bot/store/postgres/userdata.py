"""One student's data on PostgreSQL: export all of it, forget all of it (one transaction), and retention."""

from __future__ import annotations

from typing import Any

from bot.core.safetext import clean_text
from bot.core.store import AnswerRecord, AskedRecord, FeedbackRecord, ForgetReport, PurgeReport, ScoreRecord, UserData
from bot.store.postgres.connection import Conn, PostgresConnection
from bot.store.postgres.errors import guard
from bot.store.rules import asker_hash


def _scope(platform: str, guild_id: str | None, args: list[Any], table: str = "") -> str:
    """SQL condition for one platform, and one server when guild_id is given; the values are
    appended to ``args`` (numbered after the ones already there)."""
    prefix = f"{table}." if table else ""
    args.append(platform)
    sql = f"{prefix}platform = ${len(args)}"
    if guild_id is not None:
        args.append(str(guild_id))
        sql += f" AND {prefix}guild_id = ${len(args)}"
    return sql


def affected(status: str) -> int:
    """The number of rows of a command's status ("DELETE 3", "UPDATE 0")."""
    return int(status.rsplit(" ", 1)[-1])


# the questions whose only recorded asker is the student (their text is the student's own words)
_OWN_QUESTIONS = ("SELECT question_id FROM unanswered_askers WHERE user_id = $1 AND question_id NOT IN"
                  " (SELECT question_id FROM unanswered_askers WHERE user_id != $1)")


class PostgresUserData(PostgresConnection):
    """UserDataStore (bot.core.store)."""

    @guard
    async def export_user(self, platform: str, user_id: str, guild_id: str | None = None) -> UserData:
        uid = str(user_id)

        async def read(db: Conn) -> UserData:
            async with db.transaction(isolation="repeatable_read", readonly=True):  # one snapshot for all of it
                args: list[Any] = [uid]
                where = _scope(platform, guild_id, args)
                rows = await db.fetch(
                    "SELECT platform, guild_id, channel_id, question, fact_id, helpful, created_at FROM feedback"
                    f" WHERE {where} AND user_id = $1 ORDER BY created_at, id", *args)
                feedback = tuple(FeedbackRecord(r["platform"], r["guild_id"], r["channel_id"], clean_text(r["question"]),
                                                r["fact_id"], bool(r["helpful"]), float(r["created_at"])) for r in rows)
                args = [uid]
                where = _scope(platform, guild_id, args, "r")
                rows = await db.fetch(
                    "SELECT r.platform, r.guild_id, r.channel_id, r.day, r.item_id, a.answer, a.correct, a.points,"
                    f" a.answered_at FROM answers a JOIN rounds r ON r.id = a.round_id WHERE {where} AND a.user_id = $1"
                    " ORDER BY a.answered_at, a.id", *args)
                answers = tuple(AnswerRecord(r["platform"], r["guild_id"], r["channel_id"], r["day"], r["item_id"],
                                             clean_text(r["answer"]), bool(r["correct"]), int(r["points"]),
                                             float(r["answered_at"])) for r in rows)
                args = [uid]
                where = _scope(platform, guild_id, args)
                rows = await db.fetch(
                    "SELECT platform, guild_id, points, streak, best_streak, last_correct_day, optout FROM scores"
                    f' WHERE {where} AND user_id = $1 ORDER BY guild_id COLLATE "C"', *args)
                scores = tuple(ScoreRecord(r["platform"], r["guild_id"], int(r["points"]), int(r["streak"]),
                                           int(r["best_streak"]), r["last_correct_day"], bool(r["optout"]))
                               for r in rows)
                rows = await db.fetch(
                    "SELECT u.course_id, u.question, u.count, u.first_asked, u.last_asked FROM unanswered u"
                    " JOIN unanswered_askers a ON a.question_id = u.id WHERE a.user_id = $1"
                    " ORDER BY u.first_asked, u.id", uid)
                questions = tuple(AskedRecord(r["course_id"], clean_text(r["question"]), int(r["count"]),
                                              float(r["first_asked"]), float(r["last_asked"])) for r in rows)
            return UserData(platform, None if guild_id is None else str(guild_id), uid, feedback, answers, scores,
                            questions)

        return await self._read(read)

    @guard
    async def forget_user(self, platform: str, user_id: str, guild_id: str | None = None) -> ForgetReport:
        uid = str(user_id)

        async def write(db: Conn) -> ForgetReport:
            args: list[Any] = [uid]
            where = _scope(platform, guild_id, args)
            feedback = affected(await db.execute(f"DELETE FROM feedback WHERE {where} AND user_id = $1", *args))
            args = [uid]
            where = _scope(platform, guild_id, args, "r")
            answers = affected(await db.execute(
                f"DELETE FROM answers WHERE user_id = $1 AND round_id IN (SELECT r.id FROM rounds r WHERE {where})",
                *args))
            args = [uid]
            where = _scope(platform, guild_id, args)
            scores = affected(await db.execute(f"DELETE FROM scores WHERE {where} AND user_id = $1", *args))
            questions = affected(await db.execute(f"DELETE FROM unanswered WHERE id IN ({_OWN_QUESTIONS})", uid))
            links = affected(await db.execute("DELETE FROM unanswered_askers WHERE user_id = $1", uid))
            days = [str(r[0]) for r in await db.fetch("SELECT DISTINCT day FROM unanswered_quota")]
            quota = affected(await db.execute(
                "DELETE FROM unanswered_quota q USING unnest($1::text[], $2::text[]) AS h(day, asker)"
                " WHERE q.day = h.day AND q.asker = h.asker",
                days, [asker_hash(day, platform, uid) for day in days]))
            return ForgetReport(feedback, answers, scores, questions, links, quota)

        return await self._transact(write)

    @guard
    async def purge_before(self, cutoff: float) -> PurgeReport:
        cutoff = float(cutoff)

        async def write(db: Conn) -> PurgeReport:
            await db.execute("DELETE FROM unanswered_askers WHERE question_id IN"
                             " (SELECT id FROM unanswered WHERE last_asked < $1)", cutoff)
            questions = affected(await db.execute("DELETE FROM unanswered WHERE last_asked < $1", cutoff))
            feedback = affected(await db.execute("DELETE FROM feedback WHERE created_at < $1", cutoff))
            return PurgeReport(questions, feedback)

        return await self._transact(write)


__all__ = ["PostgresUserData"]
