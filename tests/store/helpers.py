"""Helpers shared by the store tests."""

from __future__ import annotations

from pathlib import Path

from bot.core.models import TriviaRound
from bot.core.store import RoundStore

ROOT = Path(__file__).resolve().parent.parent.parent


def a_round(day: str = "2026-01-05", channel: str = "c1", item: str = "year", guild: str = "g1") -> TriviaRound:
    return TriviaRound(None, guild, channel, item, day, 1000.0, 2000.0, ("1962", "1963", "1961"))


async def posted_round(store: RoundStore, day="2026-01-05", channel="c1", item="year", guild="g1") -> TriviaRound:
    r = await store.create_round("discord", a_round(day, channel, item, guild))
    await store.mark_round_posted(r.id, f"msg-{day}-{channel}")
    return r

