"""Server trivia settings on SQLite: where and when each server gets its daily trivia."""

from __future__ import annotations

from bot.core.store import TriviaConfig, normalize_post_time, validate_trivia_config
from bot.store.rules import trivia_config_from_row
from bot.store.sqlite.connection import SQLiteConnection
from bot.store.sqlite.errors import guard


class SQLiteTriviaConfigs(SQLiteConnection):
    """TriviaConfigStore (bot.core.store)."""

    @guard
    async def get_trivia_config(self, platform: str, guild_id: str) -> TriviaConfig | None:
        cur = await self._conn.execute(
            "SELECT * FROM trivia_config WHERE platform = ? AND guild_id = ?", (platform, str(guild_id))
        )
        row = await cur.fetchone()
        return trivia_config_from_row(row) if row else None

    @guard
    async def set_trivia_config(
        self,
        platform: str,
        guild_id: str,
        channel_id: str,
        post_time: str = "09:00",
        timezone: str = "UTC",
        enabled: bool = True,
        free_text: bool = False,
    ) -> TriviaConfig:
        validate_trivia_config(post_time, timezone)
        post_time = normalize_post_time(post_time)
        async with self._tx() as db:
            await db.execute(
                "INSERT INTO trivia_config (platform, guild_id, channel_id, post_time, timezone, enabled, free_text,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (platform, guild_id) DO UPDATE SET channel_id = excluded.channel_id,"
                " post_time = excluded.post_time, timezone = excluded.timezone, enabled = excluded.enabled,"
                " free_text = excluded.free_text, updated_at = excluded.updated_at",
                (platform, str(guild_id), str(channel_id), post_time, timezone, int(enabled), int(free_text),
                 self._now()),
            )
        return TriviaConfig(platform, str(guild_id), str(channel_id), post_time, timezone, enabled, free_text)

    @guard
    async def disable_trivia(self, platform: str, guild_id: str) -> bool:
        async with self._tx() as db:
            cur = await db.execute(
                "UPDATE trivia_config SET enabled = 0, updated_at = ? WHERE platform = ? AND guild_id = ? AND enabled = 1",
                (self._now(), platform, str(guild_id)),
            )
            return cur.rowcount == 1

    @guard
    async def list_trivia_configs(self, platform: str | None = None) -> list[TriviaConfig]:
        cur = await self._conn.execute(
            "SELECT * FROM trivia_config WHERE (? IS NULL OR platform = ?) ORDER BY platform, guild_id", (platform, platform)
        )
        return [trivia_config_from_row(r) for r in await cur.fetchall()]


__all__ = ["SQLiteTriviaConfigs"]
