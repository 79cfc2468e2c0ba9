"""Settings for running several processes: Discord shards, the scheduler's tick and lease, the test clock."""

from __future__ import annotations

import pytest

from bot.config import load_settings
from bot.core.errors import ConfigError


def test_shards_and_scheduler_timing_come_from_the_environment():
    s = load_settings(None, {
        "DISCORD_SHARD_COUNT": "4", "DISCORD_SHARD_IDS": "2,3", "CLASSBOT_SCHEDULER_TICK_SECONDS": "0.5",
        "CLASSBOT_SCHEDULER_LEASE_SECONDS": "3", "CLASSBOT_TEST_CLOCK_FILE": "/tmp/clock",
    }, dotenv=None)  # fmt: skip
    assert (s.discord.shard_count, s.discord.shard_ids) == (4, (2, 3))
    assert (s.scheduler_tick_seconds, s.scheduler_lease_seconds, s.test_clock_file) == (0.5, 3.0, "/tmp/clock")


def test_without_shard_settings_the_bot_is_not_sharded():
    s = load_settings(None, {}, dotenv=None)
    assert (s.discord.shard_count, s.discord.shard_ids, s.test_clock_file) == (0, (), None)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DISCORD_SHARD_IDS": "0"}, "needs shard_count"),
        ({"DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_IDS": "1,2"}, "between 0 and 1"),
        ({"DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_IDS": "1,1"}, "twice"),
        ({"DISCORD_SHARD_COUNT": "-1"}, r"0 \(not sharded\) or more"),
        ({"CLASSBOT_SCHEDULER_TICK_SECONDS": "0"}, "more than 0"),
        ({"CLASSBOT_SCHEDULER_TICK_SECONDS": "30", "CLASSBOT_SCHEDULER_LEASE_SECONDS": "45"}, "more than twice"),
    ],
)
def test_impossible_shard_and_lease_settings_are_explained(env, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(None, env, dotenv=None)
