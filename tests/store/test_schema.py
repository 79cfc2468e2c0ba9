"""The migrations: well formed, and upgrading databases written by older classbots (on SQLite)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from bot.store import open_store
from bot.store.rules import UNANSWERED_MAX_CHARS
from bot.store.schema import MIGRATIONS, Step


def test_migrations_are_numbered_in_order_and_every_step_has_sqlite_text():
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    for migration in MIGRATIONS:
        assert migration.steps and all(sql.strip() for sql in migration.statements("sqlite")), migration.version


def test_a_step_uses_its_own_dialect_text_else_the_standard_text_and_says_when_it_has_neither():
    step = Step(standard="CREATE INDEX i ON t(a)", sqlite="CREATE INDEX IF NOT EXISTS i ON t(a)")
    assert step.sql("sqlite") == "CREATE INDEX IF NOT EXISTS i ON t(a)"
    assert step.sql("postgres") == "CREATE INDEX i ON t(a)"
    with pytest.raises(LookupError, match="no SQL for postgres"):
        Step(sqlite="CREATE TABLE t (id INTEGER PRIMARY KEY)").sql("postgres")


async def test_upgrading_a_version_one_database_keeps_current_streaks(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    for statement in MIGRATIONS[0].statements("sqlite"):
        db.execute(statement)
    db.execute(
        "INSERT INTO rounds (id, platform, guild_id, channel_id, item_id, day, posted_at, closes_at, choices, message_id,"
        " status, meta, created_at) VALUES (7, 'discord', 'g', 'c', 'item', '2026-01-05', 0, 1, ?, 'm', 'revealed', ?, 0)",
        (json.dumps([]), json.dumps({})),
    )
    db.execute("INSERT INTO answers (round_id, user_id, answer, correct, points, answered_at) VALUES (7, 'u', 'x', 1, 12, 0)")
    db.execute("INSERT INTO scores (platform, guild_id, user_id, points, streak, best_streak, last_correct_day)"
               " VALUES ('discord', 'g', 'u', 42, 3, 3, '2026-01-05')")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    async with open_store(path) as store:
        stats = await store.user_stats("discord", "g", "u", today="2026-01-06")
    assert (stats.points, stats.streak, stats.best_streak) == (42, 3, 3)


async def test_upgrading_a_version_two_database_merges_and_cleans_its_unanswered_questions(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    for migration in MIGRATIONS[:2]:
        for statement in migration.statements("sqlite"):
            db.execute(statement)
    rows = [
        ("who was castro", "who was castro", "u1", 10.0),
        ("Who was Castro?", "who was castro", "u2", 30.0),
        ("who was castro", "who was castro", None, 20.0),
        ("\x1b[2Jwhat is\x07 a blockade", "\x1b[2jwhat is\x07 a blockade", None, 5.0),
        ("x" * 5000, "x" * 5000, "u1", 1.0),
        ("x" * 5000 + "y", "x" * 5000 + "y", None, 2.0),  # the same once capped: merged
    ]
    for question, key, user, at in rows:
        db.execute("INSERT INTO unanswered (platform, course_id, guild_id, channel_id, question, question_key, user_id,"
                   " asked_at) VALUES ('discord', 'crisis', 'g', 'c', ?, ?, ?, ?)", (question, key, user, at))
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()
    async with open_store(path) as store:
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
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT COUNT(*) FROM unanswered").fetchone()[0] == 3
    con.close()
