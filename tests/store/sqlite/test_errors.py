"""Database failures: a StoreError with a log message and a separate short user message."""

from __future__ import annotations

import os
import sqlite3

import pytest

from bot.core.errors import StoreError
from bot.core.models import TriviaRound
from bot.store import Scoring, open_store
from tests.store.helpers import a_round, posted_round


def _assert_split_messages(error: StoreError, path) -> None:
    assert str(path) in str(error)  # the log names the file
    assert str(path) not in error.user_message and "sqlite" not in error.user_message.lower()
    assert len(error.user_message) < 120 and "\n" not in error.user_message


async def _every_write(store) -> list[str]:
    """Each write of the Store interface tried once: the names of those that did not raise StoreError."""
    r = TriviaRound(1, "g1", "c1", "year", "2026-01-05", 1000.0, 2000.0, ("a", "b"))
    writes = {
        "record_feedback": lambda: store.record_feedback("discord", "g", "c", "u", "q?", "f", True, "m1"),
        "record_unanswered": lambda: store.record_unanswered("discord", "crisis", "g", "c", "who was castro", "u"),
        "set_trivia_config": lambda: store.set_trivia_config("discord", "g9", "c", "09:00", "UTC"),
        "disable_trivia": lambda: store.disable_trivia("discord", "g1"),
        "create_round": lambda: store.create_round("discord", a_round(day="2026-03-01")),
        "mark_round_posted": lambda: store.mark_round_posted(1, "m"),
        "mark_round_failed": lambda: store.mark_round_failed(2, "x"),  # round 2 is pending
        "reveal_round": lambda: store.reveal_round(1, Scoring()),
        "mark_reveal_sent": lambda: store.mark_reveal_sent(3),  # round 3's reveal is being sent
        "record_answer": lambda: store.record_answer(r.id, "u7", "a", True, now=1500.0),
        "set_leaderboard_optout": lambda: store.set_leaderboard_optout("discord", "g1", "u1"),
    }
    escaped = []
    for name, write in writes.items():
        try:
            await write()
        except StoreError:
            continue
        escaped.append(name)
    return escaped


async def test_every_write_to_a_read_only_database_raises_store_error(tmp_path):
    path = tmp_path / "bot.db"
    async with open_store(path) as store:
        await store.set_trivia_config("discord", "g1", "c1")
        await posted_round(store)  # 1
        await store.create_round("discord", a_round(channel="c2"))  # 2, pending
        await store.reveal_round((await posted_round(store, channel="c3")).id, Scoring())  # 3, reveal sending
    store = await open_store(f"file:{path}?mode=ro")
    try:
        assert await _every_write(store) == []
        with pytest.raises(StoreError) as caught:
            await store.record_answer(1, "u1", "a", True, now=1500.0)
        _assert_split_messages(caught.value, path)
    finally:
        await store.close()


async def test_a_full_disk_raises_store_error_with_a_short_user_message(tmp_path):
    path = tmp_path / "bot.db"
    async with open_store(path) as store:
        await posted_round(store)
        db = store._conn  # the store's own connection: SQLite's page limit stands in for a full disk
        pages = (await (await db.execute("PRAGMA page_count")).fetchone())[0]
        await db.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(StoreError, match="disk is full") as caught:
            for i in range(2000):
                await store.record_unanswered("discord", "crisis", "g", "c", f"question {i} " + "z" * 250, None)
        _assert_split_messages(caught.value, path)
        escaped = []
        for i in range(50):
            try:
                await store.record_feedback("discord", "g", "c", f"u{i}", "q" * 3000, "f", True, f"m{i}")
            except StoreError:
                continue
            except Exception as e:  # anything else is a leak
                escaped.append(repr(e))
        assert escaped == []


async def test_locked_and_corrupt_databases_give_different_user_messages(tmp_path):
    path = tmp_path / "bot.db"
    store = await open_store(path, busy_timeout_ms=50)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError) as locked:
            await store.record_answer(1, "u1", "a", True)
    finally:
        other.execute("ROLLBACK")
        other.close()
        await store.close()
    _assert_split_messages(locked.value, path)
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    with pytest.raises(StoreError) as corrupt:
        await open_store(bad)
    _assert_split_messages(corrupt.value, bad)
    assert "try again" in locked.value.user_message.lower() and "teacher" in corrupt.value.user_message.lower()


def test_user_message_of_a_store_error_never_names_the_file():
    from bot.core.errors import user_message

    error = StoreError("cannot write to /srv/classbot/classbot.db: the disk is full")
    assert "/srv" not in user_message(error) and user_message(error) == error.user_message
