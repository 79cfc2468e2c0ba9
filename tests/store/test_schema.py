"""The migrations: well formed, and upgrading databases written by older classbots (on every backend)."""

from __future__ import annotations

import sqlite3

import pytest

from bot.store.postgres.connection import VERSIONS_TABLE
from bot.store.rules import UNANSWERED_MAX_CHARS
from bot.store.schema import MIGRATIONS, Step


def test_migrations_are_numbered_in_order_and_every_step_has_text_for_every_dialect():
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    for migration in MIGRATIONS:
        for dialect in ("sqlite", "postgres"):
            assert migration.steps and all(sql.strip() for sql in migration.statements(dialect)), migration.version


def test_a_step_uses_its_own_dialect_text_else_the_standard_text_and_says_when_it_has_neither():
    step = Step(standard="CREATE INDEX i ON t(a)", sqlite="CREATE INDEX IF NOT EXISTS i ON t(a)")
    assert step.sql("sqlite") == "CREATE INDEX IF NOT EXISTS i ON t(a)"
    assert step.sql("postgres") == "CREATE INDEX i ON t(a)"
    with pytest.raises(LookupError, match="no SQL for postgres"):
        Step(sqlite="CREATE TABLE t (id INTEGER PRIMARY KEY)").sql("postgres")


def literal(value: object) -> str:
    if value is None:
        return "NULL"
    return str(value) if isinstance(value, int | float) else "'" + str(value).replace("'", "''") + "'"


async def write_old_database(db, version: int, inserts: list[str]) -> None:
    """A database as a classbot that knew ``version`` migrations left it, holding ``inserts``."""
    statements = [sql for migration in MIGRATIONS[:version] for sql in migration.statements(db.backend)]
    if db.backend == "sqlite":
        con = sqlite3.connect(db.target)
        for sql in [*statements, *inserts, f"PRAGMA user_version = {version}"]:
            con.execute(sql)
        con.commit()
        con.close()
        return
    import asyncpg

    con = await asyncpg.connect(db.target)
    try:
        async with con.transaction():
            for sql in statements + inserts:
                await con.execute(sql)
            await con.execute(f"CREATE TABLE {VERSIONS_TABLE} (version INTEGER PRIMARY KEY, purpose TEXT NOT NULL,"
                              " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
            for m in MIGRATIONS[:version]:
                await con.execute(f"INSERT INTO {VERSIONS_TABLE} (version, purpose) VALUES ($1, $2)", m.version, m.purpose)
    finally:
        await con.close()


async def test_upgrading_a_version_one_database_keeps_current_streaks(db):
    await write_old_database(db, 1, [
        "INSERT INTO rounds (id, platform, guild_id, channel_id, item_id, day, posted_at, closes_at, choices, message_id,"
        " status, meta, created_at) VALUES (7, 'discord', 'g', 'c', 'item', '2026-01-05', 0, 1, '[]', 'm', 'revealed',"
        " '{}', 0)",
        "INSERT INTO answers (round_id, user_id, answer, correct, points, answered_at) VALUES (7, 'u', 'x', 1, 12, 0)",
        "INSERT INTO scores (platform, guild_id, user_id, points, streak, best_streak, last_correct_day)"
        " VALUES ('discord', 'g', 'u', 42, 3, 3, '2026-01-05')",
    ])
    async with db.open() as store:
        stats = await store.user_stats("discord", "g", "u", today="2026-01-06")
    assert (stats.points, stats.streak, stats.best_streak) == (42, 3, 3)


async def test_upgrading_a_version_two_database_merges_and_cleans_its_unanswered_questions(db):
    rows = [
        ("who was castro", "who was castro", "u1", 10.0),
        ("Who was Castro?", "who was castro", "u2", 30.0),
        ("who was castro", "who was castro", None, 20.0),
        ("\x1b[2Jwhat is\x07 a blockade", "\x1b[2jwhat is\x07 a blockade", None, 5.0),
        ("x" * 5000, "x" * 5000, "u1", 1.0),
        ("x" * 5000 + "y", "x" * 5000 + "y", None, 2.0),  # the same once capped: merged
    ]
    await write_old_database(db, 2, [
        "INSERT INTO unanswered (platform, course_id, guild_id, channel_id, question, question_key, user_id, asked_at)"
        f" VALUES ('discord', 'crisis', 'g', 'c', {literal(q)}, {literal(k)}, {literal(u)}, {literal(at)})"
        for q, k, u, at in rows
    ])
    async with db.open() as store:
        assert await store.schema_version() == len(MIGRATIONS)
        listed = await store.list_unanswered("crisis")
        await store.record_unanswered("discord", "crisis", "g", "c", "who was castro", None)
        after = await store.list_unanswered("crisis", limit=1)
    assert [(r.question[:20], r.count, r.user_ids) for r in listed] == [
        ("Who was Castro?", 3, ("u1", "u2")), ("x" * 20, 2, ("u1",)), ("what is a blockade", 1, ()),
    ]  # fmt: skip
    assert (listed[0].first_asked, listed[0].last_asked) == (10.0, 30.0)
    assert max(len(r.question) for r in listed) <= UNANSWERED_MAX_CHARS
    assert (after[0].question, after[0].count) == ("who was castro", 4)
    assert await db.rows("SELECT COUNT(*) FROM unanswered") == [(3,)]
    if db.backend == "sqlite":
        assert await db.rows("PRAGMA integrity_check") == [("ok",)]
