"""Each server's trivia settings, on every backend."""

from __future__ import annotations

import pytest

from bot.core.errors import ConfigError


async def test_trivia_config_validates_time_and_timezone(db):
    async with db.open() as store:
        with pytest.raises(ConfigError, match="HH:MM"):
            await store.set_trivia_config("discord", "g", "c", "25:00", "UTC")
        with pytest.raises(ConfigError, match="unknown timezone"):
            await store.set_trivia_config("discord", "g", "c", "09:00", "Mars/Olympus")
        await store.set_trivia_config("discord", "g", "c", "09:00", "Asia/Tokyo")
        await store.set_trivia_config("discord", "g", "c2", "10:30", "Asia/Tokyo", enabled=False)
        await store.set_trivia_config("slack", "T", "C", "07:00", "UTC")
        configs = await store.list_trivia_configs("discord")
    assert [(c.channel_id, c.post_time, c.enabled) for c in configs] == [("c2", "10:30", False)]


async def test_turning_trivia_off_keeps_the_settings_and_says_whether_it_was_on(db):
    async with db.open() as store:
        assert not await store.disable_trivia("slack", "T1")  # never set up
        await store.set_trivia_config("slack", "T1", "C1", "09:30", "Europe/Paris")
        assert await store.disable_trivia("slack", "T1")
        assert not await store.disable_trivia("slack", "T1")  # already off
        config = await store.get_trivia_config("slack", "T1")
    assert (config.enabled, config.channel_id, config.post_time, config.timezone) == (False, "C1", "09:30", "Europe/Paris")
