"""Trivia rounds and their answers on SQLite: recording a round before it is posted, its life
cycle (pending -> posted -> revealed, or failed), answers taken once and only while it is open,
and which items went out (for selection)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import aiosqlite

from bot.core.models import TriviaRound
from bot.core.store import (
    REVEAL_SENDING,
    REVEAL_SENT,
    REVEAL_UNSENT,
    ROUND_FAILED,
    ROUND_PENDING,
    ROUND_POSTED,
    ROUND_REVEALED,
    AnswerOutcome,
    ItemUsage,
    RoundExists,
    RoundStats,
)
from bot.store.rules import iso_day, round_from_row, stored_text
from bot.store.sqlite.connection import SQLiteConnection, fetch_one
from bot.store.sqlite.errors import guard


async def meta_if(db: aiosqlite.Connection, round_id: int, status: str) -> dict[str, Any] | None:
    """The round's meta when the round is in ``status`` (else None), within a transaction."""
    cur = await db.execute("SELECT meta FROM rounds WHERE id = ? AND status = ?", (round_id, status))
    row = await cur.fetchone()
    if row is None:
        return None
    meta: dict[str, Any] = json.loads(row["meta"])
    return meta


class SQLiteRounds(SQLiteConnection):
    """RoundStore (bot.core.store)."""

    async def _fetch_round(self, sql: str, args: tuple[Any, ...]) -> TriviaRound | None:
        cur = await self._conn.execute(sql, args)
        row = await cur.fetchone()
        return round_from_row(row) if row else None

    @guard
    async def create_round(self, platform: str, trivia_round: TriviaRound) -> TriviaRound:
        meta = {k: v for k, v in trivia_round.meta.items() if k != "platform"}
        day = iso_day(trivia_round.day)
        async with self._tx() as db:
            cur = await db.execute(
                "INSERT INTO rounds (platform, guild_id, channel_id, item_id, day, posted_at, closes_at, choices,"
                " message_id, status, meta, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)"
                " ON CONFLICT (platform, channel_id, day) DO NOTHING",
                (platform, str(trivia_round.guild_id), str(trivia_round.channel_id), trivia_round.item_id, day, trivia_round.posted_at,
                 trivia_round.closes_at, json.dumps(list(trivia_round.choices)), ROUND_PENDING, json.dumps(meta), self._now()),
            )
            new_id = cur.lastrowid if cur.rowcount == 1 else None
        if new_id is None:
            existing = await self.round_for_day(platform, trivia_round.guild_id, trivia_round.channel_id, day)
            assert existing is not None
            raise RoundExists(existing)
        created = await self.get_round(int(new_id))
        assert created is not None
        return created

    @guard
    async def mark_round_posted(self, round_id: int, message_id: str) -> None:
        # from failed too: a send that was slower than the stale-pending limit did go out after all
        async with self._tx() as db:
            await db.execute(
                "UPDATE rounds SET status = ?, message_id = ? WHERE id = ? AND status IN (?, ?, ?)",
                (ROUND_POSTED, str(message_id), round_id, ROUND_PENDING, ROUND_POSTED, ROUND_FAILED),
            )

    @guard
    async def mark_round_failed(self, round_id: int, reason: str) -> None:
        async with self._tx() as db:
            meta = await meta_if(db, round_id, ROUND_PENDING)
            if meta is None:
                return
            meta["failure"] = reason
            await db.execute(
                "UPDATE rounds SET status = ?, meta = ? WHERE id = ?", (ROUND_FAILED, json.dumps(meta), round_id)
            )

    @guard
    async def mark_reveal_sent(self, round_id: int, error: str | None = None) -> None:
        async with self._tx() as db:
            meta = await meta_if(db, round_id, ROUND_REVEALED)
            if meta is None or meta.get("reveal") != REVEAL_SENDING:
                return
            meta["reveal"] = REVEAL_SENT if error is None else REVEAL_UNSENT
            if error is not None:
                meta["reveal_error"] = error
            await db.execute("UPDATE rounds SET meta = ? WHERE id = ?", (json.dumps(meta), round_id))

    @guard
    async def unsent_reveals(
        self, platform: str | None = None, *, started_before: float | None = None
    ) -> list[TriviaRound]:
        limit = self._now() if started_before is None else float(started_before)
        cur = await self._conn.execute(
            "SELECT * FROM rounds WHERE status = ? AND (? IS NULL OR platform = ?)"
            " AND json_extract(meta, '$.reveal') = ? AND json_extract(meta, '$.reveal_started') <= ?"
            " ORDER BY closes_at, id",
            (ROUND_REVEALED, platform, platform, REVEAL_SENDING, limit),
        )
        return [round_from_row(r) for r in await cur.fetchall()]

    @guard
    async def get_round(self, round_id: int) -> TriviaRound | None:
        return await self._fetch_round("SELECT * FROM rounds WHERE id = ?", (round_id,))

    @guard
    async def get_round_by_message(self, platform: str, message_id: str) -> TriviaRound | None:
        return await self._fetch_round(
            "SELECT * FROM rounds WHERE platform = ? AND message_id = ?", (platform, str(message_id))
        )

    async def _rounds_with_status(self, status: str, platform: str | None, guild_id: str | None = None) -> list[TriviaRound]:
        cur = await self._conn.execute(
            "SELECT * FROM rounds WHERE status = ? AND (? IS NULL OR platform = ?) AND (? IS NULL OR guild_id = ?)"
            " ORDER BY closes_at, id",
            (status, platform, platform, guild_id, guild_id),
        )
        return [round_from_row(r) for r in await cur.fetchall()]

    @guard
    async def open_rounds(self, platform: str | None = None, guild_id: str | None = None) -> list[TriviaRound]:
        return await self._rounds_with_status(ROUND_POSTED, platform, None if guild_id is None else str(guild_id))

    @guard
    async def pending_rounds(self, platform: str | None = None) -> list[TriviaRound]:
        return await self._rounds_with_status(ROUND_PENDING, platform)

    @guard
    async def round_for_day(
        self, platform: str, guild_id: str, channel_id: str, day: str | date
    ) -> TriviaRound | None:
        return await self._fetch_round(
            "SELECT * FROM rounds WHERE platform = ? AND channel_id = ? AND day = ?",
            (platform, str(channel_id), iso_day(day)),
        )

    @guard
    async def last_round(self, platform: str, guild_id: str, channel_id: str) -> TriviaRound | None:
        return await self._fetch_round(
            "SELECT * FROM rounds WHERE platform = ? AND channel_id = ? ORDER BY day DESC LIMIT 1",
            (platform, str(channel_id)),
        )

    # ---- answers ---------------------------------------------------------------------------

    @guard
    async def record_answer(
        self, round_id: int, user_id: str, answer: str, correct: bool, *, now: float | None = None
    ) -> AnswerOutcome:
        at = self._now() if now is None else float(now)
        async with self._tx() as db:
            # Only into a round that is still open, checked in the same transaction as the insert:
            # an answer can never slip into a round that is being (or has been) revealed and scored.
            cur = await db.execute(
                "INSERT INTO answers (round_id, user_id, answer, correct, answered_at)"
                " SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM rounds"
                "   WHERE id = ? AND status IN (?, ?) AND closes_at > ?)"
                " ON CONFLICT (round_id, user_id) DO NOTHING",
                (round_id, str(user_id), stored_text(answer), int(correct), at, round_id,
                 ROUND_PENDING, ROUND_POSTED, at),
            )
            if cur.rowcount == 1:
                return "recorded"
            c2 = await db.execute(
                "SELECT 1 FROM answers WHERE round_id = ? AND user_id = ?", (round_id, str(user_id))
            )
            return "already_answered" if await c2.fetchone() is not None else "closed"

    @guard
    async def get_answer(self, round_id: int, user_id: str) -> tuple[str, bool] | None:
        cur = await self._conn.execute(
            "SELECT answer, correct FROM answers WHERE round_id = ? AND user_id = ?", (round_id, str(user_id))
        )
        row = await cur.fetchone()
        return (str(row[0]), bool(row[1])) if row else None

    @guard
    async def round_stats(self, round_id: int) -> RoundStats:
        cur = await self._conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(correct), 0) FROM answers WHERE round_id = ?", (round_id,)
        )
        row = await fetch_one(cur)
        return RoundStats(round_id, int(row[0]), int(row[1]))

    # ---- selection history -----------------------------------------------------------------

    @guard
    async def item_history(self, platform: str, guild_id: str, channel_id: str | None = None) -> list[ItemUsage]:
        where = "r.platform = ? AND r.guild_id = ? AND r.status IN ('posted', 'revealed')"
        args: list[Any] = [platform, str(guild_id)]
        if channel_id is not None:
            where += " AND r.channel_id = ?"
            args.append(str(channel_id))
        cur = await self._conn.execute(
            "SELECT r.item_id AS item_id, COUNT(DISTINCT r.id) AS used, MAX(r.day) AS last,"
            " COUNT(a.id) AS answered, COALESCE(SUM(a.correct), 0) AS correct"
            f" FROM rounds r LEFT JOIN answers a ON a.round_id = r.id WHERE {where}"
            " GROUP BY r.item_id ORDER BY last",
            args,
        )
        return [
            ItemUsage(r["item_id"], int(r["used"]), r["last"], int(r["answered"]), int(r["correct"]))
            for r in await cur.fetchall()
        ]


__all__ = ["SQLiteRounds", "meta_if", "round_from_row"]
