"""Sharding: which process runs which shards, and so which guilds' trivia it posts.

Discord puts a guild on shard ``(guild_id >> 22) % shard_count``
(https://discord.com/developers/docs/events/gateway#sharding). A process run with
``shard_count`` and ``shard_ids`` receives the events of those shards' guilds only, and posts
trivia only for them; the store's daily claim makes a double post impossible anyway.
"""

from __future__ import annotations

from typing import Any

from bot.config import DiscordSettings
from bot.core.schedule import Owns, owns_all


def shard_of(guild_id: int | str, shard_count: int) -> int:
    return (int(guild_id) >> 22) % shard_count


def sharded(settings: DiscordSettings) -> bool:
    return settings.shard_count > 0


def owner(settings: DiscordSettings) -> Owns:
    """Whether this process looks after a guild: every guild when not sharded (or when it runs every shard)."""
    if not sharded(settings):
        return owns_all
    count = settings.shard_count
    mine = frozenset(settings.shard_ids or range(count))

    def owns(guild_id: str) -> bool:
        try:
            return shard_of(guild_id, count) in mine
        except ValueError:  # not a Discord snowflake: not a guild of ours
            return False

    return owns


def client_options(settings: DiscordSettings) -> dict[str, Any]:
    """The AutoShardedBot options for these settings (empty when not sharded)."""
    if not sharded(settings):
        return {}
    options: dict[str, Any] = {"shard_count": settings.shard_count}
    if settings.shard_ids:
        options["shard_ids"] = list(settings.shard_ids)
    return options


__all__ = ["client_options", "owner", "shard_of", "sharded"]
