"""Rules every store backend applies the same way, kept out of the SQL so a second backend reuses them.

What the store keeps of a question or an answer (cleaned, capped), when two unanswered questions
are the same, how an asker is counted against the daily quota without keeping who asked, and
which days a leaderboard period covers.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from bot.core.clock import Clock
from bot.core.models import TriviaRound
from bot.core.safetext import clean_text, clip
from bot.core.store import Period, TriviaConfig

# The unanswered-question log stays bounded whatever students type (issue 9 item 7):
UNANSWERED_MAX_CHARS = 300  # a question is kept to this many characters (a real one is far shorter)
UNANSWERED_PER_ASKER_PER_DAY = 20  # questions one asker may add (or repeat) per UTC day; the rest are not kept


def stored_text(text: str) -> str:
    """A question or an answer as the store keeps it: control characters removed, length capped."""
    return clip(clean_text(text), UNANSWERED_MAX_CHARS)


def unanswered_key(text: str) -> str:
    """What makes two unanswered questions the same: case, spacing and end punctuation ignored."""
    return " ".join(clean_text(text).casefold().split()).rstrip("?!.\u2026 ")[:UNANSWERED_MAX_CHARS]


def quota_day(now: float) -> str:
    """The UTC day (ISO) an ask at unix time ``now`` counts against."""
    return datetime.fromtimestamp(now, UTC).date().isoformat()


def asker_hash(day: str, platform: str, asker: str) -> str:
    """Who asked, for the daily quota only: a hash of the day and the id, useless once the day is over."""
    return hashlib.sha256(f"{day}\0{platform}\0{asker}".encode("utf-8", "replace")).hexdigest()[:32]


def day_of(value: str | date | None, clock: Clock) -> date:
    """A day given as a date, an ISO string, or None for today (UTC) by ``clock``."""
    if value is None:
        return clock.now().astimezone(UTC).date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value)


def period_days(period: Period, today: date) -> tuple[date, date]:
    """First and last day of a leaderboard period ending ``today``: "week" starts on its Monday."""
    if period not in ("week", "all"):
        raise ValueError(f"period should be 'week' or 'all', not {period!r}")
    return (today - timedelta(days=today.weekday()) if period == "week" else date.min), today


def iso_day(day: str | date) -> str:
    return day.isoformat() if isinstance(day, date) else str(day)



class Row(Protocol):
    """A database row read by column name: sqlite3.Row and asyncpg.Record both are."""

    def __getitem__(self, key: str, /) -> Any: ...


def round_from_row(r: Row) -> TriviaRound:
    """A stored round as the core's TriviaRound (a SQLite row or an asyncpg record: both read by name)."""
    meta = json.loads(r["meta"])
    meta["platform"] = r["platform"]
    return TriviaRound(
        id=int(r["id"]),
        guild_id=r["guild_id"],
        channel_id=r["channel_id"],
        item_id=r["item_id"],
        day=r["day"],
        posted_at=float(r["posted_at"]),
        closes_at=float(r["closes_at"]),
        choices=tuple(json.loads(r["choices"])),
        message_id=r["message_id"],
        status=r["status"],
        meta=meta,
    )


def trivia_config_from_row(r: Row) -> TriviaConfig:
    """A stored server's trivia settings as the core's TriviaConfig (either backend's row)."""
    return TriviaConfig(
        platform=r["platform"],
        guild_id=r["guild_id"],
        channel_id=r["channel_id"],
        post_time=r["post_time"],
        timezone=r["timezone"],
        enabled=bool(r["enabled"]),
        free_text=bool(r["free_text"]),
    )

__all__ = [
    "round_from_row",
    "trivia_config_from_row",
    "UNANSWERED_MAX_CHARS",
    "UNANSWERED_PER_ASKER_PER_DAY",
    "asker_hash",
    "day_of",
    "iso_day",
    "period_days",
    "quota_day",
    "stored_text",
    "unanswered_key",
]
