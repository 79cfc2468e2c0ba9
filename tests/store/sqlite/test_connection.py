"""SQLite connection: schema on open, WAL, refusing files that are not ours, locks, durability."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from bot.core.errors import StoreError
from bot.store import SQLiteStore, Store, open_store
from bot.store.schema import MIGRATIONS, Migration, Step
from tests.store.helpers import ROOT, posted_round


async def test_open_store_creates_schema_in_wal_mode(tmp_path):
    path = tmp_path / "bot.db"
    async with open_store(path) as store:
        assert isinstance(store, Store)
        assert await store.schema_version() == len(MIGRATIONS)
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    con.close()


async def test_open_store_can_be_awaited_and_reopened_keeps_data(tmp_path):
    path = tmp_path / "bot.db"
    store = await open_store(path)
    await store.set_trivia_config("slack", "T1", "C1", "8:05", "Europe/Paris")
    await store.close()
    store = await open_store(path)
    cfg = await store.get_trivia_config("slack", "T1")
    await store.close()
    assert cfg is not None and cfg.post_time == "08:05" and cfg.timezone == "Europe/Paris" and cfg.enabled


async def test_garbage_file_is_reported_as_not_a_classbot_database(tmp_path):
    path = tmp_path / "bot.db"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(StoreError, match="is not a classbot database or is corrupt"):
        await open_store(path)


async def test_someone_elses_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE invoices (id INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="is not a classbot database"):
        await open_store(path)


async def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "bot.db"
    async with open_store(path):
        pass
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer classbot"):
        await open_store(path)


async def test_missing_folder_says_so(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        await open_store(tmp_path / "nope" / "bot.db")


async def test_read_only_database_raises_store_error_on_write(tmp_path):
    path = tmp_path / "bot.db"
    async with open_store(path):
        pass
    store = await open_store(f"file:{path}?mode=ro")
    try:
        assert await store.get_trivia_config("discord", "g") is None  # reading works
        with pytest.raises(StoreError, match="cannot write to"):
            await store.record_feedback("discord", "g", "c", "u", "q?", "f", True)
    finally:
        await store.close()


def _write_one_row(path: Path) -> str:
    """Open the store at ``path`` and write a row: the StoreError's message, or "" when it worked."""

    async def attempt() -> str:
        try:
            store = await open_store(path)
            try:
                await store.record_feedback("discord", "g", "c", "u", "q?", "f", True)
            finally:
                await store.close()
        except StoreError as e:
            return str(e)
        return ""

    return asyncio.run(attempt())


async def _create(path: Path) -> None:
    async with open_store(path):
        pass


def _as_an_unprivileged_user(path: Path) -> str:
    """_write_one_row in a forked child that has given up root (root ignores file permissions)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        out = "child failed"
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(65534)  # nobody
            os.setuid(65534)
            out = _write_one_row(path)
        except BaseException as e:
            out = f"child failed: {e!r}"
        finally:
            os.write(write, out.encode())
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        out = pipe.read()
    os.waitpid(pid, 0)
    return out


def test_read_only_folder_raises_store_error(tmp_path):
    root = os.geteuid() == 0
    # as root, the write is tried as "nobody", who must be able to reach the folder (tmp_path is private)
    base = Path(tempfile.mkdtemp(prefix="classbot-ro-")) if root else tmp_path
    folder = base / "ro"
    folder.mkdir()
    try:
        asyncio.run(_create(folder / "bot.db"))
        os.chmod(base, 0o755)
        os.chmod(folder / "bot.db", 0o444)
        os.chmod(folder, 0o555)
        message = _as_an_unprivileged_user(folder / "bot.db") if root else _write_one_row(folder / "bot.db")
    finally:
        os.chmod(folder, 0o755)
        if root:
            shutil.rmtree(base)
    assert re.search("cannot write|is locked", message), message


async def test_lock_held_beyond_busy_timeout_raises_store_error(tmp_path):
    path = tmp_path / "bot.db"
    store = await open_store(path, busy_timeout_ms=50)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="is locked by another process"):
            await store.record_feedback("discord", "g", "c", "u", "q?", "f", True)
    finally:
        other.execute("ROLLBACK")
        other.close()
    await store.record_feedback("discord", "g", "c", "u", "q?", "f", True)  # fine once released
    assert (await store.feedback_counts())[0].helpful == 1
    await store.close()


async def test_a_write_waits_for_the_lock_even_when_sqlite_answers_busy_at_once(tmp_path):
    # SQLite's busy handler does not cover every case (WAL recovery after a killed process, a checkpoint):
    # BEGIN can then fail with "database is locked" at once. Here SQLite's own wait is switched off to
    # make it answer at once every time; the store must still wait, within its timeout, for the lock.
    path = tmp_path / "bot.db"
    store = await open_store(path, busy_timeout_ms=5000)
    await store._conn.execute("PRAGMA busy_timeout = 0")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")

    async def release_soon() -> None:
        await asyncio.sleep(0.2)
        other.execute("ROLLBACK")

    releasing = asyncio.create_task(release_soon())
    try:
        await store.record_feedback("discord", "g", "c", "u", "q?", "f", True)
    finally:
        await releasing
        other.close()
    assert (await store.feedback_counts())[0].helpful == 1
    await store.close()


async def test_closed_store_raises_store_error(tmp_path):
    store = await open_store(tmp_path / "bot.db")
    await store.close()
    with pytest.raises(StoreError, match="not open"):
        await store.list_trivia_configs()


WRITER = textwrap.dedent(
    """
    import asyncio, sys
    from bot.core.models import TriviaRound
    from bot.store import open_store

    async def main(path):
        store = await open_store(path)
        r = await store.create_round("discord", TriviaRound(None, "g", "c", "i", "2026-01-05", 0, 1e12))
        await store.mark_round_posted(r.id, "m")
        print("round", r.id, flush=True)
        i = 0
        while True:
            if await store.record_answer(r.id, f"user{i}", "x", i % 2 == 0) == "recorded":
                print("ack", i, flush=True)
            await store.record_feedback("discord", "g", "c", f"user{i}", "q?", "f", True)
            i += 1

    asyncio.run(main(sys.argv[1]))
    """
)


def test_acknowledged_answers_survive_sigkill(tmp_path):
    path = tmp_path / "bot.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    acked: list[int] = []
    assert proc.stdout is not None
    round_line = proc.stdout.readline().split()
    assert round_line[0] == "round", round_line
    for line in proc.stdout:
        acked.append(int(line.split()[1]))
        if len(acked) >= 150:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    for line in proc.stdout:  # anything acknowledged before it died
        acked.append(int(line.split()[1]))
    assert proc.returncode == -signal.SIGKILL

    async def check() -> None:
        async with open_store(path) as store:
            assert await store.integrity_check() == "ok"
            for i in acked:
                assert await store.get_answer(int(round_line[1]), f"user{i}") is not None, i

    asyncio.run(check())
    assert len(acked) >= 150


async def test_memory_store_works_for_previews():
    async with open_store(":memory:") as store:
        assert isinstance(store, SQLiteStore)
        r = await posted_round(store)
        assert await store.record_answer(r.id, "u", "1962", True, now=1500.0) == "recorded"


async def test_a_failing_migration_is_rolled_back_and_reported(tmp_path, monkeypatch):
    import bot.store.sqlite.connection as connection_module

    path = tmp_path / "bot.db"
    async with open_store(path):
        pass
    broken = Migration(len(MIGRATIONS) + 1, "broken", (Step(standard="CREATE TABLE extra (id INTEGER)"),
                                                       Step(standard="THIS IS NOT SQL")))
    monkeypatch.setattr(connection_module, "MIGRATIONS", (*MIGRATIONS, broken))
    with pytest.raises(StoreError):
        await open_store(path)
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert con.execute("SELECT name FROM sqlite_master WHERE name = 'extra'").fetchone() is None
    con.close()


async def test_a_database_created_by_a_run_that_never_wrote_is_discarded_on_request(tmp_path):
    unused = tmp_path / "unused.db"
    store = await open_store(unused)
    await store.close(discard_if_unused=True)
    assert list(tmp_path.iterdir()) == []
    used = tmp_path / "used.db"
    async with open_store(used) as store:
        await store.set_trivia_config("discord", "g", "c")
    store = await open_store(used)  # it existed before: never removed
    await store.close(discard_if_unused=True)
    assert used.exists()
