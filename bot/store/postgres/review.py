"""The teacher's review queue on PostgreSQL: what has not been reviewed yet, and the marks that keep it reviewed."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.safetext import clean_text
from bot.core.store import ReviewRow
from bot.store.postgres.connection import Conn, PostgresConnection
from bot.store.postgres.errors import guard


class PostgresReview(PostgresConnection):
    """ReviewStore (bot.core.store)."""

    @guard
    async def review_rows(self, course_id: str) -> list[ReviewRow]:
        unanswered = await self._fetch(
            "SELECT id, question, count, last_asked FROM unanswered WHERE course_id = $1 AND reviewed_at IS NULL",
            course_id,
        )
        rows = [ReviewRow("unanswered", int(r["id"]), clean_text(r["question"]), int(r["count"]),
                          float(r["last_asked"])) for r in unanswered]
        unhelpful = await self._fetch(
            "SELECT id, question, fact_id, created_at FROM feedback WHERE helpful = 0 AND reviewed_at IS NULL"
        )
        rows += [ReviewRow("unhelpful", int(r["id"]), clean_text(r["question"]), 1, float(r["created_at"]),
                           r["fact_id"]) for r in unhelpful]
        rows.sort(key=lambda r: (-r.count, -r.last_asked, r.kind, r.row_id))
        return rows

    @guard
    async def mark_reviewed(self, unanswered_ids: Sequence[int], feedback_ids: Sequence[int]) -> None:
        now = self._now()
        questions = [int(i) for i in unanswered_ids]
        votes = [int(i) for i in feedback_ids]

        async def write(db: Conn) -> None:
            await db.execute("UPDATE unanswered SET reviewed_at = $1 WHERE id = ANY($2::bigint[])", now, questions)
            await db.execute("UPDATE feedback SET reviewed_at = $1 WHERE id = ANY($2::bigint[])", now, votes)

        await self._transact(write)


__all__ = ["PostgresReview"]
