"""The whole migration path, on both backends: a database of the oldest schema (migration 1, with
data) upgrades to the newest, and a fresh database is migrated, both ending with exactly the
tables, columns and indexes of a fresh SQLite database, every migration recorded once, and the
newest aggregates (claims, leases, seen events) working on it."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.clock import FakeClock
from bot.store.postgres.connection import VERSIONS_TABLE
from bot.store.schema import MIGRATIONS
from tests.store.conftest import Database
from tests.store.test_schema import write_old_database


async def shape(db: Database) -> dict[str, object]:
    """A database's tables with their columns, and its own indexes (not those of its keys)."""
    if db.backend == "sqlite":
        tables = [t for (t,) in await db.rows(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]  # fmt: skip
        columns = {t: sorted(c for (_, c, *_) in await db.rows(f"PRAGMA table_info({t})")) for t in tables}
        indexes = [i for (i,) in await db.rows(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%'")]  # fmt: skip
    else:
        rows = await db.rows(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
            f" AND table_name <> '{VERSIONS_TABLE}'"
        )
        columns = {}
        for table, column in rows:
            columns.setdefault(table, []).append(column)
        columns = {t: sorted(cs) for t, cs in columns.items()}
        indexes = [i for (i,) in await db.rows(
            "SELECT c.relname FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid"
            " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema()"
            " AND x.indexrelid NOT IN (SELECT conindid FROM pg_constraint)")]  # fmt: skip
    return {"columns": dict(sorted(columns.items())), "indexes": sorted(indexes)}


async def reference(tmp_path) -> dict[str, object]:
    """The shape of a fresh SQLite database: what every migrated database must end with."""
    fresh = Database("sqlite", str(tmp_path / "reference.db"))
    async with fresh.open():
        pass
    return await shape(fresh)


async def recorded_migrations(db: Database) -> list[int]:
    if db.backend == "sqlite":
        return list(range(1, (await db.rows("PRAGMA user_version"))[0][0] + 1))
    return [v for (v,) in await db.rows(f"SELECT version FROM {VERSIONS_TABLE} ORDER BY version")]


async def test_a_fresh_database_is_migrated_to_the_newest_schema_and_a_second_start_changes_nothing(db, tmp_path):
    async with db.open() as store:
        assert await store.schema_version() == len(MIGRATIONS)
    first = await shape(db)
    async with db.open() as store:  # started again: nothing to run
        assert await store.schema_version() == len(MIGRATIONS)
    assert await shape(db) == first == await reference(tmp_path)
    assert await recorded_migrations(db) == [m.version for m in MIGRATIONS]


async def test_a_database_of_the_oldest_schema_upgrades_to_the_newest_keeping_its_data(db, tmp_path):
    await write_old_database(db, 1, [
        "INSERT INTO trivia_config (platform, guild_id, channel_id, post_time, timezone, enabled, updated_at)"
        " VALUES ('discord', 'g', 'c', '09:00', 'Europe/Paris', 1, 0)",
        "INSERT INTO rounds (id, platform, guild_id, channel_id, item_id, day, posted_at, closes_at, choices, message_id,"
        " status, meta, created_at) VALUES (7, 'discord', 'g', 'c', 'item', '2026-01-05', 0, 1, '[]', 'm', 'revealed',"
        " '{}', 0)",
        "INSERT INTO answers (round_id, user_id, answer, correct, points, answered_at) VALUES (7, 'u', 'x', 1, 12, 0)",
        "INSERT INTO scores (platform, guild_id, user_id, points, streak, best_streak, last_correct_day)"
        " VALUES ('discord', 'g', 'u', 42, 3, 3, '2026-01-05')",
    ])  # fmt: skip
    clock = FakeClock(datetime(2026, 1, 6, 9, 0, tzinfo=UTC))
    async with db.open(clock=clock) as store:
        assert await store.schema_version() == len(MIGRATIONS)
        config = await store.get_trivia_config("discord", "g")
        stats = await store.user_stats("discord", "g", "u", today="2026-01-06")
        # what the newest migration added works on the upgraded database
        assert await store.claim_daily_post("discord", "g", "2026-01-06", "p1")
        assert not await store.claim_daily_post("discord", "g", "2026-01-06", "p2")
        assert await store.acquire_lease("scheduler", "p1", 30)
        assert await store.first_delivery("slack", "Ev1", 60)
        assert not await store.first_delivery("slack", "Ev1", 60)
    assert config is not None and (config.channel_id, config.timezone, config.enabled) == ("c", "Europe/Paris", True)
    assert (stats.points, stats.streak, stats.best_streak) == (42, 3, 3)
    assert await db.rows("SELECT round_id, user_id, points FROM answers") == [(7, "u", 12)]
    assert await shape(db) == await reference(tmp_path)
    assert await recorded_migrations(db) == [m.version for m in MIGRATIONS]
