"""The teacher's review queue on SQLite: what has not been reviewed yet, and the marks that keep it reviewed."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.safetext import clean_text
from bot.core.store import ReviewRow
from bot.store.sqlite.connection import SQLiteConnection
from bot.store.sqlite.errors import guard


class SQLiteReview(SQLiteConnection):
    """ReviewStore (bot.core.store)."""

    @guard
    async def review_rows(self, course_id: str) -> list[ReviewRow]:
        cur = await self._conn.execute(
            "SELECT id, question, count, last_asked FROM unanswered WHERE course_id = ? AND reviewed_at IS NULL",
            (course_id,),
        )
        rows = [ReviewRow("unanswered", int(r["id"]), clean_text(r["question"]), int(r["count"]),
                          float(r["last_asked"])) for r in await cur.fetchall()]
        cur = await self._conn.execute(
            "SELECT id, question, fact_id, created_at FROM feedback WHERE helpful = 0 AND reviewed_at IS NULL"
        )
        rows += [ReviewRow("unhelpful", int(r["id"]), clean_text(r["question"]), 1, float(r["created_at"]),
                           r["fact_id"]) for r in await cur.fetchall()]
        rows.sort(key=lambda r: (-r.count, -r.last_asked, r.kind, r.row_id))
        return rows

    @guard
    async def mark_reviewed(self, unanswered_ids: Sequence[int], feedback_ids: Sequence[int]) -> None:
        now = self._now()
        async with self._tx() as db:
            await db.executemany("UPDATE unanswered SET reviewed_at = ? WHERE id = ?",
                                 [(now, int(i)) for i in unanswered_ids])
            await db.executemany("UPDATE feedback SET reviewed_at = ? WHERE id = ?", [(now, int(i)) for i in feedback_ids])


__all__ = ["SQLiteReview"]
