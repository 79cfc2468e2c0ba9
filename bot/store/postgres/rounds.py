"""Trivia rounds and their answers on PostgreSQL: recording a round before it is posted (one per
channel per day, by the unique key), its life cycle (pending -> posted -> revealed, or failed),
answers taken once and only while it is open, and which items went out (for selection).

An answer and a reveal exclude each other by the round's row lock: an answer holds it
``FOR SHARE`` while it checks the round is open and inserts; a reveal takes it ``FOR UPDATE``
(scores.py). So an answer is either in before the reveal reads the answers, or sees the round
revealed and is refused: none is ever stored and left unscored.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import asyncpg

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
from bot.store.postgres.connection import Conn, PostgresConnection
from bot.store.postgres.errors import guard
from bot.store.rules import iso_day, round_from_row, stored_text


async def meta_if(db: Conn, round_id: int, status: str) -> dict[str, Any] | None:
    """The round's meta when the round is in ``status`` (else None), locked until the transaction ends."""
    raw = await db.fetchval("SELECT meta FROM rounds WHERE id = $1 AND status = $2 FOR UPDATE", round_id, status)
    if raw is None:
        return None
    meta: dict[str, Any] = json.loads(raw)
    return meta


class PostgresRounds(PostgresConnection):
    """RoundStore (bot.core.store)."""

    async def _fetch_round(self, sql: str, *args: Any) -> TriviaRound | None:
        row = await self._fetchrow(sql, *args)
        return round_from_row(row) if row else None

    @guard
    async def create_round(self, platform: str, trivia_round: TriviaRound) -> TriviaRound:
        meta = {k: v for k, v in trivia_round.meta.items() if k != "platform"}
        day = iso_day(trivia_round.day)

        async def write(db: Conn) -> asyncpg.Record | None:
            return await db.fetchrow(
                "INSERT INTO rounds (platform, guild_id, channel_id, item_id, day, posted_at, closes_at, choices,"
                " message_id, status, meta, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10, $11)"
                " ON CONFLICT (platform, channel_id, day) DO NOTHING RETURNING *",
                platform, str(trivia_round.guild_id), str(trivia_round.channel_id), trivia_round.item_id, day, float(trivia_round.posted_at),
                float(trivia_round.closes_at), json.dumps(list(trivia_round.choices)), ROUND_PENDING, json.dumps(meta), self._now(),
            )

        created = await self._transact(write)
        if created is None:
            existing = await self.round_for_day(platform, trivia_round.guild_id, trivia_round.channel_id, day)
            assert existing is not None
            raise RoundExists(existing)
        return round_from_row(created)

    @guard
    async def mark_round_posted(self, round_id: int, message_id: str) -> None:
        # from failed too: a send that was slower than the stale-pending limit did go out after all
        async def write(db: Conn) -> None:
            await db.execute(
                "UPDATE rounds SET status = $1, message_id = $2 WHERE id = $3 AND status IN ($4, $5, $6)",
                ROUND_POSTED, str(message_id), round_id, ROUND_PENDING, ROUND_POSTED, ROUND_FAILED,
            )

        await self._transact(write)

    @guard
    async def mark_round_failed(self, round_id: int, reason: str) -> None:
        async def write(db: Conn) -> None:
            meta = await meta_if(db, round_id, ROUND_PENDING)
            if meta is None:
                return
            meta["failure"] = reason
            await db.execute(
                "UPDATE rounds SET status = $1, meta = $2 WHERE id = $3", ROUND_FAILED, json.dumps(meta), round_id
            )

        await self._transact(write)

    @guard
    async def mark_reveal_sent(self, round_id: int, error: str | None = None) -> None:
        async def write(db: Conn) -> None:
            meta = await meta_if(db, round_id, ROUND_REVEALED)
            if meta is None or meta.get("reveal") != REVEAL_SENDING:
                return
            meta["reveal"] = REVEAL_SENT if error is None else REVEAL_UNSENT
            if error is not None:
                meta["reveal_error"] = error
            await db.execute("UPDATE rounds SET meta = $1 WHERE id = $2", json.dumps(meta), round_id)

        await self._transact(write)

    @guard
    async def unsent_reveals(
        self, platform: str | None = None, *, started_before: float | None = None
    ) -> list[TriviaRound]:
        limit = self._now() if started_before is None else float(started_before)
        rows = await self._fetch(
            "SELECT * FROM rounds WHERE status = $1 AND ($2::text IS NULL OR platform = $2)"
            " AND (meta::jsonb ->> 'reveal') = $3 AND (meta::jsonb ->> 'reveal_started')::double precision <= $4"
            " ORDER BY closes_at, id",
            ROUND_REVEALED, platform, REVEAL_SENDING, limit,
        )
        return [round_from_row(r) for r in rows]

    @guard
    async def get_round(self, round_id: int) -> TriviaRound | None:
        return await self._fetch_round("SELECT * FROM rounds WHERE id = $1", round_id)

    @guard
    async def get_round_by_message(self, platform: str, message_id: str) -> TriviaRound | None:
        return await self._fetch_round(
            "SELECT * FROM rounds WHERE platform = $1 AND message_id = $2 ORDER BY id LIMIT 1", platform, str(message_id)
        )

    async def _rounds_with_status(self, status: str, platform: str | None, guild_id: str | None = None) -> list[TriviaRound]:
        rows = await self._fetch(
            "SELECT * FROM rounds WHERE status = $1 AND ($2::text IS NULL OR platform = $2)"
            " AND ($3::text IS NULL OR guild_id = $3) ORDER BY closes_at, id",
            status, platform, guild_id,
        )
        return [round_from_row(r) for r in rows]

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
            "SELECT * FROM rounds WHERE platform = $1 AND channel_id = $2 AND day = $3",
            platform, str(channel_id), iso_day(day),
        )

    @guard
    async def last_round(self, platform: str, guild_id: str, channel_id: str) -> TriviaRound | None:
        return await self._fetch_round(
            "SELECT * FROM rounds WHERE platform = $1 AND channel_id = $2 ORDER BY day DESC LIMIT 1",
            platform, str(channel_id),
        )

    # ---- answers ---------------------------------------------------------------------------

    @guard
    async def record_answer(
        self, round_id: int, user_id: str, answer: str, correct: bool, *, now: float | None = None
    ) -> AnswerOutcome:
        at = self._now() if now is None else float(now)
        text = stored_text(answer)

        async def write(db: Conn) -> AnswerOutcome:
            # The round's row stays locked (shared) until this commits: a reveal waits for it.
            is_open = await db.fetchval(
                "SELECT 1 FROM rounds WHERE id = $1 AND status IN ($2, $3) AND closes_at > $4 FOR SHARE",
                round_id, ROUND_PENDING, ROUND_POSTED, at,
            )
            if is_open is None:
                taken = await db.fetchval(
                    "SELECT 1 FROM answers WHERE round_id = $1 AND user_id = $2", round_id, str(user_id)
                )
                return "already_answered" if taken is not None else "closed"
            inserted = await db.fetchval(
                "INSERT INTO answers (round_id, user_id, answer, correct, answered_at) VALUES ($1, $2, $3, $4, $5)"
                " ON CONFLICT (round_id, user_id) DO NOTHING RETURNING 1",
                round_id, str(user_id), text, int(correct), at,
            )
            return "recorded" if inserted is not None else "already_answered"

        return await self._transact(write)

    @guard
    async def get_answer(self, round_id: int, user_id: str) -> tuple[str, bool] | None:
        row = await self._fetchrow(
            "SELECT answer, correct FROM answers WHERE round_id = $1 AND user_id = $2", round_id, str(user_id)
        )
        return (str(row[0]), bool(row[1])) if row else None

    @guard
    async def round_stats(self, round_id: int) -> RoundStats:
        row = await self._fetch_one(
            "SELECT COUNT(*), COALESCE(SUM(correct), 0) FROM answers WHERE round_id = $1", round_id
        )
        return RoundStats(round_id, int(row[0]), int(row[1]))

    # ---- selection history -----------------------------------------------------------------

    @guard
    async def item_history(self, platform: str, guild_id: str, channel_id: str | None = None) -> list[ItemUsage]:
        rows = await self._fetch(
            "SELECT r.item_id AS item_id, COUNT(DISTINCT r.id) AS used, MAX(r.day) AS last,"
            " COUNT(a.id) AS answered, COALESCE(SUM(a.correct), 0) AS correct"
            " FROM rounds r LEFT JOIN answers a ON a.round_id = r.id"
            " WHERE r.platform = $1 AND r.guild_id = $2 AND r.status IN ('posted', 'revealed')"
            " AND ($3::text IS NULL OR r.channel_id = $3)"
            ' GROUP BY r.item_id ORDER BY last, r.item_id COLLATE "C"',
            platform, str(guild_id), None if channel_id is None else str(channel_id),
        )
        return [ItemUsage(r["item_id"], int(r["used"]), r["last"], int(r["answered"]), int(r["correct"])) for r in rows]


__all__ = ["PostgresRounds", "meta_if", "round_from_row"]
