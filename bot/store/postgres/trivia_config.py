"""Server trivia settings on PostgreSQL: where and when each server gets its daily trivia."""

from __future__ import annotations

from bot.core.store import TriviaConfig, normalize_post_time, validate_trivia_config
from bot.store.postgres.connection import Conn, PostgresConnection
from bot.store.postgres.errors import guard
from bot.store.rules import trivia_config_from_row


class PostgresTriviaConfigs(PostgresConnection):
    """TriviaConfigStore (bot.core.store)."""

    @guard
    async def get_trivia_config(self, platform: str, guild_id: str) -> TriviaConfig | None:
        row = await self._fetchrow(
            "SELECT * FROM trivia_config WHERE platform = $1 AND guild_id = $2", platform, str(guild_id)
        )
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

        async def write(db: Conn) -> None:
            await db.execute(
                "INSERT INTO trivia_config (platform, guild_id, channel_id, post_time, timezone, enabled, free_text,"
                " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                " ON CONFLICT (platform, guild_id) DO UPDATE SET channel_id = excluded.channel_id,"
                " post_time = excluded.post_time, timezone = excluded.timezone, enabled = excluded.enabled,"
                " free_text = excluded.free_text, updated_at = excluded.updated_at",
                platform, str(guild_id), str(channel_id), post_time, timezone, int(enabled), int(free_text),
                self._now(),
            )

        await self._transact(write)
        return TriviaConfig(platform, str(guild_id), str(channel_id), post_time, timezone, enabled, free_text)

    @guard
    async def disable_trivia(self, platform: str, guild_id: str) -> bool:
        async def write(db: Conn) -> bool:
            changed = await db.fetchval(
                "UPDATE trivia_config SET enabled = 0, updated_at = $1"
                " WHERE platform = $2 AND guild_id = $3 AND enabled = 1 RETURNING 1",
                self._now(), platform, str(guild_id),
            )
            return changed is not None

        return await self._transact(write)

    @guard
    async def list_trivia_configs(self, platform: str | None = None) -> list[TriviaConfig]:
        rows = await self._fetch(
            "SELECT * FROM trivia_config WHERE ($1::text IS NULL OR platform = $1)"
            ' ORDER BY platform COLLATE "C", guild_id COLLATE "C"',
            platform,
        )
        return [trivia_config_from_row(r) for r in rows]


__all__ = ["PostgresTriviaConfigs"]
